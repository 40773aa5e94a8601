"""Host identity documents are private (docs/api.md, "Private files"): only the host and staff
get them, through the API's own check; no URL the API ever gave works for anyone else, and the
short-lived link stops working when it expires. Local storage here; S3 in tests/config."""

import importlib
import time
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import Client, RequestFactory
from django.views.static import serve

from core.models import HostProfile, User
from core.models.storage import private_storage
from tests.factories import HostFactory, UserFactory
from tests.support.api import assert_error, client_as
from tests.support.media import PDF, pdf_upload

pytestmark = pytest.mark.django_db
SUBMIT = "/api/accounts/host-verification/"
DETAILS = {"organization": "Mumbai Esports", "contact_name": "Arjun"}


def _submitted(host: User) -> dict[str, Any]:
    response = client_as(host).post(SUBMIT, {**DETAILS, "document": pdf_upload()}, "multipart")
    assert response.status_code == 200, response.content
    return response.json()


def _fetch(url: str, client: Any = None) -> Any:
    return (client or Client()).get(url)


def _served_from_media(name: str) -> bool:
    """Whether /media/<name> would answer: what DEBUG's media route and a proxy in front of
    MEDIA_ROOT serve (the tests' own URL conf has no media route)."""
    try:
        serve(RequestFactory().get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)
    except Http404:
        return False
    return True


@pytest.fixture
def host() -> User:
    return UserFactory(role=User.Role.HOST)


def test_the_document_is_stored_privately_and_the_api_names_only_its_endpoint(host: User) -> None:
    body = _submitted(host)
    name = HostProfile.objects.get(user=host).document.name
    assert private_storage.exists(name) and not default_storage.exists(name)
    assert body["document"] == f"http://testserver/api/accounts/hosts/{host.pk}/document/"


@pytest.mark.parametrize("who", ["anonymous", "other_host", "player"])
def test_nobody_else_gets_it_by_any_url_the_api_returned(host: User, who: str) -> None:
    endpoint = _submitted(host)["document"]
    link = client_as(host).get(endpoint).json()["url"]
    name = HostProfile.objects.get(user=host).document.name
    caller = {"anonymous": None, "other_host": HostFactory(), "player": UserFactory()}[who]
    answer = client_as(caller).get(endpoint)
    if caller is None:
        assert_error(answer, 401, "not_authenticated")
    else:
        assert_error(answer, 404, "not_found")
    # The public media URL it had before it was private answers nothing, to anyone.
    assert not _served_from_media(name)
    assert link.startswith("http://testserver/private-files/")  # the owner's own, short-lived


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_host_and_staff_get_it(host: User, who: str) -> None:
    endpoint = _submitted(host)["document"]
    caller = host if who == "owner" else UserFactory(is_staff=True)
    answer = client_as(caller).get(endpoint)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    assert answer.json()["expires_in"] == 300
    document = _fetch(answer.json()["url"])
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF
    assert document["Content-Type"] == "application/pdf"
    assert document["X-Content-Type-Options"] == "nosniff"


def test_the_link_stops_working_after_it_expires(host: User, monkeypatch: Any) -> None:
    endpoint = _submitted(host)["document"]
    link = client_as(host).get(endpoint).json()["url"]
    assert _fetch(link).status_code == 200
    later = time.time() + 301
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert _fetch(link).status_code == 404
    assert _fetch(link.replace("/private-files/", "/private-files/x")).status_code == 404


def test_a_host_without_a_document_and_unknown_ids_are_404(host: User) -> None:
    HostProfile.objects.create(user=host, organization="Org")
    assert_error(client_as(host).get(f"/api/accounts/hosts/{host.pk}/document/"), 404)
    staff = client_as(UserFactory(is_staff=True))
    assert_error(staff.get("/api/accounts/hosts/999999999999999999999/document/"), 404)


def test_a_new_document_replaces_the_old_one_after_commit(
    host: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(host)
    first = HostProfile.objects.get(user=host).document.name
    HostProfile.objects.filter(user=host).update(status=HostProfile.Status.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(host)
    second = HostProfile.objects.get(user=host).document.name
    assert first != second and private_storage.exists(second)
    assert not private_storage.exists(first)


def test_the_admin_link_goes_through_the_same_check(host: User) -> None:
    _submitted(host)
    profile = HostProfile.objects.get(user=host)
    url = f"/admin/core/hostprofile/{profile.pk}/document/"
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = staff.get(f"/admin/core/hostprofile/{profile.pk}/change/")
    assert page.status_code == 200 and url.encode() in page.content
    assert profile.document.name.encode() not in page.content
    answer = staff.get(url)
    assert answer.status_code == 302 and answer["Location"].startswith("/private-files/")
    assert staff.get(answer["Location"]).status_code == 200
    owner = Client()
    owner.force_login(host)  # not staff: the admin itself turns them away
    assert owner.get(url).status_code == 302 and "/admin/login/" in owner.get(url)["Location"]


def test_the_migration_moves_existing_documents_out_of_public_media(host: User) -> None:
    name = default_storage.save("host_documents/2025/01/old.pdf", ContentFile(PDF))
    assert _served_from_media(name)  # before: anyone with the URL had it
    HostProfile.objects.create(user=host, organization="Org", document=name)
    migration = importlib.import_module("core.migrations.0009_move_host_documents_private")
    migration.move_documents(apps, None)
    assert not default_storage.exists(name) and private_storage.exists(name)
    with private_storage.open(name, "rb") as moved:
        assert moved.read() == PDF
    assert not _served_from_media(name)
