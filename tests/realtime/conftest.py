"""Fixtures of the realtime tests: websocket clients, the publisher and the notification pusher
installed, a fresh channel layer and hub per test, and a private redis-server."""

from collections.abc import Iterator

import pytest

from core import hooks
from realtime import broadcast
from tests.support.servers import RedisServer
from tests.support.sockets import ORIGIN, OpenClient, WsClient


@pytest.fixture
def ws() -> Iterator[OpenClient]:
    """Opens websocket clients: `await ws(path, token=…, origin=…)`."""
    opened: list[WsClient] = []

    async def open_client(
        path: str, *, token: str | None = None, origin: bytes | None = ORIGIN
    ) -> WsClient:
        headers = []
        if origin is not None:
            headers.append((b"origin", origin))
        if token is not None:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        client = WsClient(path, headers)
        opened.append(client)
        return await client.open()

    yield open_client


@pytest.fixture(autouse=True)
def _realtime_publisher() -> Iterator[None]:
    """Broadcasts on, whatever another test did to the hook."""
    previous = hooks.install(publish_events=broadcast.publish)
    yield
    hooks.restore(previous)


@pytest.fixture(autouse=True)
def _fresh_layer_and_hub() -> Iterator[None]:
    """Each test runs on its own event loop: start it with a fresh channel layer and hub, so no
    queue or subscription of a previous test's (closed) loop is reused."""
    from channels.layers import channel_layers

    from realtime import hub

    channel_layers.backends.clear()
    hub._hubs.clear()
    yield
    channel_layers.backends.clear()
    hub._hubs.clear()


@pytest.fixture
def notification_pusher() -> Iterator[None]:
    """New notifications pushed to /ws/me/ sockets (realtime's pusher in core's hook)."""
    previous = hooks.install(push_notification=broadcast.push_notification)
    yield
    hooks.restore(previous)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server the test may stop and start again."""
    server = RedisServer().start()
    yield server
    server.stop()
