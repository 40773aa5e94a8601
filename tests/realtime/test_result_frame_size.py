"""Protocol v2's point: a 25-team scrim result is one frame of a few KB, not v1's five frames
repeating the same table three times with every team's name, tag and logo in each row."""

import json

import pytest

from core.events import events_after
from core.selectors.standings import GROUP, ROUND, TOURNAMENT, Scope, standings_rows
from core.services.results import match_result_submit
from realtime.frames import event_frame
from tests.support.events import submission
from tests.support.rooms import live_room

pytestmark = pytest.mark.django_db


def test_a_scrim_result_is_one_frame_under_6_kb_and_holds_every_scope() -> None:
    room = live_room(teams=25)
    first = room.rows(list(range(25)), kills=3)
    match_result_submit(actor=room.host, match_id=room.matches[0].pk, submission=submission(first))
    before = len(events_after(room.tournament.pk, 0) or [])
    order = list(reversed(range(25)))
    match_result_submit(
        actor=room.host,
        match_id=room.matches[1].pk,
        submission=submission(room.rows(order, kills=7), final=True),
    )
    new = (events_after(room.tournament.pk, 0) or [])[before:]
    assert [e.name for e in new] == ["match.result"]  # one seq, one frame
    text = event_frame(new[0])
    data = json.loads(text)["data"]
    assert len(data["standings"]) == 1 and len(data["scopes"]) == 2 and data["teams"] == []

    # What v1 sent for the same change: match.status, match.result and three standings frames
    # whose rows carry the team objects (the same selector's rows).
    t, r, g = room.tournament.pk, room.group.round_id, room.group.pk
    v1 = [
        {"name": "match.status", "data": {k: data[k] for k in ("match", "round", "group")}},
        {"name": "match.result", "data": {k: data[k] for k in ("match", "group", "version")}
         | {"results": data["results"]}},
    ] + [
        {"name": "standings", "data": {"scope": s.kind, "id": s.id, "rows": standings_rows(s)}}
        for s in (Scope(GROUP, g, t, r), Scope(ROUND, r, t, r), Scope(TOURNAMENT, t, t))
    ]  # fmt: skip
    v1_bytes = sum(
        len(json.dumps({"type": "event", "seq": 0, "at": "2026-11-26T17:04:22.123Z", **f},
                       separators=(",", ":")).encode())
        for f in v1
    )  # fmt: skip
    v2_bytes = len(text.encode())
    print(f"25-team scrim result: v1 {len(v1)} frames {v1_bytes} B, v2 1 frame {v2_bytes} B")
    assert v2_bytes <= 6 * 1024  # the bound without deflate
    assert v2_bytes * 100 <= v1_bytes * 40  # 5,579 B against 15,964 B when measured
    # Numbers exact: each row's total is its points, rebuilt from the REST-side rows.
    rest = {row["team"]["id"]: row for row in standings_rows(Scope(GROUP, g, t, r))}
    for row in data["standings"][f"group:{g}"]:
        assert row == {**rest[row["team"]], "team": row["team"]}
