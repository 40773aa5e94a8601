"""core/api/observability.py: /metrics behind its token or allow-list, the request id answered,
and HTTP requests counted by URL pattern."""

from typing import Any

import pytest

from core.api.observability import UNMATCHED
from tests.factories import TournamentFactory
from tests.support.metrics import AUTH, TOKEN, parse, value

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _token(settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def test_metrics_refused_without_the_token(client: Any) -> None:
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "details"}


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer ü"])
def test_metrics_refused_with_a_wrong_token(client: Any, header: str) -> None:
    assert client.get("/metrics", headers={"Authorization": header}).status_code == 401


def test_metrics_served_with_the_token(client: Any) -> None:
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "scrimverse_broadcast_fanout_seconds_bucket" in response.content.decode()


def test_metrics_only_for_get(client: Any) -> None:
    response = client.post("/metrics", headers=AUTH)
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_allow_list_admits_its_network_only(client: Any, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    refused = client.get("/metrics")  # the test client's peer is 127.0.0.1
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    # A forged X-Forwarded-For does not help: the peer's own address is what counts.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_with_nothing_configured_nobody_gets_metrics(client: Any, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers=AUTH).status_code == 403


def test_metrics_are_not_in_the_public_schema(client: Any) -> None:
    schema = client.get("/api/schema/", headers={"Accept": "application/json"}).content.decode()
    assert "/metrics" not in schema


def test_requests_are_counted_by_url_pattern_not_path(client: Any) -> None:
    first, second = TournamentFactory(), TournamentFactory()
    route = "/api/tournaments/<int:pk>/"
    before = parse(client.get("/metrics", headers=AUTH).content.decode())
    assert client.get(f"/api/tournaments/{first.pk}/").status_code == 200
    assert client.get(f"/api/tournaments/{second.pk}/").status_code == 200
    assert client.get("/api/tournaments/999999/").status_code == 404
    assert client.get("/no/such/page/at/all").status_code == 404
    after = parse(client.get("/metrics", headers=AUTH).content.decode())

    def moved(name: str, **labels: Any) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"route": route, "method": "GET", "status": 200}
    assert moved("scrimverse_http_requests_total", **ok) == 2
    assert moved("scrimverse_http_requests_total", **{**ok, "status": 404}) == 1
    assert moved("scrimverse_http_request_duration_seconds_count", route=route, method="GET") == 3
    unmatched = {"route": UNMATCHED, "method": "GET", "status": 404}
    assert moved("scrimverse_http_requests_total", **unmatched) == 1
    assert not any(str(first.pk) in dict(labels).get("route", "") for _, labels in after)


def test_request_id_is_answered_and_kept_when_sane(client: Any) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.91:2"})
    assert given["X-Request-ID"] == "lb-7f3a.91:2"
    made = client.get("/healthz")
    forged = client.get("/healthz", headers={"X-Request-ID": "a\nfake log line"})
    assert len(made["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] not in ("a\nfake log line", made["X-Request-ID"])
