"""realtime/snapshot.py and the room consumer (docs/protocol.md): the snapshot's contents, and
thousands of generated bad frames answered, never crashing."""

import json
import random
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from core.services.announcements import announcement_create
from core.services.results import match_result_submit
from realtime.limits import TokenBucket
from tests.support.events import submission
from tests.support.rooms import LiveRoom, live_room
from tests.support.sockets import OpenClient

pytestmark = pytest.mark.django_db(transaction=True)


def played_room() -> LiveRoom:
    room = live_room(teams=4)
    match_result_submit(
        actor=room.host, match_id=room.matches[0].pk, submission=submission(room.rows([1, 0, 2, 3]))
    )
    for i in range(22):
        announcement_create(actor=room.host, tournament_id=room.tournament.pk, message=f"note {i}")
    return room


async def test_snapshot_has_the_documented_shape(ws: OpenClient) -> None:
    room = await sync_to_async(played_room)()
    client = await ws(room.path)
    snap = await client.recv_type("snapshot")
    assert set(snap) == {
        "type", "seq", "spectators", "tournament", "announcements", "rounds", "winner",
        "checkin",
    }  # fmt: skip
    assert snap["winner"] is None  # until the host crowns one
    assert snap["checkin"] is None  # no check-in window
    t = snap["tournament"]
    assert set(t) == {"id", "title", "game", "kind", "status", "points_table"}
    assert (t["id"], t["game"], t["status"]) == (room.tournament.pk, "bgmi", "live")
    assert t["points_table"] == {"placement": [10, 6, 5, 4, 3, 2, 1, 1], "per_kill": 1}
    assert len(snap["announcements"]) == 20  # the latest 20, newest first
    assert snap["announcements"][0]["message"] == "note 21"
    assert set(snap["announcements"][0]) == {"id", "message", "at"}
    (rnd,) = snap["rounds"]
    assert set(rnd) == {"id", "number", "name", "status", "standings", "groups"}
    (group,) = rnd["groups"]
    assert set(group) == {"id", "name", "teams", "matches", "standings"}
    assert {tm["id"] for tm in group["teams"]} == {t.pk for t in room.teams}
    assert set(group["teams"][0]) == {"id", "name", "tag", "logo"}
    first, second = group["matches"]
    assert set(first) == {"id", "number", "map", "status", "scheduled_at", "version", "results"}
    assert (first["version"], second["version"], second["results"]) == (1, 0, [])
    assert set(first["results"][0]) == {
        "team", "placement", "kills", "placement_points", "kill_points", "total"
    }  # fmt: skip
    row = group["standings"][0]
    assert set(row) == {
        "rank", "team", "matches", "wins", "placement_points", "kill_points", "total",
        "last_placement", "qualified",
    }  # fmt: skip
    assert row["team"]["id"] == room.teams[1].pk and row["wins"] == 1
    assert rnd["standings"] == group["standings"]  # one group: the round is that group
    # round.status and the v2 match.result (standings inside), then 22 announcements
    assert snap["seq"] == 2 + 22
    await client.close()


def junk(rng: random.Random, room: LiveRoom) -> str:
    """A frame that is wrong in one of many ways (or, now and then, right)."""
    values = [None, True, 0, -1, 2**70, 1.5, "", "x" * 70, [], {}, [1, "a"], {"a": {"b": []}}]
    kind = rng.choice(["ping", "resume", "result.submit", "match.status", "announce", "hack", 7])
    frame: dict[str, Any] = {"type": kind}
    for key in rng.sample(["id", "since", "match", "results", "status", "message", "final",
                           "version", "extra"], rng.randint(0, 5)):  # fmt: skip
        frame[key] = rng.choice(values)
    if kind == "result.submit" and rng.random() < 0.3:
        frame.update(id=f"f{rng.random()}", match=room.matches[1].pk,
                     results=[{"team": rng.choice(values), "placement": rng.choice(values),
                               "kills": rng.choice(values)}])  # fmt: skip
    shape = rng.random()
    if shape < 0.1:
        return "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    if shape < 0.15:
        return json.dumps(rng.choice(values))
    return json.dumps(frame)


@pytest.mark.parametrize("as_host", [False, True])
async def test_thousands_of_bad_frames_get_answers_and_others_are_unaffected(
    ws: OpenClient, monkeypatch: Any, as_host: bool
) -> None:
    monkeypatch.setattr("realtime.consumers.room.TokenBucket", lambda: TokenBucket(1e9, 1e9))
    room = await sync_to_async(live_room)()
    bystander = await ws(room.path)
    await bystander.recv_type("snapshot")
    fuzzer = await ws(room.path, token=room.host_token if as_host else None)
    await fuzzer.recv_type("snapshot")
    rng = random.Random(1234 + as_host)
    answers = {"error": 0, "ack": 0, "pong": 0, "snapshot": 0, "event": 0, "presence": 0}
    for _ in range(1500):
        await fuzzer.send(junk(rng, room))
        # A ping after each frame: everything before its pong is this frame's answer (a valid
        # resume may rightly answer nothing, or a snapshot).
        # (A junk ping's own pong ends the wait early; the sentinel's is read next round.)
        await fuzzer.send({"type": "ping"})
        while (frame := await fuzzer.recv())["type"] != "pong":
            answers[frame["type"]] += 1
            if frame["type"] == "error":
                assert set(frame) == {"type", "id", "code", "message", "details"}
                assert frame["code"] in {
                    "bad_message", "validation_error", "forbidden", "not_found", "conflict",
                }  # fmt: skip
    assert answers["error"] > 1000
    # The bystander's socket still works and the fuzzer was never disconnected.
    await bystander.send({"type": "ping"})
    assert (await bystander.recv_type("pong"))["type"] == "pong"
    await fuzzer.send({"type": "ping"})
    while (await fuzzer.recv())["type"] != "pong":  # answers still queued from the last frames
        pass
    await fuzzer.close()
    await bystander.close()
