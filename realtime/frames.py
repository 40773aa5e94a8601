"""The text of every frame the server sends (docs/protocol.md, "Frames"): nothing else in the
project builds one. Compact JSON (no spaces, UTF-8 as is), each frame encoded once however many
sockets receive it.

An event frame is the stored event's data (JSON text, encoded once by core.events) wrapped in its
envelope by concatenation: byte for byte what `json.dumps` of the whole frame would give, since
the name and the time need no escaping. A snapshot is encoded once per change with a hole for the
spectator count, which differs per socket: `snapshot_parts` gives the two halves, and
realtime/prepared.py's SnapshotParts joins them around a count (and compresses each half
once). Answers to commands (ack, error) escape non-ASCII characters, as they always have.
"""

import json
from typing import Any

from core.events import Event, format_at

PONG = '{"type":"pong"}'


def _dumps(frame: dict[str, Any], *, ascii_only: bool = False) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=ascii_only)


def event_frame(event: Event) -> str:
    return (
        f'{{"type":"event","seq":{event.seq},"name":"{event.name}",'
        f'"at":"{format_at(event.at)}","data":{event.data}}}'
    )


def snapshot_parts(seq: int, body: dict[str, Any]) -> tuple[str, str]:
    """(head, tail) of a snapshot frame: head + str(spectators) + tail is the whole frame."""
    text = _dumps(body)
    rest = text[1:] if text == "{}" else "," + text[1:]  # "}" alone for an empty body
    return f'{{"type":"snapshot","seq":{seq},"spectators":', rest


def presence_frame(spectators: int) -> str:
    return f'{{"type":"presence","spectators":{spectators}}}'


def ack_frame(command_id: str, seq: int, duplicate: bool) -> str:
    frame = {"type": "ack", "id": command_id, "seq": seq, "duplicate": duplicate}
    return _dumps(frame, ascii_only=True)


def error_frame(code: str, message: str, *, id: Any = None, details: Any = None) -> str:
    frame = {"type": "error", "id": id, "code": code, "message": message, "details": details or {}}
    return _dumps(frame, ascii_only=True)


def notification_frame(notification: Any) -> str:
    """/ws/me/'s frame for a new Notification row."""
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
