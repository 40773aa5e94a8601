"""realtime/prepared.py: a broadcast frame's wire bytes, plain and compressed, are built once per
process whatever the number of sockets, and decode with an independent inflater (zlib, raw
deflate, the 00 00 ff ff tail put back as RFC 7692 says) to the exact text."""

import asyncio
import json
import struct
import zlib

import pytest

from realtime import prepared
from realtime.hub import Room, RoomHub
from realtime.prepared import PreparedFrame, SnapshotParts

RESULT = json.dumps(
    {"type": "event", "seq": 7, "rows": [{"team": i, "name": f"Team {i}"} for i in range(25)]},
    separators=(",", ":"),
)


def parse(wire: bytes) -> tuple[int, bytes]:
    """(first byte, payload) of one unmasked server frame."""
    length, at = wire[1], 2
    assert not length & 0x80  # server frames are unmasked
    if length == 126:
        (length,), at = struct.unpack("!H", wire[2:4]), 4
    elif length == 127:
        (length,), at = struct.unpack("!Q", wire[2:10]), 10
    assert len(wire) == at + length
    return wire[0], wire[at:]


def inflate(payload: bytes, bits: int = 15) -> str:
    return zlib.decompressobj(-bits).decompress(payload + b"\x00\x00\xff\xff").decode()


@pytest.mark.parametrize("size", [10, 125, 126, 65535, 65536, 70000])
def test_plain_bytes_are_a_fin_text_frame_with_every_length_form(size: int) -> None:
    text = "é" * (size // 2) + "x" * (size % 2)
    first, payload = parse(PreparedFrame(text).plain_bytes())
    assert first == 0x81 and payload == text.encode()


@pytest.mark.parametrize("bits", [9, 12, 15])
def test_deflated_bytes_set_rsv1_and_inflate_to_the_exact_text(bits: int) -> None:
    frame = PreparedFrame(RESULT)
    first, payload = parse(frame.deflated_bytes(bits))
    assert first == 0xC1  # FIN, RSV1, text
    assert inflate(payload, bits) == RESULT
    assert len(frame.deflated_bytes(bits)) < len(frame.plain_bytes())


def test_a_frame_deflate_cannot_shrink_goes_out_plain() -> None:
    frame = PreparedFrame('{"type":"pong"}')
    assert frame.deflated_bytes(15) == frame.plain_bytes()


def test_a_snapshot_joins_its_halves_compressed_once_around_each_sockets_count() -> None:
    parts = SnapshotParts('{"type":"snapshot","seq":3,"spectators":', "," + RESULT[1:])
    for count in (0, 7, 12345):
        text = parts.frame(count)
        assert json.loads(text)["spectators"] == count
        first, payload = parse(text.deflated_bytes(15))
        assert first == 0xC1 and inflate(payload) == text
        assert parse(text.plain_bytes())[1] == text.encode()


class Socket:
    """A room member that writes what our protocol would: the window it negotiated, or plain."""

    def __init__(self, bits: int | None) -> None:
        self.bits = bits
        self.wire: list[bytes] = []

    def push_frames(self, frames: list[tuple[int, str]]) -> None:
        for _, text in frames:
            assert isinstance(text, PreparedFrame)
            wire = text.plain_bytes() if self.bits is None else text.deflated_bytes(self.bits)
            self.wire.append(wire)

    def push_presence(self, text: str) -> None:
        pass

    def close_if_user(self, user_id: int) -> None:
        pass


async def test_the_hub_compresses_a_frame_once_per_window_for_any_number_of_sockets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = prepared.deflate_sync

    def counting(data: bytes, window_bits: int) -> bytes:
        calls.append(window_bits)
        return real(data, window_bits)

    monkeypatch.setattr(prepared, "deflate_sync", counting)
    hub = RoomHub()
    room = hub.rooms[1] = Room(1)
    sockets = [Socket(15) for _ in range(1500)] + [Socket(12) for _ in range(20)]
    sockets += [Socket(None) for _ in range(30)]
    room.members.update(sockets)
    hub.deliver(1, [(1, RESULT), (2, RESULT.replace("Team", "Squad"))])
    await room.pump
    assert sorted(calls) == [12, 12, 15, 15]  # two frames, two windows: four compressions
    assert all(len(s.wire) == 2 for s in sockets)
    # Every socket of a window got the very same bytes object: one frame in memory.
    assert len({id(s.wire[0]) for s in sockets if s.bits == 15}) == 1
    assert inflate(parse(sockets[0].wire[1])[1]) == RESULT.replace("Team", "Squad")
    # A resume from the room's memory writes the same prepared frames again: no new compression.
    for _, text in room.frames_after(0) or []:
        text.deflated_bytes(15)
    assert len(calls) == 4
    await asyncio.sleep(0)
