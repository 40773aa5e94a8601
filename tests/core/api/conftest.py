"""Fixtures of the REST tests."""

from collections.abc import Iterator
from typing import Any

import pytest

from core.api import read_cache


@pytest.fixture
def low_rates(settings: Any) -> None:
    """Tiny sign-in rate limits. Day-long windows: a window boundary cannot fall inside a test
    (except at midnight UTC)."""
    settings.AUTH_THROTTLE_RATES = {
        "login": "3/day",
        "register": "2/day",
        "password_reset": "2/day",
        "email_resend": "2/day",
    }


@pytest.fixture
def read_cache_on(settings: Any, monkeypatch: Any) -> Iterator[None]:
    """The public read cache on, retried at once after a failure, with no bump owed."""
    settings.PUBLIC_READ_CACHE = True
    monkeypatch.setattr(read_cache, "RETRY_SECONDS", 0.0)
    read_cache._bump_owed = False
    yield
    read_cache._bump_owed = False
