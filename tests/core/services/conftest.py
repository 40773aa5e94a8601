"""Fixtures of the service tests."""

from collections.abc import Iterator

import pytest

from core import hooks
from core.models import Notification


@pytest.fixture
def pushed() -> Iterator[list[Notification]]:
    """The notifications handed to the push hook."""
    seen: list[Notification] = []
    previous = hooks.install(push_notification=seen.append)
    yield seen
    hooks.restore(previous)
