"""realtime/wsprotocol.py: the lean uvicorn protocol keeps uvicorn's behaviour (order, back-
pressure, close) while holding less per socket. Its queue and gate are checked against what the
protocol needs of asyncio.Queue and asyncio.Event, then the protocol runs under a real uvicorn
with a client that stops reading, so the write buffer fills and the gate really closes."""

import asyncio
import base64
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import uvicorn
import websockets

from realtime.wsprotocol import LeanGate, LeanInbox, LeanWebSocketProtocol
from tests.support.servers import free_port

pytestmark = pytest.mark.timeout(60)


async def test_inbox_hands_items_over_in_order_and_wakes_its_reader() -> None:
    inbox = LeanInbox()
    assert inbox.empty() and inbox.qsize() == 0
    reader = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    assert not reader.done()
    inbox.put_nowait(1)
    inbox.put_nowait(2)
    assert await reader == 1
    assert inbox.qsize() == 1 and not inbox.empty()
    assert await inbox.get() == 2
    assert inbox.empty() and inbox._items is None and inbox._waiter is None


async def test_inbox_reader_can_be_cancelled_and_a_later_get_still_works() -> None:
    inbox = LeanInbox()
    reader = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    inbox.put_nowait("x")
    assert await inbox.get() == "x"


async def test_gate_passes_when_open_and_holds_every_waiter_when_closed() -> None:
    gate = LeanGate()
    assert gate.is_set() and await gate.wait() is True
    gate.clear()
    waiters = [asyncio.ensure_future(gate.wait()) for _ in range(3)]
    cancelled = asyncio.ensure_future(gate.wait())
    await asyncio.sleep(0)
    assert not any(w.done() for w in waiters)
    cancelled.cancel()
    await asyncio.sleep(0)
    assert len(gate._waiters) == 3  # a cancelled waiter leaves
    gate.set()
    assert await asyncio.gather(*waiters) == [True, True, True]
    assert gate._waiters is None


class CountingProtocol(LeanWebSocketProtocol):
    instances: list["CountingProtocol"] = []
    pauses = 0

    def connection_made(self, transport: asyncio.Transport) -> None:
        CountingProtocol.instances.append(self)
        super().connection_made(transport)

    def pause_writing(self) -> None:
        CountingProtocol.pauses += 1
        super().pause_writing()


# Incompressible (base64 of random bytes): with deflate negotiated the flood still fills the
# buffer, since each frame compresses only to ~3/4 of its size.
FRAME = base64.b64encode(os.urandom(49152)).decode()


async def flood_app(
    scope: dict[str, Any],
    receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """Accepts, then on {"flood": n} sends n numbered 64 KiB frames and {"done": n}."""
    assert scope["type"] == "websocket"
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif message["type"] == "websocket.receive":
            n = json.loads(message["text"])["flood"]
            for i in range(n):
                await send({"type": "websocket.send", "text": f"{i}:{FRAME}"})
            await send({"type": "websocket.send", "text": json.dumps({"done": n})})
        else:
            return


@pytest.mark.parametrize("compression", [None, "deflate"])
async def test_a_real_uvicorn_with_the_lean_protocol_keeps_order_under_back_pressure(
    compression: str | None,
) -> None:
    """Plain and compressed frames alike: uvicorn's flag says no deflate, our class decides."""
    CountingProtocol.pauses = 0
    port = free_port()
    config = uvicorn.Config(
        flood_app,
        host="127.0.0.1",
        port=port,
        ws=CountingProtocol,
        ws_per_message_deflate=False,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn offers a flag, not an event)
            await asyncio.sleep(0.01)
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/", max_size=None, max_queue=1, compression=compression
        ) as client:
            offered = client.response.headers.get("Sec-WebSocket-Extensions", "")
            if compression:
                assert offered.startswith("permessage-deflate; server_no_context_takeover")
                assert "client_no_context_takeover" in offered
            else:
                assert offered == ""
            await client.send(json.dumps({"flood": 200}))  # 12.5 MiB: far above any buffer
            await asyncio.sleep(0.5)  # not reading: the server's transport pauses writing
            assert CountingProtocol.pauses > 0
            got = [(await client.recv()).split(":", 1) for _ in range(200)]
            assert [int(i) for i, _ in got] == list(range(200))
            assert all(text == FRAME for _, text in got)
            assert json.loads(await client.recv()) == {"done": 200}
            protocol = CountingProtocol.instances[-1]
            # The handshake objects are gone once sent; the scope still has what the app needs.
            assert protocol.request is None and protocol.response is None
            assert protocol.scope["path"] == "/"
    finally:
        server.should_exit = True
        await serving
