"""Suite-wide fixtures and the service gates.

Tests marked `postgres` / `redis` run whenever DATABASE_URL / REDIS_URL point at those services
and are skipped with a reason otherwise. With REQUIRE_SERVICES=1 (CI's first pass) any skipped
test fails the run: a test that never ran is not a passing test.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app
from core.api import degraded

USING_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
USING_REDIS = bool(settings.REDIS_URL)

# Tests never need a worker: tasks run inline, in the test's own process.
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True

_skipped: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        # Under xdist (scripts/test, `--dist loadgroup`) a file runs whole on one worker, so its
        # module fixtures (server processes) start once; the browser tests share one worker
        # because their stack is a session fixture (migrated and seeded once, ~25 s).
        e2e = item.nodeid.startswith("tests/e2e/")
        item.add_marker(pytest.mark.xdist_group("e2e" if e2e else item.nodeid.split("::")[0]))
        if "postgres" in item.keywords and not USING_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "redis" in item.keywords and not USING_REDIS:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL"))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1" and _skipped:
        print(f"\nREQUIRE_SERVICES=1 but {len(_skipped)} test(s) were skipped:")
        for nodeid in _skipped:
            print(f"  {nodeid}")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _games_catalog(request: pytest.FixtureRequest) -> None:
    """Transactional tests end with a flush, which also empties the games catalog that the data
    migration wrote; put it back so every test starts from the migrated state."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    import_module("core.migrations.0002_games_catalog").add_games(apps, None)


@pytest.fixture(autouse=True)
def _isolated_runtime(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Fresh cache (throttle counters, tokens), media folders of its own (public and private)
    for every test, and a fast password hasher: the suite makes thousands of users, and PBKDF2's
    deliberate cost (Django's default, what production uses) is not what is under test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from realtime import snapshot  # reaches the models: imported once the apps are ready

    degraded.reset()
    snapshot.forget_committed()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _core_without_billing_hooks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Outside tests/billing/, core is tested alone (docs/architecture.md: hooks unset): plans
    count as paid, paid registrations get no payment, nothing is refunded. tests/billing/ keeps
    the hooks billing installs at start-up."""
    from core import hooks

    if "billing" in request.node.nodeid.split("/")[:2]:
        yield
        return
    saved = hooks.install(
        plan_fee_paid=None,
        plan_fee_payment=None,
        entry_fee_payment=None,
        registration_withdrawn=None,
        tournament_cancelled=None,
    )
    yield
    hooks.restore(saved)
