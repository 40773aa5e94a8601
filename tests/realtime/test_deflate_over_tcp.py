"""permessage-deflate over a real socket: a uvicorn server process on the production protocol
(realtime/wsprotocol.py) negotiates it with no context takeover, and a submitted result reaches a
compressing client and a plain one as the same frames in order. A minimal client of our own reads
the raw TCP bytes: RSV1 is set and an independent inflater gives the exact JSON text, which is
smaller on the wire than the plain frame. Needs PostgreSQL and Redis (the server shares this
run's test database and channel layer)."""

import asyncio
import base64
import json
import os
import struct
import zlib

import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.realtime.test_behind_proxy import put_result
from tests.support.rooms import live_room
from tests.support.servers import uvicorn_on_this_run
from tests.support.sockets import ORIGIN

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]

OFFER = "permessage-deflate; client_no_context_takeover; server_no_context_takeover"


class RawClient:
    """Just enough of RFC 6455 to read server frames as they are on the wire."""

    async def open(self, port: int, path: str) -> str:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: {ORIGIN.decode()}\r\n"
                f"Sec-WebSocket-Extensions: {OFFER}\r\n\r\n"
            ).encode()
        )
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode()
        assert head.startswith("HTTP/1.1 101"), head
        return head

    async def frame(self) -> tuple[int, bytes]:
        """(first byte, payload) of the next data frame (pings skipped)."""
        while True:
            first, second = await self.reader.readexactly(2)
            assert not second & 0x80  # server frames are unmasked
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            payload = await self.reader.readexactly(length)
            if first & 0x0F == 0x1:
                return first, payload

    def close(self) -> None:
        self.writer.close()


def inflate(payload: bytes) -> str:
    return zlib.decompressobj(-15).decompress(payload + b"\x00\x00\xff\xff").decode()


async def _texts_until(sock: websockets.ClientConnection, seq: int) -> list[str]:
    texts: list[str] = []
    async with asyncio.timeout(20):
        while True:
            text = await sock.recv()
            frame = json.loads(text)
            if frame["type"] in ("event", "snapshot"):
                texts.append(text)
                if frame["seq"] >= seq:
                    return texts


async def test_compressing_and_plain_clients_get_the_same_frames_and_raw_bytes_inflate() -> None:
    room = await sync_to_async(live_room)(teams=25)
    server = await sync_to_async(uvicorn_on_this_run)()
    raw = RawClient()
    try:
        headers = {"Origin": ORIGIN.decode()}
        url = server.ws + room.path
        deflating = await websockets.connect(url, additional_headers=headers)
        plain = await websockets.connect(url, additional_headers=headers, compression=None)
        agreed = deflating.response.headers["Sec-WebSocket-Extensions"]
        assert agreed.startswith("permessage-deflate; server_no_context_takeover")
        assert "client_no_context_takeover" in agreed
        assert "Sec-WebSocket-Extensions" not in plain.response.headers
        head = await raw.open(server.port, room.path)
        assert "server_no_context_takeover; client_no_context_takeover" in head

        # The snapshot: compressed halves around a stored block holding the count.
        first, payload = await raw.frame()
        assert first == 0xC1 and json.loads(inflate(payload))["type"] == "snapshot"

        last = await sync_to_async(put_result)(server.http, room, 0, list(range(25)))
        got_deflated = await _texts_until(deflating, last)
        got_plain = await _texts_until(plain, last)
        assert got_deflated[1:] == got_plain[1:]  # the snapshots differ by spectator count
        assert [json.loads(t).get("seq") for t in got_plain[1:]] == list(range(1, last + 1))

        result = next(t for t in got_plain if '"name":"match.result"' in t)
        while True:
            first, payload = await raw.frame()
            text = inflate(payload) if first & 0x40 else payload.decode()
            if text == result:
                break
        assert first == 0xC1  # FIN, RSV1 (compressed), text
        assert len(payload) * 3 < len(result.encode())  # a 25-team result: ~5.6 KB plain
        await deflating.close()
        await plain.close()
    finally:
        raw.close()
        await sync_to_async(server.stop)()
