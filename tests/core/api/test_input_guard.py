"""core/api/input_guard.py and the error handlers: bad input of any kind answers 400/413 in the
one error shape, never a 500 or an HTML page (the reproducers of docs/quality.md, "Bad input")."""

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory
from tests.support.api import client_as

pytestmark = pytest.mark.django_db

NUL_QUERIES = [
    ("/api/tournaments/", "search"),
    ("/api/tournaments/", "game"),
    ("/api/tournaments/", "host"),
    ("/api/scrims/", "search"),
    ("/api/scrims/", "game"),
    ("/api/scrims/", "host"),
    ("/api/accounts/leaderboard/", "game"),
    ("/api/accounts/teams/", "game"),
    ("/api/accounts/teams/", "search"),
    ("/api/accounts/teams/invites/", "status"),
    ("/api/admin/users/", "search"),
    ("/api/admin/users/", "role"),
    ("/api/admin/users/", "host_status"),
]


def _shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


@pytest.mark.parametrize(("path", "param"), NUL_QUERIES)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(path: str, param: str) -> None:
    staff = client_as(UserFactory(is_staff=True))
    body = _shape(staff.get(f"{path}?{param}=a%00b"), 400)
    assert body["code"] == "validation_error" and param in body["details"]


def test_a_nul_in_the_path_or_a_json_string_is_a_400(client: Client) -> None:
    body = _shape(client.get("/api/payments/status/a%00b/"), 400)
    assert "path" in body["details"]
    user = client_as(UserFactory())
    body = _shape(user.post("/api/accounts/teams/", {"game": "bgmi\u0000"}, format="json"), 400)
    assert body["details"] == {"game": ["NUL characters are not allowed."]}
    form = user.post("/api/accounts/teams/", {"name": "A\x00B", "tag": "AB", "game": "bgmi"})
    assert _shape(form, 400)["details"] == {"name": ["NUL characters are not allowed."]}


@pytest.mark.parametrize("depth", [65, 1000, 5000])
def test_json_nested_too_deep_is_a_400_even_anonymously(client: Client, depth: int) -> None:
    deep = "[" * depth + "]" * depth
    body = _shape(client.post("/api/accounts/login/", deep, content_type="application/json"), 400)
    assert "nested deeper than 64" in body["message"]


def test_json_at_the_depth_limit_is_still_read(client: Client) -> None:
    nested: Any = "x"
    for _ in range(63):
        nested = [nested]
    response = client.post("/api/accounts/login/", json.dumps({"email": nested}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 401) and "nested" not in response.json()["message"]


@pytest.mark.parametrize("debug", [True, False])
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(client: Client, debug: bool) -> None:
    with override_settings(DEBUG=debug, DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        big = "x" * 4096
        body = _shape(
            client.post("/api/accounts/login/", big, content_type="application/json"), 413
        )
        assert body["code"] == "too_large"


def test_django_level_errors_under_api_are_json(client: Client) -> None:
    assert _shape(client.get("/api/no-such-thing/"), 404)["code"] == "not_found"
    bad_host = Client(HTTP_HOST="evil.example").get("/api/tournaments/")
    assert _shape(bad_host, 400)["code"] == "bad_request"
    # A page is still a page.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_session_write_without_its_csrf_token_is_a_json_403() -> None:
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post("/api/accounts/teams/", {"name": "Csrf", "tag": "CS", "game": "bgmi"})
    body = _shape(response, 403)
    assert body["code"] == "forbidden" and "CSRF" in body["message"]
