"""Every request body README.md shows inline (`METHOD /api/path {JSON}`) is one its endpoint
takes: each field is one the endpoint's serializer reads, and the serializer accepts the body as
it stands (the walkthrough's ```http blocks are checked by running them, in
tests/test_readme_walkthrough.py)."""

import inspect
import json
import re
from pathlib import Path

import pytest
from django.urls import resolve
from rest_framework import serializers

from billing.api.serializers import InitiateSerializer
from core.api.accounts import serializers as accounts
from core.api.staff.serializers import RejectHostSerializer
from core.api.tournaments import serializers as tournaments

README = Path(__file__).resolve().parents[1] / "README.md"
INLINE = re.compile(r"`(POST|PUT|PATCH) (/api/\S+) (\{[^`]*\})`")
# The serializer each route's view reads its body with (checked against the view's source).
READS: dict[str, type[serializers.Serializer]] = {
    "accounts-register": accounts.SignUpSerializer,
    "accounts-login": accounts.LoginSerializer,
    "accounts-verify-email": accounts.TokenSerializer,
    "accounts-host-verification": accounts.HostVerificationSubmitSerializer,
    "staff-reject-host": RejectHostSerializer,
    "payment-initiate": InitiateSerializer,
    "tournament-register": tournaments.RegisterSerializer,
    "tournament-registration-moderate": tournaments.ModerateSerializer,
}


def inline_requests() -> list[tuple[str, str, str]]:
    return INLINE.findall(README.read_text())


def test_the_readme_shows_a_body_for_every_route_it_names_with_one() -> None:
    # A span written across two lines would escape the test below: this one misses it.
    assert {resolve(path).url_name for _, path, _ in inline_requests()} == set(READS)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "body"), inline_requests())
def test_each_inline_body_is_what_its_endpoint_reads(method: str, path: str, body: str) -> None:
    route = resolve(path)
    assert route.url_name in READS, f"which serializer reads {method} {path}? add it to READS"
    reader = READS[route.url_name]
    view = route.func.view_class
    assert hasattr(view, method.lower()), f"{view.__name__} does not take {method}"
    assert f"{reader.__name__}(data=" in inspect.getsource(view), (
        f"{view.__name__} reads no {reader.__name__}"
    )
    serializer = reader(data=json.loads(body))
    writable = {name for name, f in serializer.fields.items() if not f.read_only}
    assert set(json.loads(body)) <= writable, f"{method} {path}: fields it does not read"
    assert serializer.is_valid(), f"{method} {path} {body}: {serializer.errors}"
