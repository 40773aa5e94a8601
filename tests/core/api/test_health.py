"""core/api/health.py: liveness, and readiness reporting each dependency: 503 when the database
is down, "degraded" (still 200) when only the cache or the channel layer is."""

from typing import Any

import pytest

from core import hooks


def test_healthz(client: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client: Any) -> None:
    body = client.get("/readyz").json()
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"},
    }


@pytest.mark.django_db
def test_a_cache_outage_is_degraded_not_unready(client: Any, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr("core.api.health.cache.set", broken)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {
            "database": "ok",
            "cache": "ConnectionError: cache unreachable",
            "channel_layer": "ok",
        },
    }


@pytest.mark.django_db
def test_a_database_outage_is_503_with_what_is_down(client: Any, monkeypatch: Any) -> None:
    def broken() -> None:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr("core.api.health._check_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "unavailable" and body["message"] == "Not ready: database"
    assert body["details"] == {"database": "ConnectionError: database unreachable"}


@pytest.mark.django_db
def test_a_failing_readiness_hook_is_named_with_its_reason(client: Any) -> None:
    def broker_down() -> None:
        raise ConnectionError("broker unreachable")

    previous = hooks.install(readiness_checks=(("broker", broker_down),))
    try:
        response = client.get("/readyz")
    finally:
        hooks.restore(previous)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"] == "ConnectionError: broker unreachable"
