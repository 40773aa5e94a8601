"""The one module that talks to the channel layer for rooms: core's publisher (registered in
RealtimeConfig.ready()), called after commit with the events of one transaction."""

import json
import logging
from collections.abc import Sequence
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from realtime import snapshot
from realtime.hub import room_group

log = logging.getLogger(__name__)


def publish(tournament_id: int, events: Sequence[Any]) -> None:
    """Drop the cached snapshot, then send the frames (already encoded) to every process
    serving the room as ONE layer message. A broker failure is logged, never raised: the change is
    committed and clients recover it with `resume` (PROTOCOL.md Guarantees)."""
    frames = [(event.seq, event.frame) for event in events]
    try:
        snapshot.invalidate(tournament_id)
    except Exception:
        log.warning("room %s: snapshot invalidation failed", tournament_id, exc_info=True)
    if not frames:
        return
    try:
        async_to_sync(get_channel_layer().group_send)(
            room_group(tournament_id),
            {"type": "room.frames", "room": tournament_id, "frames": frames},
        )
    except Exception:
        log.warning(
            "room %s: broadcast of seq %s..%s failed; clients will resume",
            tournament_id,
            frames[0][0],
            frames[-1][0],
            exc_info=True,
        )


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def notification_frame(notification: Any) -> str:
    from core.events import format_at

    return json.dumps(
        {
            "type": "notification",
            "notification": {
                "id": notification.pk,
                "kind": notification.kind,
                "title": notification.title,
                "body": notification.body,
                "data": notification.data,
                "at": format_at(notification.created_at),
            },
        },
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def push_notification(notification: Any) -> None:
    """core's notification pusher: the new row to the user's /ws/me/ sockets, after commit."""
    notify_user(notification.user_id, notification_frame(notification))


def notify_user(user_id: int, frame: str) -> None:
    """Push one notification frame to the user's /ws/me/ sockets (after commit)."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            user_group(user_id), {"type": "user.notification", "frame": frame}
        )
    except Exception:
        log.warning("user %s: notification push failed", user_id, exc_info=True)
