"""What a socket needs from storage: the room's metadata, the cached snapshot, replayed frames.

The snapshot is built at most once per change (it is dropped from the cache when an event is
published) and at most once at a time: a connect storm waits for the one build in progress,
in this process (an asyncio lock) and across processes (a short cache lock)."""

import asyncio
import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.core.cache import cache

from core.api import degraded
from core.events import events_after
from core.selectors.room import room_meta_for, room_snapshot_data
from realtime import frames

log = logging.getLogger(__name__)

META_TTL = 60
SNAPSHOT_TTL = 300
BUILD_LOCK_TTL = 10


def meta_key(tournament_id: int) -> str:
    return f"room:{tournament_id}:meta"


def snapshot_key(tournament_id: int) -> str:
    return f"room:{tournament_id}:snapshot"


# The last seq this process committed per room (written by the publisher's thread, read by the
# event loop): a snapshot older than it is never served, whatever the shared cache still holds
# (its invalidation may have failed, or not reached it yet).
_committed: dict[int, int] = {}


def note_committed(tournament_id: int, seq: int) -> None:
    if seq > _committed.get(tournament_id, 0):
        _committed[tournament_id] = seq


def committed_seq(tournament_id: int) -> int:
    return _committed.get(tournament_id, 0)


def forget_committed() -> None:
    """Tests: each starts as a fresh process would (tournament ids are reused between tests)."""
    _committed.clear()


def invalidate(tournament_id: int) -> None:
    try:
        cache.delete_many([meta_key(tournament_id), snapshot_key(tournament_id)])
    except Exception:  # the cache is down: entries expire, and note_committed guards this one
        degraded.report(
            log, "snapshot-invalidate", "room %s: cache invalidation failed", tournament_id
        )


async def _get(key: str) -> Any:
    try:
        return await cache.aget(key)
    except Exception:  # the cache is down: the database answers instead
        degraded.report(log, "snapshot-cache", "room cache unavailable; reading the database")
        return None


async def _set(key: str, value: Any, ttl: int) -> None:
    try:
        await cache.aset(key, value, ttl)
    except Exception:
        degraded.report(log, "snapshot-cache", "room cache unavailable; reading the database")


async def room_meta(tournament_id: int) -> dict[str, Any] | None:
    meta = await _get(meta_key(tournament_id))
    if meta is None:
        meta = await database_sync_to_async(room_meta_for)(tournament_id) or {"missing": True}
        await _set(meta_key(tournament_id), meta, META_TTL)
    return None if meta.get("missing") else meta


@database_sync_to_async
def _frames_from_log(tournament_id: int, since: int) -> list[tuple[int, str]] | None:
    events = events_after(tournament_id, since)
    return None if events is None else [(e.seq, frames.event_frame(e)) for e in events]


async def frames_after(tournament_id: int, since: int) -> list[tuple[int, str]] | None:
    """Every frame after `since`, in order, or None when a snapshot is needed instead."""
    return await _frames_from_log(tournament_id, since)


_local_locks: dict[int, asyncio.Lock] = {}


def _encode(seq: int, body: dict[str, Any]) -> dict[str, Any]:
    """Encode once, leaving a hole for the spectator count (per socket it is a concatenation)."""
    head, tail = frames.snapshot_parts(seq, body)
    return {"seq": seq, "head": head, "tail": tail}


def _current(entry: Any, tournament_id: int) -> bool:
    return entry is not None and entry["seq"] >= committed_seq(tournament_id)


async def snapshot_entry(tournament_id: int) -> dict[str, Any]:
    """The cached snapshot {seq, head, tail}, built if missing or older than what this process
    committed (once at a time)."""
    entry = await _get(snapshot_key(tournament_id))
    if not _current(entry, tournament_id):
        lock = _local_locks.setdefault(tournament_id, asyncio.Lock())
        async with lock:
            entry = await _get(snapshot_key(tournament_id))
            if not _current(entry, tournament_id):
                entry = await _build_once(tournament_id)
    return entry


async def _build_once(tournament_id: int) -> dict[str, Any]:
    lock_key = f"{snapshot_key(tournament_id)}:building"
    locked = False
    for _ in range(50):  # another process is building: wait for it (≤ ~5 s), then build anyway
        try:
            locked = await cache.aadd(lock_key, 1, BUILD_LOCK_TTL)
        except Exception:  # no cache, no lock to share: build it here
            break
        if locked:
            break
        await asyncio.sleep(0.1)
        entry = await _get(snapshot_key(tournament_id))
        if _current(entry, tournament_id):
            return entry
    try:
        seq, body = await database_sync_to_async(room_snapshot_data)(tournament_id)
        entry = _encode(seq, body)
        await _set(snapshot_key(tournament_id), entry, SNAPSHOT_TTL)
        return entry
    finally:
        if locked:
            with contextlib.suppress(Exception):
                await cache.adelete(lock_key)
