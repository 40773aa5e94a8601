"""uvicorn's sans-I/O websocket protocol, minus what an idle spectator socket need not hold.

A final's audience is thousands of sockets that receive and never speak, so what each holds
while idle is the server's memory (bench/README.md, "Memory per idle socket"). uvicorn's
protocol keeps, for the whole life of a connection, the parsed handshake request and response
(~3 KB of header objects: they are in the ASGI scope already), an asyncio.Queue for inbound
messages (three deques and an Event, ~2.8 KB, for a queue that is empty almost always) and an
asyncio.Event for write back-pressure (another deque). This subclass drops the handshake objects
once they are sent and uses slot-only equivalents of the queue and the event whose containers
exist only while something is waiting in them.

It also decides permessage-deflate itself, whatever uvicorn's `--ws-per-message-deflate` says:
offered, it is accepted with `server_no_context_takeover` and `client_no_context_takeover`, so
websockets keeps no zlib object per connection (its PerMessageDeflate makes a compressor or a
decompressor per message and drops it at the message's end when the context is not taken
over), and every message we send is compressed independently of the socket's history: a room
frame's compressed bytes are computed once per process (realtime/prepared.py) and written to
every socket that negotiated the same window. Text frames skip websockets' encoder and are
written from their prepared bytes (docs/fanout.md, "Compressed once"). Behaviour is uvicorn's
own otherwise.

    uvicorn config.asgi:application --ws realtime.wsprotocol:LeanWebSocketProtocol ...
"""

import asyncio
from typing import Any

from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)
from websockets.protocol import OPEN
from websockets.server import ServerProtocol

from realtime.prepared import PreparedFrame

# Host commands are small: a client's compressed frames are decoded with at most a 4 KB window
# (uvicorn's own choice). The server window is the client's to cap; left alone it is zlib's 32 KB
# for the best ratio, which costs the server nothing per socket (no context is kept).
DEFLATE = ServerPerMessageDeflateFactory(
    server_no_context_takeover=True,
    client_no_context_takeover=True,
    client_max_window_bits=12,
    compress_settings={"memLevel": 5},
)


class LeanInbox:
    """The subset of asyncio.Queue that the protocol uses, with a single reader (the app)."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] | None = None
        self._waiter: asyncio.Future | None = None

    def put_nowait(self, item: Any) -> None:
        if self._items is None:
            self._items = [item]
        else:
            self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items) if self._items else 0

    async def get(self) -> Any:
        while not self._items:
            waiter = self._waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        items = self._items
        item = items.pop(0)
        if not items:
            self._items = None
        return item


class LeanGate:
    """The subset of asyncio.Event that the protocol uses (set, clear, is_set, wait)."""

    __slots__ = ("_open", "_waiters")

    def __init__(self) -> None:
        self._open = True
        self._waiters: list[asyncio.Future] | None = None

    def is_set(self) -> bool:
        return self._open

    def set(self) -> None:
        self._open = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(True)

    def clear(self) -> None:
        self._open = False

    async def wait(self) -> bool:
        if self._open:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            return await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    IMPORT_PATH = f"{__name__}:LeanWebSocketProtocol"  # for uvicorn --ws

    deflate_bits: int | None = None  # the server window, once permessage-deflate is negotiated

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = LeanInbox()
        self.writable = LeanGate()
        # Our extension list, not the one uvicorn's flag chose (see the module docstring).
        self.conn = ServerProtocol(
            extensions=[DEFLATE], max_size=self.config.ws_max_size, logger=self.conn.logger
        )

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        for extension in self.conn.extensions:
            if isinstance(extension, PerMessageDeflate):
                self.deflate_bits = extension.local_max_window_bits
        # Everything the app needs from the request is in the scope now. websockets' parser
        # generator keeps the Request object itself alive as a local of its suspended frame,
        # so empty its headers rather than only dropping our reference.
        self.request = None
        event.headers.clear()

    def start_keepalive(self) -> None:
        # uvicorn calls this right after writing the accepted handshake response, which nothing
        # reads again. (Here rather than around send(): that runs for every frame.)
        super().start_keepalive()
        self.response = None

    async def send(self, message: Any) -> None:
        """uvicorn's send, except that a text frame on an open connection is written from its
        prepared bytes (compressed if this socket negotiated deflate). Same back-pressure: wait
        while the transport is above its high-water mark. Everything else is uvicorn's."""
        text = message.get("text")
        if text is None or message["type"] != "websocket.send" or message.get("bytes") is not None:
            return await super().send(message)
        await self.writable.wait()
        if self.disconnected:
            raise ClientDisconnected()
        conn = self.conn
        if (
            not self.handshake_complete
            or self.close_sent
            or self.initial_response is not None
            or conn.state is not OPEN
            or conn.expect_continuation_frame
            or conn.writes  # never reorder behind bytes websockets still holds
        ):
            return await super().send(message)  # uvicorn's errors and ClientDisconnected
        frame = text if isinstance(text, PreparedFrame) else PreparedFrame(text)
        bits = self.deflate_bits
        self.transport.write(frame.plain_bytes() if bits is None else frame.deflated_bytes(bits))
