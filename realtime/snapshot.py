"""What a socket needs from storage: the room's metadata, the cached snapshot, replayed frames.

The snapshot is built at most once per change (it is dropped from the cache when an event is
published) and at most once at a time: a connect storm waits for the one build in progress,
in this process (an asyncio lock) and across processes (a short cache lock)."""

import asyncio
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.core.cache import cache

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


def invalidate(tournament_id: int) -> None:
    cache.delete_many([meta_key(tournament_id), snapshot_key(tournament_id)])


async def room_meta(tournament_id: int) -> dict[str, Any] | None:
    meta = await cache.aget(meta_key(tournament_id))
    if meta is None:
        meta = await database_sync_to_async(room_meta_for)(tournament_id) or {"missing": True}
        await cache.aset(meta_key(tournament_id), meta, META_TTL)
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


async def snapshot_entry(tournament_id: int) -> dict[str, Any]:
    """The cached snapshot {seq, head, tail}, built if missing (once at a time)."""
    entry = await cache.aget(snapshot_key(tournament_id))
    if entry is None:
        lock = _local_locks.setdefault(tournament_id, asyncio.Lock())
        async with lock:
            entry = await cache.aget(snapshot_key(tournament_id))
            if entry is None:
                entry = await _build_once(tournament_id)
    return entry


async def _build_once(tournament_id: int) -> dict[str, Any]:
    lock_key = f"{snapshot_key(tournament_id)}:building"
    for _ in range(50):  # another process is building: wait for it (≤ ~5 s), then build anyway
        if await cache.aadd(lock_key, 1, BUILD_LOCK_TTL):
            break
        await asyncio.sleep(0.1)
        entry = await cache.aget(snapshot_key(tournament_id))
        if entry is not None:
            return entry
    try:
        seq, body = await database_sync_to_async(room_snapshot_data)(tournament_id)
        entry = _encode(seq, body)
        await cache.aset(snapshot_key(tournament_id), entry, SNAPSHOT_TTL)
        return entry
    finally:
        await cache.adelete(lock_key)
