"""core/api/health.py: liveness, and readiness reporting each dependency (503 with what is
down)."""

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
def test_readyz_is_503_with_what_is_down(client: Any, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr("core.api.health.cache.set", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert "cache" in response.json()["details"]


@pytest.mark.django_db
def test_a_failing_readiness_hook_is_named_with_its_reason(client: Any) -> None:
    def broker_down() -> None:
        raise ConnectionError("broker unreachable")

    previous = hooks.install(readiness_checks=(("broker", broker_down),))
    try:
        response = client.get("/readyz")
    finally:
        hooks.restore(previous)
    assert response.status_code == 503
    body = response.json()
    assert body["details"] == {"broker": "ConnectionError: broker unreachable"}
    assert body["message"] == "Not ready: broker"
