from collections.abc import Iterator

import pytest

from tests.support.servers import RedisServer


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server the test may stop and start again (the run's own is not touched)."""
    server = RedisServer().start()
    yield server
    server.stop()
