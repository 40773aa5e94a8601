"""Prepared frames: a room frame's wire bytes, built once per process whatever the audience.

Compressing per socket made permessage-deflate 4-5x slower than plain frames (docs/fanout.md):
every socket ran zlib over the same text. A PreparedFrame is the frame's text (a `str`: every
layer that only needs the text, daphne and the Channels test communicator included, uses it as
is) that also holds, lazily and at most once, (a) the plain text frame's complete wire bytes and
(b) per negotiated server window the compressed frame's wire bytes (RFC 7692 with
`server_no_context_takeover`, so a message's compression never depends on what the socket was
sent before and one compressed body is right for every socket). Our protocol class
(realtime/wsprotocol.py) writes those bytes straight to the transport; this is what Go's
gorilla/websocket calls a prepared message.

A `str` subclass cannot have slots; the instance dict holds the cached bytes. There is one
PreparedFrame per broadcast frame per process (the hub's memory of recent frames), never one per
socket, so its size is not the idle-socket cost.
"""

import struct
import zlib

TEXT = 0x81  # FIN + opcode text; server frames are unmasked
TEXT_DEFLATED = 0xC1  # FIN + RSV1 (the message is compressed) + opcode text
SYNC_TAIL = b"\x00\x00\xff\xff"  # ends every Z_SYNC_FLUSH; RFC 7692 removes it from the frame
LEVEL = 6  # zlib's default: it runs once per frame per process, not once per socket


def frame_header(first: int, length: int) -> bytes:
    if length < 126:
        return bytes((first, length))
    if length < 1 << 16:
        return struct.pack("!BBH", first, 126, length)
    return struct.pack("!BBQ", first, 127, length)


def deflate_sync(data: bytes, window_bits: int) -> bytes:
    """Raw deflate of `data` ending with a sync flush (its 00 00 ff ff kept): byte aligned, so
    pieces compressed apart concatenate into one valid stream (the snapshot's halves)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -window_bits)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def stored_block(data: bytes) -> bytes:
    """A non-final stored (uncompressed) deflate block, starting on a byte boundary: what joins
    the per-socket spectator count into a snapshot compressed once (len(data) < 65536)."""
    size = len(data)
    return b"\x00" + struct.pack("<HH", size, size ^ 0xFFFF) + data


class PreparedFrame(str):
    """A server text frame whose wire bytes are computed once, however many sockets get it."""

    def plain_bytes(self) -> bytes:
        wire = self.__dict__.get("_plain")
        if wire is None:
            payload = self.encode()
            wire = self._plain = frame_header(TEXT, len(payload)) + payload
        return wire

    def deflated_bytes(self, window_bits: int) -> bytes:
        """The frame for a socket that negotiated permessage-deflate with this server window.
        A message whose compressed form is not smaller goes out plain (RSV1 clear), which RFC
        7692 allows per message: a presence or pong frame gains nothing from deflate."""
        cache = self.__dict__.get("_deflated")
        if cache is None:
            cache = self._deflated = {}
        wire = cache.get(window_bits)
        if wire is None:
            body = self.deflate_body(window_bits)
            plain = self.plain_bytes()
            wire = frame_header(TEXT_DEFLATED, len(body)) + body
            if len(wire) >= len(plain):
                wire = plain
            cache[window_bits] = wire
        return wire

    def deflate_body(self, window_bits: int) -> bytes:
        return deflate_sync(self.encode(), window_bits)[: -len(SYNC_TAIL)]


class SnapshotParts:
    """A snapshot's text around the per-socket spectator count (realtime/frames.py), with each
    half compressed once per server window; one per room per change (the hub's Room.snapshot)."""

    __slots__ = ("_deflated", "head", "tail")

    def __init__(self, head: str, tail: str) -> None:
        self.head = head
        self.tail = tail
        self._deflated: dict[int, tuple[bytes, bytes]] | None = None

    def deflated(self, window_bits: int) -> tuple[bytes, bytes]:
        if self._deflated is None:
            self._deflated = {}
        pair = self._deflated.get(window_bits)
        if pair is None:
            head = deflate_sync(self.head.encode(), window_bits)
            tail = deflate_sync(self.tail.encode(), window_bits)[: -len(SYNC_TAIL)]
            pair = self._deflated[window_bits] = (head, tail)
        return pair

    def frame(self, spectators: int) -> "PreparedSnapshot":
        text = PreparedSnapshot(f"{self.head}{spectators}{self.tail}")
        text._parts = self
        text._spectators = str(spectators).encode()
        return text


class PreparedSnapshot(PreparedFrame):
    """One socket's snapshot: its compressed body is the room's compressed head, the count as a
    stored block, and the compressed tail (a concatenation, no zlib per socket)."""

    # Underscored: a public name here would shadow a str method (`count` did, for json).
    _parts: SnapshotParts
    _spectators: bytes

    def deflate_body(self, window_bits: int) -> bytes:
        head, tail = self._parts.deflated(window_bits)
        return head + stored_block(self._spectators) + tail
