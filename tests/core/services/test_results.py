"""core/services/results.py (`match_result_submit`), mostly through PUT /api/matches/<id>/:
idempotency, versions, corrections, validation, the exact events a submit emits, the players
told once a result is final, and concurrent submits on PostgreSQL."""

import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from core.models import Match, Notification, PlayerMatchKills, Team, Tournament
from core.services.competition import group_create, match_create, round_create
from core.services.results import match_result_submit
from tests.support.api import client_as
from tests.support.events import Recorder, logged, submission
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


class Setup(NamedTuple):
    tournament: Tournament
    field: list[Team]
    host: APIClient
    base: str
    round_id: int
    group_id: int
    match_id: int


def _setup(teams: int = 3) -> Setup:
    """A live tournament with one final round, one group of every team and one match, made by
    the host over REST."""
    tournament, field = live_tournament(teams=teams)
    host = client_as(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "Final", "is_final": True}).json()["id"]
    group = host.post(
        f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 1}
    ).json()[0]
    match_id = host.post(f"{base}/matches/", {"group": group["id"]}).json()["id"]
    return Setup(tournament, field, host, base, round_id, group["id"], match_id)


def _rows(
    field: list[Team], order: list[int], kills: list[int] | None = None
) -> list[dict[str, Any]]:
    """Result rows: field[order[i]] takes placement i + 1 with kills[i]."""
    kills = kills or [0] * len(order)
    return [
        {"team": field[i].pk, "placement": p, "kills": k}
        for p, (i, k) in enumerate(zip(order, kills, strict=True), start=1)
    ]


def test_idempotency_key_applies_once_and_replays_first_outcome(
    django_capture_on_commit_callbacks: Any, recorder: Recorder
) -> None:
    tournament, field, host, base, *_, match_id = _setup()
    body = {"results": _rows(field, [0, 1, 2], [3, 0, 0]), "version": 0}
    with django_capture_on_commit_callbacks(execute=True):
        first = host.put(
            f"/api/matches/{match_id}/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        again = host.put(
            f"/api/matches/{match_id}/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
    assert first.status_code == again.status_code == 200
    assert first.json()["duplicate"] is False and again.json()["duplicate"] is True
    assert {k: v for k, v in again.json().items() if k != "duplicate"} == {
        k: v for k, v in first.json().items() if k != "duplicate"
    }
    assert Match.objects.get(pk=match_id).result_version == 1
    standings = host.get(f"{base}/standings/").json()["rows"]
    assert standings[0]["total"] == 13 and standings[0]["matches"] == 1  # not double-counted
    seqs = [f["seq"] for f in logged(tournament)]
    assert first.json()["seq"] == seqs[-1]
    assert [e.seq for e in recorder.events] == seqs  # the replay published nothing new

    other = {"results": _rows(field, [1, 0, 2])}
    reused = host.put(f"/api/matches/{match_id}/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 409


def test_stale_version_conflicts_and_correction_changes_standings() -> None:
    tournament, field, host, base, round_id, group_id, match_id = _setup()
    url = f"/api/matches/{match_id}/"
    assert (
        host.put(url, {"results": _rows(field, [0, 1, 2]), "version": 0}, format="json").status_code
        == 200
    )
    stale = host.put(url, {"results": _rows(field, [2, 1, 0]), "version": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert stale.json()["details"] == {"version": 1}
    before = len(logged(tournament))
    fixed = host.put(
        url, {"results": _rows(field, [2, 1, 0]), "version": 1, "final": True}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["version"] == 2
    rows = host.get(f"{base}/standings/?group={group_id}").json()["rows"]
    assert [r["team"]["id"] for r in rows] == [field[2].pk, field[1].pk, field[0].pk]
    assert rows[0]["matches"] == 1 and rows[0]["total"] == 10
    new = logged(tournament)[before:]
    # Protocol v2: the whole change is one event; a round of one group in a tournament of one
    # round is one table, sent once and referenced (the tournament's rows differ only if
    # `qualified` does, and a final round qualifies nobody anywhere).
    assert [f["name"] for f in new] == ["match.result"]
    data = new[0]["data"]
    assert {k: data[k] for k in ("match", "round", "group", "number", "status", "version")} == {
        "match": match_id,
        "round": round_id,
        "group": group_id,
        "number": 1,
        "status": "completed",
        "version": 2,
    }
    key = f"group:{group_id}"
    assert list(data["standings"]) == [key]
    assert data["scopes"] == {f"round:{round_id}": key, f"tournament:{tournament.pk}": key}
    assert data["standings"][key] == [{**r, "team": r["team"]["id"]} for r in rows]
    assert data["teams"] == []  # a correction brings no team into a scope


def _expected_result_lines(field: list[Team]) -> list[dict[str, int]]:
    """The match.result lines of _rows(field, [1, 0, 2], [2, 5, 0]) on the pubgm_2023 table."""
    return [
        {
            "team": field[1].pk,
            "placement": 1,
            "kills": 2,
            "placement_points": 10,
            "kill_points": 2,
            "total": 12,
        },
        {
            "team": field[0].pk,
            "placement": 2,
            "kills": 5,
            "placement_points": 6,
            "kill_points": 5,
            "total": 11,
        },
        {
            "team": field[2].pk,
            "placement": 3,
            "kills": 0,
            "placement_points": 5,
            "kill_points": 0,
            "total": 5,
        },
    ]


def test_first_submit_emits_exactly_the_documented_events() -> None:
    tournament, field, host, _base, round_id, group_id, match_id = _setup()
    r = host.put(
        f"/api/matches/{match_id}/", {"results": _rows(field, [1, 0, 2], [2, 5, 0])}, format="json"
    )
    assert r.status_code == 200
    frames = logged(tournament)
    assert [f["seq"] for f in frames] == list(range(1, len(frames) + 1))
    # Protocol v2: the round's first result also announces the round live; the match's new
    # status, its result and every scope's standings are one event.
    assert [f["name"] for f in frames] == ["round.status", "match.result"]
    assert frames[0]["data"] == {"round": round_id, "status": "live", "qualified": []}
    data = frames[1]["data"]
    assert data["status"] == "live"  # a provisional result leaves the match live
    assert {k: data[k] for k in ("match", "group", "version", "results")} == {
        "match": match_id,
        "group": group_id,
        "version": 1,
        "results": _expected_result_lines(field),
    }
    key = f"group:{group_id}"
    assert data["scopes"] == {f"round:{round_id}": key, f"tournament:{tournament.pk}": key}
    row = data["standings"][key][0]
    assert set(row) == {
        "rank",
        "team",
        "matches",
        "wins",
        "placement_points",
        "kill_points",
        "total",
        "last_placement",
        "qualified",
    }
    assert isinstance(row["team"], int)
    # The first result brings the lobby into the scopes: each team object sent once.
    assert sorted(t["id"] for t in data["teams"]) == sorted(t.pk for t in field)
    assert set(data["teams"][0]) == {"id", "name", "tag", "logo"}
    assert r.json()["seq"] == 2


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda rows, f: rows[0].update(placement=4), "out of range 1..3"),
        (lambda rows, f: rows[1].update(placement=1), "given to two teams"),
        (lambda rows, f: rows[0].update(kills=100), "0..99"),
        (lambda rows, f: rows[0].update(kills=-1), "0..99"),
        (lambda rows, f: rows[1].update(team=rows[0]["team"]), "twice"),
        (lambda rows, f: rows[0].update(team=f["stranger"]), "not in this match's group"),
        (lambda rows, f: rows[0].update(players=[{"player": f["outsider"], "kills": 1}]), "roster"),
    ],
)
def test_invalid_results_are_refused_and_emit_nothing(
    mutate: Callable[[list[dict[str, Any]], dict[str, int]], None], needle: str
) -> None:
    tournament, field, host, _base, *_, match_id = _setup()
    _, others = live_tournament(teams=1, prefix="Other")
    rows = _rows(field, [0, 1, 2])
    mutate(rows, {"stranger": others[0].pk, "outsider": others[0].memberships.first().user_id})
    r = host.put(f"/api/matches/{match_id}/", {"results": rows}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "validation_error"
    assert needle in r.json()["message"]
    assert logged(tournament) == []
    assert Match.objects.get(pk=match_id).result_version == 0


def test_per_player_kills_and_host_only() -> None:
    _tournament, field, host, _base, *_, match_id = _setup()
    player = field[0].memberships.first().user
    rows = _rows(field, [0, 1, 2], [4, 0, 0])
    rows[0]["players"] = [{"player": player.pk, "kills": 4}]
    refused = client_as(player).put(f"/api/matches/{match_id}/", {"results": rows}, format="json")
    assert refused.status_code == 403
    assert (
        host.put(f"/api/matches/{match_id}/", {"results": rows}, format="json").status_code == 200
    )
    assert list(PlayerMatchKills.objects.values_list("user_id", "kills")) == [(player.pk, 4)]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_emits_and_publishes_nothing(recorder: Recorder) -> None:
    tournament, field, host, _base, *_, match_id = _setup()
    before = logged(tournament)
    with pytest.raises(RuntimeError), transaction.atomic():
        match_result_submit(
            actor=tournament.host, match_id=match_id, submission=submission(_rows(field, [0, 1, 2]))
        )
        raise RuntimeError("the caller's transaction fails after the submit")
    assert logged(tournament) == before
    assert recorder.calls == []
    assert Match.objects.get(pk=match_id).result_version == 0
    ok = host.put(f"/api/matches/{match_id}/", {"results": _rows(field, [0, 1, 2])}, format="json")
    assert ok.status_code == 200
    assert [e.seq for e in recorder.events] == [f["seq"] for f in logged(tournament)]
    assert len(recorder.calls) == 1  # one publish for the whole transaction


def test_final_result_notifies_the_groups_players_then_each_correction() -> None:
    tournament, field = live_tournament(teams=3, roster=2)
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="Final", is_final=True)
    group = group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[t.pk for t in field]
    )
    match = match_create(actor=host, tournament=tournament, group=group)
    rows = [{"team": t.pk, "placement": i, "kills": 1} for i, t in enumerate(field, start=1)]
    match_result_submit(actor=host, match_id=match.pk, submission=submission(rows))
    assert not Notification.objects.filter(kind__startswith="result.").exists()  # provisional
    match_result_submit(actor=host, match_id=match.pk, submission=submission(rows, final=True))
    assert Notification.objects.filter(kind="result.final").count() == 6
    rows[0]["kills"] = 5
    match_result_submit(
        actor=host, match_id=match.pk, submission=submission(rows, final=True)
    )  # a correction: in-app for all 6 players (its email is grouped, docs/notifications.md)
    assert Notification.objects.filter(kind="result.final").count() == 6
    assert Notification.objects.filter(kind="result.corrected").count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_to_different_matches_keep_seq_gap_free() -> None:
    tournament, _field = live_tournament(teams=24)
    host = client_as(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "R", "is_final": True}).json()["id"]
    groups = host.post(
        f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 6}, format="json"
    ).json()
    matches = [host.post(f"{base}/matches/", {"group": g["id"]}).json()["id"] for g in groups]
    teams_of = {g["id"]: [t["id"] for t in g["teams"]] for g in groups}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(matches))

    def submit(match_id: int, group_id: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                rows = [
                    {"team": t, "placement": p, "kills": 1}
                    for p, t in enumerate(teams_of[group_id], 1)
                ]
                match_result_submit(
                    actor=tournament.host, match_id=match_id, submission=submission(rows)
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(m, g["id"]))
        for m, g in zip(matches, groups, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = [f["seq"] for f in logged(tournament)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert sum(f["name"] == "match.result" for f in logged(tournament)) == 18
    assert set(Match.objects.filter(pk__in=matches).values_list("result_version", flat=True)) == {3}
