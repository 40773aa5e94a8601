"""Fixtures of the core tests."""

from collections.abc import Iterator
from typing import Any

import pytest
import responses

from core import hooks
from core.models import User
from tests.factories import UserFactory
from tests.support.events import Recorder, recording
from tests.support.google import CLIENT_ID


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A publisher that records what is published after commit, installed for the test."""
    with recording() as rec:
        yield rec


@pytest.fixture
def staff() -> User:
    """A staff member (not a superuser)."""
    return UserFactory(is_staff=True, username="staffer")


@pytest.fixture
def google_configured(settings: Any) -> None:
    """Google sign-in configured with the fake client id of tests/support/google.py."""
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = CLIENT_ID


@pytest.fixture
def google() -> Iterator[responses.RequestsMock]:
    """Google's endpoints, faked: register answers with tests/support/google.py."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def hooks_unset() -> Iterator[None]:
    """Every hook of core/hooks.py unset, as in a process where neither realtime nor billing
    started."""
    previous = hooks.current()
    hooks.restore(hooks.Hooks())
    yield
    hooks.restore(previous)
