"""static/live/'s socket client (the live page) against a scripted room (Playwright's websocket
routing): the protocol cases a real server rarely produces on cue (a gap in `seq`, an event about
a match the snapshot did not have, presence frames, terminal close codes) and hostile strings."""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ScriptedRoom, wait_until

pytestmark = pytest.mark.e2e

WAIT_MS = 10_000
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'


def team(team_id: int, name: str) -> dict[str, Any]:
    return {"id": team_id, "name": name, "tag": f"T{team_id}", "logo": "javascript:alert(1)"}


def row(rank: int, team_id: int, name: str, total: int) -> dict[str, Any]:
    return {
        "rank": rank, "team": team(team_id, name), "matches": 1, "wins": int(rank == 1),
        "placement_points": total, "kill_points": 0, "total": total, "last_placement": rank,
        "qualified": rank == 1,
    }  # fmt: skip


def snapshot(seq: int, rows: list[dict[str, Any]], *, spectators: int = 3) -> str:
    return json.dumps(
        {
            "type": "snapshot",
            "seq": seq,
            "spectators": spectators,
            "tournament": {"id": 1, "title": HOSTILE, "game": "bgmi", "kind": "scrim",
                           "status": "live"},
            "announcements": [{"id": 1, "message": "Welcome", "at": "2026-11-26T17:00:00Z"}],
            "rounds": [{
                "id": 10, "number": 1, "name": "Day 1", "status": "live", "standings": [],
                "groups": [{
                    "id": 20, "name": "A", "teams": [r["team"] for r in rows],
                    "matches": [{"id": 30, "number": 1, "map": "Erangel", "status": "live",
                                 "scheduled_at": None, "version": 0, "results": []}],
                    "standings": rows,
                }],
            }],
        }
    )  # fmt: skip


def event(seq: int, name: str, data: dict[str, Any]) -> str:
    return json.dumps({"type": "event", "seq": seq, "name": name, "at": "", "data": data})


def names(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".group tbody .team-name", "nodes => nodes.map(n => n.textContent)"
    )


def test_snapshot_events_gap_and_presence(
    page: Any, scripted_room: ScriptedRoom, screenshots: Path
) -> None:
    scripted_room.current.send(snapshot(5, [row(1, 1, HOSTILE, 10), row(2, 2, "Bravo", 6)]))
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    assert names(page) == [HOSTILE, "Bravo"]
    assert page.locator("h1").inner_text() == HOSTILE  # as text, not markup
    assert page.title() != "pwned" and page.locator("#live script, #live img").count() == 0
    assert page.locator('[data-slot="spectators"]').inner_text() == "3"

    # The next event in order is applied: the standings are replaced, not merged. Protocol v2:
    # one match.result frame, rows naming teams by id (the snapshot's group holds the teams),
    # the round's identical table referenced instead of repeated.
    v2_rows = [
        {**r, "team": r["team"]["id"]} for r in [row(1, 2, "Bravo", 16), row(2, 1, HOSTILE, 10)]
    ]
    scripted_room.current.send(
        event(6, "match.result", {"match": 30, "round": 10, "group": 20, "number": 1,
                                  "status": "live", "version": 1, "results": [],
                                  "standings": {"group:20": v2_rows},
                                  "scopes": {"round:10": "group:20"}, "teams": []})
    )  # fmt: skip
    page.wait_for_function(
        "() => document.querySelector('.group tbody .team-name').textContent === 'Bravo'",
        timeout=WAIT_MS,
    )
    scripted_room.current.send(json.dumps({"type": "presence", "spectators": 1874}))
    page.wait_for_function(
        "() => document.querySelector('[data-slot=spectators]').textContent === '1874'",
        timeout=WAIT_MS,
    )
    scripted_room.current.send(
        event(7, "announcement", {"id": 2, "message": "Match 2 soon", "at": "2026-11-26T18:00:00Z"})
    )
    page.wait_for_function(
        "() => document.querySelector('.announcements li p').textContent === 'Match 2 soon'",
        timeout=WAIT_MS,
    )

    # seq 9 after 7: a gap. The page asks for what it missed and does not apply 9 yet.
    scripted_room.current.send(event(9, "match.status", {"match": 30, "group": 20, "round": 10,
                                                "number": 1, "status": "completed"}))  # fmt: skip
    wait_until(page, lambda: {"type": "resume", "since": 7} in scripted_room.received)
    assert "completed" not in page.locator(".match").inner_text().lower()
    scripted_room.current.send(event(8, "tournament.status", {"status": "completed"}))
    scripted_room.current.send(event(9, "match.status", {"match": 30, "group": 20, "round": 10,
                                                "number": 1, "status": "completed"}))  # fmt: skip
    page.wait_for_function(
        "() => document.querySelector('.match').textContent.includes('completed')",
        timeout=WAIT_MS,
    )
    assert page.locator('[data-slot="status"]').inner_text().lower() == "completed"
    assert [f for f in scripted_room.received if f["type"] == "resume"] == [
        {"type": "resume", "since": 7}
    ]
    page.wait_for_timeout(1800)  # let the rank animation and highlight settle
    page.screenshot(path=screenshots / "live-client-scripted.png", full_page=True)


def test_reconnects_with_since_and_resyncs_on_unknown_match(
    page: Any, scripted_room: ScriptedRoom
) -> None:
    scripted_room.current.send(snapshot(41, [row(1, 1, "Alpha", 10)]))
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)

    scripted_room.current.close(code=4408, reason="too slow")
    page.wait_for_function(
        "() => document.querySelector('[data-slot=banner]').textContent.startsWith('Reconnecting')",
        timeout=WAIT_MS,
    )
    wait_until(page, lambda: len(scripted_room.sockets) == 2)
    assert scripted_room.urls[1].endswith("/?since=41"), scripted_room.urls

    # The resumed socket replays nothing; the pong tells the page it is live again.
    wait_until(page, lambda: {"type": "ping"} in scripted_room.received)
    scripted_room.current.send(json.dumps({"type": "pong"}))
    page.wait_for_selector('[data-slot="banner"]', state="hidden", timeout=WAIT_MS)

    # An event about a match the snapshot did not have: the page asks for a fresh snapshot.
    scripted_room.current.send(event(42, "match.result", {"match": 999, "group": 77, "version": 1,
                                                 "results": []}))  # fmt: skip
    wait_until(page, lambda: len(scripted_room.sockets) == 3)
    assert "since" not in scripted_room.urls[2], scripted_room.urls


def test_terminal_close_codes_stop_reconnecting(page: Any, scripted_room: ScriptedRoom) -> None:
    scripted_room.current.close(code=4404, reason="no such tournament")
    page.wait_for_function(
        "() => document.querySelector('#live').dataset.connection === 'ended'", timeout=WAIT_MS
    )
    assert "does not exist" in page.locator('[data-slot="banner"]').inner_text()
    page.wait_for_timeout(2000)  # longer than the first backoff
    assert len(scripted_room.sockets) == 1


def test_teams_without_a_logo_get_monograms_that_tell_alike_names_apart(
    page: Any, scripted_room: ScriptedRoom
) -> None:
    rows = [row(1, 1, "Team Alpha", 10), row(2, 2, "Team Alfa", 6)]
    for r in rows:
        r["team"].update(logo=None, tag="TEAM")
    scripted_room.current.send(snapshot(5, rows))
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    chips = page.eval_on_selector_all(
        ".group tbody .logo-empty",
        "nodes => nodes.map(n => [n.textContent, getComputedStyle(n).backgroundColor])",
    )
    assert len(chips) == 2
    (text_a, colour_a), (text_b, colour_b) = chips
    assert text_a != text_b and colour_a != colour_b
