import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from core import hooks
from realtime import broadcast
from realtime.routing import websocket_application

ORIGIN = b"http://localhost:8000"


class Client:
    """A test websocket client speaking PROTOCOL.md frames."""

    def __init__(self, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.comm = WebsocketCommunicator(websocket_application, path, headers=headers or [])

    async def open(self) -> "Client":
        connected, _ = await self.comm.connect()
        assert connected
        return self

    async def recv(self, timeout: float = 3) -> dict[str, Any]:
        return json.loads(await self.comm.receive_from(timeout=timeout))

    async def recv_type(self, kind: str, timeout: float = 5) -> dict[str, Any]:
        """The next frame of this type, skipping presence frames (and, when waiting for a
        command's answer, the room's events, which may arrive before or after it)."""
        skip = {"presence"} if kind == "event" else {"presence", "event"}
        while True:
            frame = await self.recv(timeout)
            if frame["type"] == kind:
                return frame
            assert frame["type"] in skip, f"expected {kind}, got {frame}"

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.comm.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))

    async def closed_with(self, timeout: float = 3) -> int:
        while True:
            out = await self.comm.receive_output(timeout)
            if out["type"] == "websocket.close":
                return out.get("code")

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.comm.receive_nothing(timeout=timeout)

    async def close(self) -> None:
        await self.comm.disconnect()


@pytest.fixture
def ws():
    """Open clients, closed at the end of the test."""
    opened: list[Client] = []

    async def open_client(path: str, *, token: str | None = None, origin: bytes | None = ORIGIN):
        headers = []
        if origin is not None:
            headers.append((b"origin", origin))
        if token is not None:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        client = Client(path, headers)
        opened.append(client)
        return await client.open()

    yield open_client


@pytest.fixture(autouse=True)
def _realtime_publisher():
    """Broadcasts on, whatever another test did to the hook."""
    previous = hooks.install(publish_events=broadcast.publish)
    yield
    hooks.restore(previous)


@pytest.fixture(autouse=True)
def _fresh_layer_and_hub():
    """Each test runs on its own event loop: start it with a fresh channel layer and hub, so no
    queue or subscription of a previous test's (closed) loop is reused."""
    from channels.layers import channel_layers

    from realtime import hub

    channel_layers.backends.clear()
    hub._hubs.clear()
    yield
    channel_layers.backends.clear()
    hub._hubs.clear()
