"""/ws/tournaments/<id>/ — the live room (docs/protocol.md)."""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from core.api.jsonguard import MAX_DEPTH, first_problem
from core.observability import metrics
from core.selectors.room import user_may_command, user_may_watch_private
from realtime import closecodes, commands, frames, snapshot
from realtime.consumers.base import QueuedOutput
from realtime.consumers.raw import RawSocket, Send
from realtime.hub import Room, get_hub
from realtime.limits import MAX_COMMAND_ID, MAX_FRAME_BYTES, RATE_STRIKES_BEFORE_CLOSE, TokenBucket
from realtime.prepared import SnapshotParts

log = logging.getLogger(__name__)

T = TypeVar("T")
SPECTATOR_TYPES = {"ping", "resume"}


class RoomConsumer(QueuedOutput, RawSocket):
    """One spectator's (or the host's) socket. No channel of its own: the process's RoomHub
    receives each room frame once and hands it to every member (push_frames)."""

    room: Room | None = None
    bucket: TokenBucket | None = None  # made on the first inbound frame (memory)
    strikes = 0
    last_seq = 0

    def __init__(
        self, scope: dict, send: Send, *, tournament_id: int, user: Any, auth_failed: bool
    ) -> None:
        super().__init__(scope, send)
        self.tournament_id = tournament_id
        self.user = user
        self.auth_failed = auth_failed

    async def connect(self) -> None:
        await self.accept()
        if self.auth_failed:
            return await self.close_with(closecodes.AUTH_FAILED)
        known = get_hub().rooms.get(self.tournament_id)
        meta = known.meta if known is not None else None
        if meta is None:
            seen = known.last_seq() if known is not None else -1
            meta = await _room_meta(self.tournament_id)
            if known is not None and meta is not None and known.last_seq() == seen:
                known.meta = meta  # no event meanwhile: still what the cache holds
        if meta is None:
            return await self.close_with(closecodes.NOT_FOUND)
        self.meta = meta
        if meta["visibility"] == "private" and not await database_sync_to_async(
            user_may_watch_private
        )(self.user, meta):
            return await self.close_with(closecodes.FORBIDDEN)
        # Join first, then read: frames published meanwhile wait in the queue (paused) and
        # those already covered by the snapshot/replay are skipped by seq.
        self.room = await get_hub().join(self.tournament_id, self)
        self._connections().inc()
        since = _int_or_none(_query(self.scope).get("since"))
        await self._catch_up(since)

    async def disconnect(self, code: int) -> None:
        if self.room is not None:
            self._connections().dec()
            await get_hub().leave(self.tournament_id, self)
            self.room = None

    def _connections(self) -> Any:
        """The gauge this socket counts in: the host's (who may command) or a spectator's.
        Worked out again rather than stored: an idle socket holds no more than it must."""
        return metrics.WS_HOST if user_may_command(self.user, self.meta) else metrics.WS_ROOM

    # --- outgoing -------------------------------------------------------------------------

    def push_frames(self, frames: list[tuple[int, str]]) -> None:
        if self._paused:
            return  # _sync catches up from the room's memory when it finishes
        for seq, text in frames:
            if seq > self.last_seq:
                self.last_seq = seq
                self.enqueue(text)

    def push_presence(self, text: str) -> None:
        if not self._paused:
            self.enqueue(text)

    def close_if_user(self, user_id: int) -> None:
        """The hub's answer to an account deleted anywhere: this socket's credentials are void."""
        if getattr(self.user, "pk", None) == user_id and not self._closing:
            self._closing = True  # one close, however many messages arrive
            self.clear_output()
            self._task = asyncio.ensure_future(self.close(code=closecodes.AUTH_FAILED))

    async def _catch_up(self, since: int | None) -> None:
        """Bring this socket up to date: replay after `since` when possible, else a snapshot."""
        self._paused = True
        self.clear_output()
        replay = None
        if since is not None:
            replay = self.room.frames_after(since) if self.room else None
            if replay is None:
                replay = await snapshot.frames_after(self.tournament_id, since)
        if replay is not None:
            metrics.CATCH_UP_RESUME.inc()
            self.last_seq = since or 0
            for seq, text in replay:
                if seq > self.last_seq:
                    self.last_seq = seq
                    await self.send_now(text)
        else:
            metrics.CATCH_UP_SNAPSHOT.inc()
            seq, text = await self._snapshot()
            self.last_seq = max(seq, 0)
            await self.send_now(text)
        # Frames that arrived during the sync and are newer than what was sent.
        if self.room is not None and self.room.recent and self.room.recent[-1][0] > self.last_seq:
            newer = self.room.frames_after(self.last_seq)
            if newer is None:
                newer = await snapshot.frames_after(self.tournament_id, self.last_seq) or []
            for seq, text in newer:
                if seq > self.last_seq:
                    self.last_seq = seq
                    self.backlog().append(text)
        self.resume_output()

    async def _snapshot(self) -> tuple[int, str]:
        """The snapshot frame, from the room's in-process copy when it has a current one."""
        room = self.room
        spectators = room.spectators() if room else 0
        committed = snapshot.committed_seq(self.tournament_id)
        if room is not None and room.snapshot is not None and room.snapshot[0] >= committed:
            seq, parts = room.snapshot
            return seq, parts.frame(spectators)
        tid = self.tournament_id
        entry = await _single_flight("snapshot", tid, lambda: snapshot.snapshot_entry(tid))
        seq, parts = entry["seq"], SnapshotParts(entry["head"], entry["tail"])
        # Keep it only if no newer frame reached the room meanwhile (else it is stale). Its
        # halves are then compressed once for every socket the room snapshots.
        if room is not None and seq >= room.last_seq():
            room.snapshot = (seq, parts)
        return seq, parts.frame(spectators)

    # --- incoming -------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        if raw is not None and len(raw) > MAX_FRAME_BYTES:
            return await self.close_with(closecodes.TOO_BIG)
        if self.bucket is None:
            self.bucket = TokenBucket()
        if not self.bucket.take():
            self.strikes += 1
            if self.strikes >= RATE_STRIKES_BEFORE_CLOSE:
                return await self.close_with(closecodes.RATE_LIMITED)
            return await self.send_now(frames.error_frame("rate_limited", "Too many messages."))
        self.strikes = 0
        message, problem = _parse(text_data)
        if problem:
            return await self.send_now(
                frames.error_frame("bad_message", problem, id=_id_of(message))
            )
        kind = message["type"]
        if kind == "ping":
            return await self.send_now(frames.PONG)
        if kind == "resume":
            since = message.get("since")
            if not isinstance(since, int) or isinstance(since, bool) or since < 0:
                return await self.send_now(
                    frames.error_frame("bad_message", "since must be an integer")
                )
            return await self._catch_up(since)
        await self._command(message)

    async def _command(self, message: dict[str, Any]) -> None:
        command_id = message.get("id")
        if not isinstance(command_id, str) or not command_id or len(command_id) > MAX_COMMAND_ID:
            return await self.send_now(
                frames.error_frame("bad_message", "id must be a string of 1..64 characters")
            )
        if not user_may_command(self.user, self.meta):
            return await self.send_now(
                frames.error_frame("forbidden", "Only the host can do this.", id=command_id)
            )
        hub = get_hub()
        hub.hold(self.tournament_id)  # the answer goes out before the frames the command makes
        try:
            answer = await commands.run(
                user=self.user, tournament_id=self.tournament_id, message=message
            )
            await self.send_now(answer)
        finally:
            hub.release(self.tournament_id)


_loads: dict[tuple[str, int], asyncio.Future] = {}


async def _single_flight(kind: str, tournament_id: int, load: Callable[[], Awaitable[T]]) -> T:
    """One load at a time per room in this process, shared by every caller meanwhile. In a
    connect storm every socket of a room would otherwise miss the cache together: one query
    each for the metadata (bench/README.md: storm queries grew by one per socket) and one cache
    round trip each (a thread hop for Django's cache API) for the snapshot."""
    key = (kind, tournament_id)
    pending = _loads.get(key)
    if pending is None or pending.get_loop() is not asyncio.get_running_loop():
        pending = asyncio.ensure_future(load())
        _loads[key] = pending
        pending.add_done_callback(lambda done: _loads.pop(key) if _loads.get(key) is done else None)
    return await asyncio.shield(pending)


async def _room_meta(tournament_id: int) -> dict[str, Any] | None:
    return await _single_flight("meta", tournament_id, lambda: snapshot.room_meta(tournament_id))


def _query(scope: dict) -> dict[str, str]:
    parsed = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
    return {k: v[0] for k, v in parsed.items()}


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is None or number >= 0 else None


def _id_of(message: Any) -> Any:
    return message.get("id") if isinstance(message, dict) else None


def _parse(text: str | None) -> tuple[Any, str | None]:
    if text is None:
        return None, "frames must be text"
    try:
        message = json.loads(text)
    except RecursionError:
        return None, f"JSON nested deeper than {MAX_DEPTH} levels"
    except ValueError:
        return None, "not JSON"
    if not isinstance(message, dict):
        return message, "a frame must be a JSON object"
    problem = first_problem(message)
    if problem is not None:
        return message, f"{problem[0]}: {problem[1]}"
    kind = message.get("type")
    if not isinstance(kind, str):
        return message, "type is missing"
    if kind not in SPECTATOR_TYPES and kind not in commands.HOST_COMMANDS:
        return message, f"unknown type {kind[:40]!r}"
    return message, None
