"""realtime/frames.py: every frame's text. An event frame is byte for byte `json.dumps` of the
whole frame (compact, UTF-8 as is), a snapshot joins around the spectator count, answers to
commands escape non-ASCII as `json.dumps` does by default, presence and pong are fixed texts."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.events import Event, encode_data, format_at
from realtime.frames import (
    PONG,
    ack_frame,
    error_frame,
    event_frame,
    notification_frame,
    presence_frame,
    snapshot_parts,
)
from realtime.prepared import SnapshotParts

AT = datetime(2026, 11, 26, 17, 4, 22, 123456, tzinfo=UTC)
COMPACT: dict[str, Any] = {"separators": (",", ":")}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def whole_frame(event: Event) -> str:
    frame = {
        "type": "event",
        "seq": event.seq,
        "name": event.name,
        "at": format_at(event.at),
        "data": json.loads(event.data),
    }
    return json.dumps(frame, **COMPACT, ensure_ascii=False)


def test_an_event_frame_is_the_whole_frame_encoded_at_once() -> None:
    data = {"id": 1, "message": 'héllo ✓ "quoted" \\ 𝄞', "rows": [{"team": 3}], "x": None}
    event = Event(7, 42, "announcement", AT, encode_data(data))
    text = event_frame(event)
    assert text == whole_frame(event)
    assert list(json.loads(text)) == ["type", "seq", "name", "at", "data"]
    assert '"at":"2026-11-26T17:04:22.123Z"' in text
    assert "héllo ✓" in text  # UTF-8 as is, not \\u escapes


@given(json_values, st.integers(min_value=1, max_value=10**9))
def test_any_event_data_frames_byte_identically(data: Any, seq: int) -> None:
    event = Event(1, seq, "standings", AT, encode_data(data))
    assert event_frame(event) == whole_frame(event)


def test_a_snapshot_joins_around_the_spectator_count() -> None:
    body = {"tournament": {"id": 5, "title": "Cüp ✓"}, "announcements": [], "rounds": [{"id": 1}]}
    head, tail = snapshot_parts(9, body)
    for spectators in (0, 1, 1874):
        text = SnapshotParts(head, tail).frame(spectators)
        expected = {"type": "snapshot", "seq": 9, "spectators": spectators, **body}
        assert text == json.dumps(expected, **COMPACT, ensure_ascii=False)
        assert list(json.loads(text)) == list(expected)
    assert "Cüp ✓" in tail


def test_answers_to_commands_escape_non_ascii_as_json_dumps_does() -> None:
    ack = ack_frame("cmd-é", 12, True)
    assert ack == json.dumps(
        {"type": "ack", "id": "cmd-é", "seq": 12, "duplicate": True}, **COMPACT
    )
    assert "\\u00e9" in ack
    error = error_frame("validation_error", "placement 2 is given to two teams ✗", id="x1")
    assert error == json.dumps(
        {
            "type": "error",
            "id": "x1",
            "code": "validation_error",
            "message": "placement 2 is given to two teams ✗",
            "details": {},
        },
        **COMPACT,
    )
    assert "\\u2717" in error
    with_details = json.loads(error_frame("conflict", "stale", details={"version": 3}))
    assert (with_details["id"], with_details["details"]) == (None, {"version": 3})


def test_presence_and_pong_texts() -> None:
    assert presence_frame(3) == '{"type":"presence","spectators":3}'
    assert json.loads(presence_frame(0)) == {"type": "presence", "spectators": 0}
    assert PONG == '{"type":"pong"}'


def test_a_notification_frame_carries_the_row() -> None:
    row = SimpleNamespace(
        pk=4, kind="host.approved", title="Verified ✓", body="", data={"n": 1}, created_at=AT
    )
    text = notification_frame(row)
    assert json.loads(text) == {
        "type": "notification",
        "notification": {
            "id": 4,
            "kind": "host.approved",
            "title": "Verified ✓",
            "body": "",
            "data": {"n": 1},
            "at": "2026-11-26T17:04:22.123Z",
        },
    }
    assert "Verified ✓" in text and " " not in text.replace("Verified ✓", "")
