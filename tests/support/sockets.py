"""A test websocket client on the project's websocket application (no server process), speaking
the frames of docs/protocol.md. tests/realtime/conftest.py's `ws` fixture opens them."""

import json
from collections.abc import Awaitable, Callable
from typing import Any

from channels.testing import WebsocketCommunicator

from realtime.routing import websocket_application

ORIGIN = b"http://localhost:8000"


class WsClient:
    def __init__(self, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.comm = WebsocketCommunicator(websocket_application, path, headers=headers or [])

    async def open(self) -> "WsClient":
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


# The realtime tests' `ws` fixture: `await ws(path, token=…, origin=…)` opens a WsClient.
OpenClient = Callable[..., Awaitable[WsClient]]
