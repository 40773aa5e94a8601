"""/api/webhooks/: a host's own endpoints (CRUD, secret shown to the owner), their deliveries
with status, attempts and last error, a test ping against a real receiver; other users' ids 404,
players 403, odd input 400 in the error shape."""

from typing import Any

import pytest

from core.models import WebhookEndpoint
from tests.factories import HostFactory, TournamentFactory, UserFactory
from tests.support.api import assert_error, client_as
from tests.support.receiver import Answer, receiver

pytestmark = pytest.mark.django_db
BODY = {"url": "https://bot.example.com/hook", "events": ["winner", "announcement"]}


def test_a_host_registers_lists_changes_and_removes_an_endpoint() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host)
    api = client_as(host)
    created = api.post("/api/webhooks/", {**BODY, "tournament": t.pk, "kind": "discord"}, "json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["kind"] == "discord"
    assert body["events"] == ["winner", "announcement"] and body["tournament"] == t.pk
    listed = api.get("/api/webhooks/").json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]
    path = f"/api/webhooks/{body['id']}/"
    assert api.get(path).json()["secret"] == body["secret"]
    changed = api.patch(path, {"events": ["registration"], "enabled": False}, "json").json()
    assert (changed["events"], changed["enabled"]) == (["registration"], False)
    rotated = api.post(path + "rotate-secret/").json()
    assert rotated["secret"] != body["secret"]
    assert api.delete(path).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_another_hosts_endpoint_is_404_and_players_are_refused() -> None:
    owner, other = HostFactory(), HostFactory()
    endpoint_id = client_as(owner).post("/api/webhooks/", BODY, "json").json()["id"]
    for method in ("get", "patch", "delete"):
        assert_error(getattr(client_as(other), method)(f"/api/webhooks/{endpoint_id}/"), 404)
    assert_error(client_as(other).get(f"/api/webhooks/{endpoint_id}/deliveries/"), 404)
    assert_error(client_as(other).post(f"/api/webhooks/{endpoint_id}/ping/"), 404)
    assert_error(client_as(UserFactory()).get("/api/webhooks/"), 403, "forbidden")
    assert_error(client_as().get("/api/webhooks/"), 401)
    foreign = TournamentFactory(host=other)
    assert_error(
        client_as(owner).post("/api/webhooks/", {**BODY, "tournament": foreign.pk}, "json"), 400
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "https://user:pw@example.com/x",
        "http://127.0.0.1:8000/x",
        "http://10.0.0.5/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/x",
        "http://printer.local/x",
        "http://intranet/x",
        "https://",
        "not a url",
        "http://example.com:99999/x",
    ],
)
def test_urls_that_are_not_public_http_are_refused(url: str, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    response = client_as(HostFactory()).post("/api/webhooks/", {**BODY, "url": url}, "json")
    assert assert_error(response, 400, "validation_error")["details"].keys() == {"url"}


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "events": []},
        {**BODY, "events": ["everything"]},
        {**BODY, "events": "winner"},
        {**BODY, "kind": "slack"},
        {**BODY, "tournament": "1"},
        {**BODY, "tournament": 2**70},
        {"events": ["winner"]},
    ],
)
def test_bad_bodies_are_400(body: dict[str, Any]) -> None:
    assert_error(client_as(HostFactory()).post("/api/webhooks/", body, "json"), 400)


def test_a_ping_reaches_the_receiver_and_its_delivery_is_listed(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    host = HostFactory()
    api = client_as(host)
    with receiver(Answer(500)) as r:
        endpoint = api.post("/api/webhooks/", {**BODY, "url": r.url}, "json").json()
        with django_capture_on_commit_callbacks(execute=True):
            pinged = api.post(f"/api/webhooks/{endpoint['id']}/ping/")
    assert pinged.status_code == 202
    assert r.received[0].json()["type"] == "ping"
    listed = api.get(f"/api/webhooks/{endpoint['id']}/deliveries/?status=failed").json()
    (delivery,) = listed["results"]
    assert (delivery["event_type"], delivery["attempts"], delivery["last_error"]) == (
        "ping",
        1,
        "HTTP 500",
    )
    assert (
        api.get(f"/api/webhooks/{endpoint['id']}/deliveries/?status=delivered").json()["count"] == 0
    )
    assert_error(api.get(f"/api/webhooks/{endpoint['id']}/deliveries/?status=bogus"), 400)


def test_a_host_has_at_most_the_allowed_number_of_endpoints(settings: Any) -> None:
    settings.WEBHOOK_MAX_ENDPOINTS = 2
    api = client_as(HostFactory())
    for _ in range(2):
        assert api.post("/api/webhooks/", BODY, "json").status_code == 201
    assert_error(api.post("/api/webhooks/", BODY, "json"), 409, "conflict")
