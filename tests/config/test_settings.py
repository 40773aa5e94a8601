"""The configuration the suite runs on, and the foundation endpoints."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection

from core.models import Game


def test_services_in_use_match_the_environment() -> None:
    # CI's first pass sets both URLs; this proves the suite really ran on PostgreSQL and Redis.
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
        assert settings.DATABASES["default"]["OPTIONS"]["pool"], "psycopg pool must be on"
    else:
        assert connection.vendor == "sqlite"
    backend = settings.CACHES["default"]["BACKEND"]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "config.cache_backends.SharedClientRedisCache"
        assert settings.PUBLIC_READ_CACHE
        assert layer == "channels_redis.pubsub.RedisPubSubChannelLayer"
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
        assert layer == "channels.layers.InMemoryChannelLayer"
        assert settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.redis
def test_redis_cache_backends_share_one_client_per_process() -> None:
    """Under ASGI Django makes a cache backend per request (a context-local): they must not each
    open a pool and a TCP connection (config/cache_backends.py)."""
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second
    assert first._cache.get_client() is second._cache.get_client()
    second.set("shared-client", 1, 30)
    assert first.get("shared-client") == 1


@pytest.mark.redis
def test_redis_cache_counts_atomically() -> None:
    cache.add("counter", 0, 30)
    assert [cache.incr("counter") for _ in range(3)] == [1, 2, 3]


def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/readyz").json()
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"},
    }


@pytest.mark.django_db
def test_readyz_is_503_with_what_is_down(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr("core.api.health.cache.set", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert "cache" in response.json()["details"]


@pytest.mark.django_db
def test_schema_and_docs_are_served(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_unknown_api_path_uses_the_error_shape(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "details": {}}


@pytest.mark.django_db
def test_games_catalog_is_migrated() -> None:
    games = {g.slug: g for g in Game.objects.all()}
    assert {"bgmi", "pubg-mobile", "free-fire", "codm"} <= set(games)
    assert games["bgmi"].lobby_size == 25 and games["free-fire"].lobby_size == 12
    assert games["free-fire"].default_points_preset == "freefire"


@pytest.mark.django_db
def test_factories_build_a_registrable_team() -> None:
    from tests.factories import TournamentFactory, captain_of, team_with_roster

    team = team_with_roster(size=4)
    assert team.memberships.count() == 4
    assert captain_of(team).game_profiles.filter(game=team.game).exists()
    assert TournamentFactory().host.is_verified_host


@pytest.mark.django_db
def test_openapi_schema_is_valid_without_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    # --fail-on-warn: a name collision between components silently documents the wrong body.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/tournaments/{id}/register/" in (tmp_path / "s.yml").read_text()
