"""The process-local room hub: one channel-layer subscription per room per process.

Stock Channels gives every consumer its own channel, queue and dispatch per broadcast
(docs/fanout.md, traps 1, 2 and 7). Here a process subscribes once per room (through
realtime/broadcast.py); each frame arrives once per process, already encoded, and is handed to
every local socket of the room as the same string, a PreparedFrame (realtime/prepared.py) whose
wire bytes, plain or compressed, are computed once.

It also keeps, per room, the most recent frames it has seen (so a resume is usually answered
from memory) and the spectator count across processes (presence reports over the same group).

The local fan-out runs in a task per room and yields to the loop every FANOUT_SLICE sockets, so
10,000 writes never starve the host's socket or other rooms. While a local host's command is in
flight (`hold`), the room's new frames wait in its inbox: the command's answer is written right
after its commit, before the fan-out of the frames it produced (docs/protocol.md, `ack`).
"""

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections import deque
from typing import Protocol

from asgiref.sync import sync_to_async

from core.observability import metrics
from core.services.audience import audience_record
from realtime import broadcast, frames
from realtime.prepared import PreparedFrame, SnapshotParts

log = logging.getLogger(__name__)

RECENT_FRAMES = 1000
FANOUT_SLICE = 500  # sockets written between two yields to the loop
PRESENCE_INTERVAL = 2.0  # docs/protocol.md: at most one presence frame every 2 s per room
AUDIENCE_EVERY = 10.0  # seconds between audience writes of an unchanged room (cache TTL is 30)
PRESENCE_STALE_AFTER = 10.0  # a process that stopped reporting no longer counts
PROCESS_ID = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


class RoomSocket(Protocol):
    def push_frames(self, frames: list[tuple[int, str]]) -> None: ...
    def push_presence(self, text: str) -> None: ...
    def close_if_user(self, user_id: int) -> None: ...


class Room:
    __slots__ = (
        "held",
        "id",
        "inbox",
        "last_presence_sent",
        "members",
        "meta",
        "presence_dirty",
        "pump",
        "recent",
        "reports",
        "snapshot",
    )

    def __init__(self, tournament_id: int) -> None:
        self.id = tournament_id
        self.members: set[RoomSocket] = set()
        self.recent: deque[tuple[int, str]] = deque(maxlen=RECENT_FRAMES)
        # process id -> (spectator count, monotonic time of the report)
        self.reports: dict[str, tuple[int, float]] = {}
        self.last_presence_sent = -1
        self.presence_dirty = True
        # In-process copies of the cached room metadata and snapshot while the room has members
        # (a connect storm then costs no cache round trip per socket). Dropped on every new
        # frame, exactly when the publisher drops the shared cache's copies.
        self.meta: dict | None = None
        self.snapshot: tuple[int, SnapshotParts] | None = None
        # Frames remembered but not yet written to the members, in order, with their commit time.
        self.inbox: deque[tuple[list[tuple[int, str]], float | None]] = deque()
        self.held = 0  # local host commands in flight
        self.pump: asyncio.Task | None = None

    def spectators(self) -> int:
        now = time.monotonic()
        total = len(self.members)
        for proc, (count, at) in list(self.reports.items()):
            if proc == PROCESS_ID:
                continue
            if now - at > PRESENCE_STALE_AFTER:
                del self.reports[proc]
            else:
                total += count
        return total

    def frames_after(self, since: int) -> list[tuple[int, str]] | None:
        """Frames after `since` from memory, or None when memory cannot prove it has them all."""
        if not self.recent or self.recent[0][0] > since + 1 or since > self.recent[-1][0]:
            return None
        return [f for f in self.recent if f[0] > since]

    def remember(self, frames: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Store frames in seq order, returning only those not seen before."""
        last = self.recent[-1][0] if self.recent else 0
        fresh = [f for f in frames if f[0] > last]
        if fresh and self.recent and fresh[0][0] != last + 1:
            # A gap (frames lost while the broker was away): memory no longer proves completeness.
            self.recent.clear()
        self.recent.extend(fresh)
        if fresh:
            self.meta = None
            self.snapshot = None
        return fresh

    def last_seq(self) -> int:
        return self.recent[-1][0] if self.recent else 0


class RoomHub:
    def __init__(self) -> None:
        self.rooms: dict[int, Room] = {}
        self.channel: str | None = None
        self._reader: asyncio.Task | None = None
        self._presence: asyncio.Task | None = None
        # room id -> (total last recorded for the dashboards, monotonic time); in-flight writes
        self._audience: dict[int, tuple[int, float]] = {}
        self._audience_writes: set[asyncio.Task] = set()
        self._lock = asyncio.Lock()

    async def join(self, tournament_id: int, sock: RoomSocket) -> Room:
        async with self._lock:
            await self._start()
            room = self.rooms.get(tournament_id)
            if room is None:
                room = self.rooms[tournament_id] = Room(tournament_id)
                metrics.ROOMS.inc()
                await self._subscribe(tournament_id)
            room.members.add(sock)
            room.presence_dirty = True
            return room

    async def leave(self, tournament_id: int, sock: RoomSocket) -> None:
        async with self._lock:
            room = self.rooms.get(tournament_id)
            if room is None:
                return
            room.members.discard(sock)
            room.presence_dirty = True
            if not room.members:
                del self.rooms[tournament_id]
                metrics.ROOMS.dec()
                await self._report_presence(room)  # tell other processes we have none left
                with contextlib.suppress(Exception):  # the layer may be down; stale after 10 s
                    await broadcast.room_unsubscribe(tournament_id, self.channel)

    def deliver(
        self, tournament_id: int, frames: list[tuple[int, str]], committed_at: float | None = None
    ) -> None:
        """Remember the frames (a resume from memory sees them at once) and queue them for the
        room's fan-out task."""
        room = self.rooms.get(tournament_id)
        if room is None:
            return
        # Prepared here, once per frame per process: every member (and every resume from
        # memory) writes the same wire bytes, compressed at most once (realtime/prepared.py).
        fresh = room.remember([(seq, PreparedFrame(text)) for seq, text in frames])
        if fresh:
            room.inbox.append((fresh, committed_at))
            self._kick(room)

    def hold(self, tournament_id: int) -> None:
        """A local host's command starts: the room's next frames wait for its answer."""
        room = self.rooms.get(tournament_id)
        if room is not None:
            room.held += 1

    def release(self, tournament_id: int) -> None:
        """The command's answer is written: the frames it produced go out now."""
        room = self.rooms.get(tournament_id)
        if room is not None and room.held:
            room.held -= 1
            self._kick(room)

    def _kick(self, room: Room) -> None:
        if room.held or not room.inbox or (room.pump is not None and not room.pump.done()):
            return
        room.pump = asyncio.ensure_future(self._fan_out(room))

    async def _fan_out(self, room: Room) -> None:
        """Every queued frame to every member, in order. A socket with nothing queued is
        written before push_frames returns (QueuedOutput), so the end of a batch is when its
        last local socket was written: one observation per broadcast, never per socket."""
        while room.inbox and not room.held:
            fresh, committed_at = room.inbox.popleft()
            for i, sock in enumerate(list(room.members), 1):
                sock.push_frames(fresh)
                if i % FANOUT_SLICE == 0:
                    await asyncio.sleep(0)
            if committed_at is not None:
                metrics.FANOUT_SECONDS.observe(max(time.time() - committed_at, 0.0))

    async def _start(self) -> None:
        if self.channel is None:
            try:
                self.channel = await broadcast.hub_channel()
            except Exception:  # broker down: the read loop gets a channel when it is back
                log.warning("room hub: no channel yet; will retry", exc_info=True)
            else:
                await self._subscribe_all()
        if self._reader is None or self._reader.done():
            self._reader = asyncio.ensure_future(self._read_loop())
        if self._presence is None or self._presence.done():
            self._presence = asyncio.ensure_future(self._presence_loop())

    async def _subscribe_all(self) -> None:
        """The hub-wide group (closing a user's sockets) and every room this process serves."""
        try:
            await broadcast.hubs_subscribe(self.channel)
        except Exception:  # broker down: the read loop re-subscribes when it comes back
            metrics.CHANNEL_LAYER_ERRORS.labels("subscribe").inc()
            log.warning("room hub: hub-wide subscribe failed; will retry", exc_info=True)
        for tournament_id in list(self.rooms):
            await self._subscribe(tournament_id)

    async def _subscribe(self, tournament_id: int) -> None:
        if self.channel is None:
            return  # the read loop subscribes every room once it has its channel
        try:
            await broadcast.room_subscribe(tournament_id, self.channel)
        except Exception:  # broker down: the read loop re-subscribes when it comes back
            metrics.CHANNEL_LAYER_ERRORS.labels("subscribe").inc()
            log.warning("room %s: subscribe failed; will retry", tournament_id, exc_info=True)

    async def _read_loop(self) -> None:
        while True:
            try:
                if self.channel is None:
                    self.channel = await broadcast.hub_channel()
                    await self._subscribe_all()
                message = await broadcast.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                metrics.CHANNEL_LAYER_ERRORS.labels("receive").inc()
                log.warning("room hub: channel layer receive failed; retrying", exc_info=True)
                await asyncio.sleep(1)
                await self._subscribe_all()
                continue
            try:
                self._handle(message)
            except Exception:
                log.exception("room hub: bad message %r", message.get("type"))

    def _handle(self, message: dict) -> None:
        kind = message.get("type")
        room_id = message.get("room")
        if kind == broadcast.ROOM_FRAMES:
            frames_ = [(int(s), t) for s, t in message["frames"]]
            self.deliver(room_id, frames_, message.get("at"))
        elif kind == broadcast.ROOM_USER_CLOSE:
            for room in list(self.rooms.values()):
                for sock in list(room.members):
                    sock.close_if_user(int(message["user"]))
        elif kind == broadcast.ROOM_PRESENCE and message.get("proc") != PROCESS_ID:
            room = self.rooms.get(room_id)
            if room is not None:
                room.reports[message["proc"]] = (int(message["count"]), time.monotonic())
                room.presence_dirty = True

    async def _report_presence(self, room: Room) -> None:
        with contextlib.suppress(Exception):
            await broadcast.presence_report(room.id, process=PROCESS_ID, count=len(room.members))

    async def _presence_loop(self) -> None:
        """Every 2 s: report this process's count to the others, and send each room's total to
        its local sockets when it changed."""
        while True:
            await asyncio.sleep(PRESENCE_INTERVAL)
            for room in list(self.rooms.values()):
                await self._report_presence(room)
                total = room.spectators()
                self._record_audience(room.id, total)
                if total != room.last_presence_sent:
                    room.last_presence_sent = total
                    text = PreparedFrame(frames.presence_frame(total))
                    for sock in list(room.members):
                        sock.push_presence(text)

    def _record_audience(self, room_id: int, total: int) -> None:
        """The dashboards' spectators now and peak (core/services/audience.py): written when the
        total changes, and every AUDIENCE_EVERY seconds so "now" does not expire while watched;
        off the loop, and a failed write costs only that figure."""
        now = time.monotonic()
        last = self._audience.get(room_id)
        if last is not None and last[0] == total and now - last[1] < AUDIENCE_EVERY:
            return
        self._audience[room_id] = (total, now)
        task = asyncio.ensure_future(_audience_write(room_id, total))
        self._audience_writes.add(task)
        task.add_done_callback(self._audience_writes.discard)


async def _audience_write(room_id: int, total: int) -> None:
    try:
        await sync_to_async(audience_record)(tournament_id=room_id, spectators=total)
    except Exception:
        log.warning("room %s: audience not recorded", room_id, exc_info=True)


_hubs: dict[asyncio.AbstractEventLoop, RoomHub] = {}


def get_hub() -> RoomHub:
    """The hub of the running event loop (one per server process; tests get one per loop)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for old in [lp for lp in _hubs if lp.is_closed()]:
            del _hubs[old]
        hub = _hubs[loop] = RoomHub()
    return hub
