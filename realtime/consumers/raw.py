"""A websocket served straight on its ASGI connection: the part of Channels' consumer API that
the live room uses (connect / receive / disconnect handlers, accept, send text, close), without what
Channels adds per socket.

A Channels consumer runs behind an origin validator, an auth middleware and a URL router that
each copy the scope, and inside `await_many_dispatch`, which keeps a task and futures per socket
while it waits; that is ~5 KB per idle spectator, a quarter of the server's memory per socket
(bench/README.md, "Memory per idle socket"). A room socket needs none of it: it has no channel of
its own (the process's RoomHub receives each room frame once), and realtime/routing.py checks the
origin and the credential once, before the socket is made. So one coroutine per connection reads
the ASGI messages and calls the handlers, exactly as Channels would dispatch them.
"""

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from realtime.closecodes import SERVER_ERROR

log = logging.getLogger(__name__)

Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class RawSocket:
    def __init__(self, scope: dict, send: Send) -> None:
        self.scope = scope
        self.base_send = send

    # --- handlers (subclasses override) --------------------------------------------------------

    async def connect(self) -> None:
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        pass

    async def disconnect(self, code: int) -> None:
        pass

    # --- the connection ------------------------------------------------------------------------

    async def run(self, receive: Receive) -> None:
        """Dispatch until the client is gone. `disconnect` runs once however the loop ends (the
        client left, the server shut down, a handler raised), so no socket stays in a room. An
        error no handler expected is logged once and the socket closed with 1011 (server error:
        the client reconnects), never dropped without a close frame."""
        code = 1006
        try:
            while True:
                message = await receive()
                kind = message["type"]
                if kind == "websocket.receive":
                    await self.receive(
                        text_data=message.get("text"), bytes_data=message.get("bytes")
                    )
                elif kind == "websocket.connect":
                    await self.connect()
                elif kind == "websocket.disconnect":
                    code = message.get("code", 1000)
                    return
        except Exception:
            log.exception(
                "websocket %s: unexpected error; closing with 1011", self.scope.get("path")
            )
            code = SERVER_ERROR
            with contextlib.suppress(Exception):  # the peer may be gone already
                await self.close(code=SERVER_ERROR)
        finally:
            await self.disconnect(code)

    async def accept(self) -> None:
        await self.base_send({"type": "websocket.accept"})

    async def send(self, text_data: str) -> None:
        await self.base_send({"type": "websocket.send", "text": text_data})

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        message: dict[str, Any] = {"type": "websocket.close"}
        if code is not None:
            message["code"] = code
        if reason:
            message["reason"] = reason
        await self.base_send(message)


async def deny(receive: Receive, send: Send) -> None:
    """Refuse the handshake (the server answers HTTP 403), as Channels' WebsocketDenier does."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close"})
