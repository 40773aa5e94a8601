"""The one module that talks to the channel layer.

- core's publisher (`publish`, filled into core/hooks.py by RealtimeConfig.ready()): called after
  commit with the events of one transaction; frames them once and sends them to every process
  serving the room as ONE layer message.
- core's notification pusher (`push_notification`): a new notification to the user's /ws/me/.
- the room hub's subscription (one channel per process, one group per room) and presence reports.
- /ws/me/'s per-user group, and the readiness check.

A broker failure while publishing is logged, never raised: the change is committed and clients
recover it with `resume` (docs/protocol.md, "Guarantees").
"""

import logging
import time
from collections.abc import Sequence
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from core.events import Event
from core.observability import metrics
from realtime import frames, snapshot

log = logging.getLogger(__name__)

ROOM_FRAMES = "room.frames"
ROOM_PRESENCE = "room.presence"
USER_NOTIFICATION = "user.notification"
USER_CLOSE = "user.close"
ROOM_USER_CLOSE = "room.user_close"
# Every process's room hub listens here for messages about all its rooms at once.
HUBS_GROUP = "rooms.all"


def room_group(tournament_id: int) -> str:
    return f"room.{tournament_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


# --- publishing (sync: called from commit hooks) ----------------------------------------------


def publish(tournament_id: int, events: Sequence[Event]) -> None:
    """Drop the cached snapshots (this process's at once, whatever the broker and the cache
    do), then send the room its new frames. `at` (wall clock: processes compare it) starts the
    fan-out latency each hub measures."""
    committed_at = time.time()
    framed = [(event.seq, frames.event_frame(event)) for event in events]
    if framed:  # from now on this process serves no snapshot older than these events
        snapshot.note_committed(tournament_id, framed[-1][0])
    snapshot.invalidate(tournament_id)
    if not framed:
        return
    try:
        async_to_sync(get_channel_layer().group_send)(
            room_group(tournament_id),
            {"type": ROOM_FRAMES, "room": tournament_id, "frames": framed, "at": committed_at},
        )
    except Exception:
        metrics.CHANNEL_LAYER_ERRORS.labels("publish").inc()
        log.warning(
            "room %s: broadcast of seq %s..%s failed; clients will resume",
            tournament_id,
            framed[0][0],
            framed[-1][0],
            exc_info=True,
        )
    else:
        metrics.EVENTS_PUBLISHED.inc(len(framed))


def push_notification(notification: Any) -> None:
    """core's notification pusher: the new row to the user's /ws/me/ sockets, after commit."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            user_group(notification.user_id),
            {"type": USER_NOTIFICATION, "frame": frames.notification_frame(notification)},
        )
    except Exception:
        metrics.CHANNEL_LAYER_ERRORS.labels("notify").inc()
        log.warning("user %s: notification push failed", notification.user_id, exc_info=True)


# --- the room hub (async: the server's event loop) --------------------------------------------


async def hub_channel() -> str:
    """A new channel for this process's hub: every room frame reaches the process once."""
    return await get_channel_layer().new_channel(prefix="hub.")


async def room_subscribe(tournament_id: int, channel: str) -> None:
    await get_channel_layer().group_add(room_group(tournament_id), channel)


async def hubs_subscribe(channel: str) -> None:
    await get_channel_layer().group_add(HUBS_GROUP, channel)


async def room_unsubscribe(tournament_id: int, channel: str) -> None:
    await get_channel_layer().group_discard(room_group(tournament_id), channel)


async def receive(channel: str) -> dict[str, Any]:
    return await get_channel_layer().receive(channel)


async def presence_report(tournament_id: int, *, process: str, count: int) -> None:
    """Tell the room's other processes how many sockets this one holds."""
    await get_channel_layer().group_send(
        room_group(tournament_id),
        {"type": ROOM_PRESENCE, "room": tournament_id, "proc": process, "count": count},
    )


# --- /ws/me/ ----------------------------------------------------------------------------------


def close_user_sockets(user_id: int) -> None:
    """core's hook after an account was deleted: its /ws/me/ sockets and, through every
    process's room hub, its authenticated room sockets close (4401)."""
    try:
        send = async_to_sync(get_channel_layer().group_send)
        send(user_group(user_id), {"type": USER_CLOSE})
        send(HUBS_GROUP, {"type": ROOM_USER_CLOSE, "user": user_id})
    except Exception:
        metrics.CHANNEL_LAYER_ERRORS.labels("user_close").inc()
        log.warning("user %s: closing the sockets failed", user_id, exc_info=True)


async def user_subscribe(user_id: int, channel: str) -> None:
    await get_channel_layer().group_add(user_group(user_id), channel)


async def user_unsubscribe(user_id: int, channel: str) -> None:
    await get_channel_layer().group_discard(user_group(user_id), channel)


# --- readiness --------------------------------------------------------------------------------


def check_layer() -> None:
    """Raises when the channel layer cannot take a message (core/api/health.py's readiness)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)("readyz", {"type": "readyz.ping"})
