"""core/api/competition/ standings: a 25-team, 6-match scrim played through REST against a table
written by hand (docs/scoring.md's tie-break steps)."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from core.models import Match, RegistrationPlayer, Tournament
from tests.support.api import client_as
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db

# Each match in placement order (1st first) as "team:kills". Team 05 sits out match 6.
MATCHES = [
    (
        "24:4 25:1 12:3 11:1 23:3 2:0 6:4 5:1 20:1 14:1 10:5 18:4 17:0 "
        "1:0 8:1 22:0 7:0 13:1 21:2 15:5 16:2 4:4 9:5 3:0 19:0"
    ),
    (
        "24:0 18:2 21:1 15:3 5:0 4:5 1:3 9:1 6:2 3:0 11:0 14:4 7:4 "
        "20:4 12:1 8:1 22:1 2:5 23:4 13:1 17:5 16:3 19:0 25:5 10:1"
    ),
    (
        "3:0 4:0 13:2 5:5 11:1 2:0 22:3 15:1 8:1 6:0 24:5 10:0 21:5 "
        "9:2 1:0 23:5 20:2 25:0 16:1 14:0 17:2 7:2 18:1 19:2 12:3"
    ),
    (
        "15:2 8:2 17:1 5:3 12:2 2:1 6:4 22:0 3:0 21:0 23:1 18:4 25:1 "
        "16:2 24:5 20:1 19:2 4:4 9:1 7:0 14:0 11:0 13:0 10:1 1:5"
    ),
    (
        "6:1 18:0 9:1 1:2 14:5 5:3 3:1 24:3 21:1 8:4 22:1 15:1 16:0 "
        "11:0 10:2 19:1 4:1 12:4 7:3 13:3 2:0 17:0 20:1 23:2 25:2"
    ),
    (
        "25:1 10:0 23:5 19:1 20:4 18:1 15:4 16:0 21:1 3:3 14:0 2:2 8:2 "
        "1:0 7:5 22:0 6:0 17:0 9:0 11:2 4:2 24:1 12:0 13:0"
    ),
]

# pubgm_2023: 10, 6, 5, 4, 3, 2, 1, 1 for places 1-8, 1 point per kill.
# rank, team, matches, wins, placement points, kill points, total, last placement
EXPECTED = [
    (1, 24, 6, 2, 21, 18, 39, 22),
    (2, 15, 6, 1, 16, 16, 32, 7),
    (3, 23, 6, 0, 8, 20, 28, 3),
    (4, 25, 6, 1, 16, 10, 26, 1),  # 26 points: above 05 and 18 on wins (step 2)
    (5, 5, 5, 0, 14, 12, 26, 6),  # 05 (last played match 5, 6th) and 18 (match 6, 6th)
    (5, 18, 6, 0, 14, 12, 26, 6),  # tie on every step: same rank, listed by name (step 6)
    (7, 4, 6, 0, 8, 16, 24, 21),
    (8, 6, 6, 1, 12, 11, 23, 17),
    (9, 12, 6, 0, 8, 13, 21, 23),
    (10, 8, 6, 0, 6, 11, 17, 13),
    (11, 9, 6, 0, 6, 10, 16, 19),  # 16 points: above 20 on placement points (step 3)
    (12, 20, 6, 0, 3, 13, 16, 5),
    (13, 3, 6, 1, 11, 4, 15, 10),  # 15 points: 03 first on wins (step 2),
    (14, 10, 6, 0, 6, 9, 15, 2),  # 10 next on placement points (step 3),
    (15, 21, 6, 0, 5, 10, 15, 9),  # 21 above 01 on the most recent placement,
    (16, 1, 6, 0, 5, 10, 15, 14),  # 9th vs 14th in match 6 (step 5)
    (17, 2, 6, 0, 6, 8, 14, 12),  # 14 points: step 3
    (18, 7, 6, 0, 0, 14, 14, 15),
    (19, 17, 6, 0, 5, 8, 13, 18),  # 13 points: step 3
    (20, 14, 6, 0, 3, 10, 13, 11),
    (21, 13, 6, 0, 5, 7, 12, 24),
    (22, 11, 6, 0, 7, 4, 11, 20),
    (23, 19, 6, 0, 4, 6, 10, 4),
    (24, 16, 6, 0, 1, 8, 9, 8),
    (25, 22, 6, 0, 2, 5, 7, 16),
]
# Step 4 (kill points) cannot decide on its own: total = placement + kill points, so teams level
# on total and placement points are level on kill points (see tests/core/scoring).


def _set_up_the_scrim(host: APIClient, base: str) -> tuple[int, dict[str, Any], list[int]]:
    """One round (a scrim's only one, final), one group of all 25, six matches (the limit)."""
    r = host.post(f"{base}/rounds/", {"name": "Scrim"}, format="json")
    assert r.status_code == 201, r.json()
    round_id = r.json()["id"]
    assert r.json()["is_final"] is True
    r = host.post(f"{base}/rounds/", {"name": "Another"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "scrim_limit"

    r = host.post(
        f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 1}, format="json"
    )
    assert r.status_code == 201, r.json()
    group = r.json()[0]
    assert len(group["teams"]) == 25

    match_ids = []
    for number in range(1, 7):
        r = host.post(f"{base}/matches/", {"group": group["id"], "map": "Erangel"}, format="json")
        assert r.status_code == 201, r.json()
        assert r.json()["number"] == number
        match_ids.append(r.json()["id"])
    r = host.post(f"{base}/matches/", {"group": group["id"]}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "scrim_limit"
    return round_id, group, match_ids


def _play_every_match(host: APIClient, match_ids: list[int], team_id: dict[int, int]) -> None:
    for match_id, lobby in zip(match_ids, MATCHES, strict=True):
        rows = [
            {"team": team_id[int(n)], "placement": place, "kills": int(kills)}
            for place, (n, kills) in enumerate((e.split(":") for e in lobby.split()), start=1)
        ]
        r = host.put(f"/api/matches/{match_id}/", {"results": rows, "final": True}, format="json")
        assert r.status_code == 200, r.json()
        assert r.json()["status"] == "completed" and r.json()["version"] == 1


def _as_expected_tuples(rows: list[dict[str, Any]], number_of: dict[int, int]) -> list[tuple]:
    return [
        (
            row["rank"],
            number_of[row["team"]["id"]],
            row["matches"],
            row["wins"],
            row["placement_points"],
            row["kill_points"],
            row["total"],
            row["last_placement"],
        )
        for row in rows
    ]


def test_hand_computed_scrim_through_rest() -> None:
    tournament, teams = live_tournament(teams=25, kind=Tournament.Kind.SCRIM)
    host = client_as(tournament.host)
    base = f"/api/scrims/{tournament.pk}"
    team_id = {n: teams[n - 1].pk for n in range(1, 26)}
    round_id, group, match_ids = _set_up_the_scrim(host, base)
    _play_every_match(host, match_ids, team_id)

    number_of = {v: k for k, v in team_id.items()}
    for query in ("", f"?round={round_id}", f"?group={group['id']}"):
        body = host.get(f"{base}/standings/{query}").json()
        assert _as_expected_tuples(body["rows"], number_of) == EXPECTED, query
    assert body["rows"][0]["team"] == {
        "id": team_id[24],
        "name": "Team 24",
        "tag": "T24",
        "logo": None,
    }
    # Anyone may read the standings of a public tournament.
    assert APIClient().get(f"{base}/standings/").json()["rows"] == body["rows"]


def test_top_fraggers_sum_per_player_kills_of_the_matches_that_count() -> None:
    tournament, field = live_tournament(teams=3, roster=2)
    host = client_as(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "Final", "is_final": True}).json()["id"]
    group = host.post(f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 1})
    group_id = group.json()[0]["id"]
    matches = [host.post(f"{base}/matches/", {"group": group_id}).json()["id"] for _ in range(3)]
    players = [[m.user_id for m in team.memberships.order_by("id")] for team in field]

    def play(match_id: int, kills: list[tuple[int, int]]) -> None:
        def lines(i: int) -> list[dict[str, int]]:
            return [{"player": p, "kills": k} for p, k in zip(players[i], kills[i], strict=True)]

        rows = [
            {"team": team.pk, "placement": i + 1, "kills": sum(kills[i]), "players": lines(i)}
            for i, team in enumerate(field)
        ]
        assert host.put(f"/api/matches/{match_id}/", {"results": rows, "final": True},
                        format="json").status_code == 200  # fmt: skip

    play(matches[0], [(5, 1), (2, 0), (0, 0)])
    play(matches[1], [(3, 0), (4, 0), (0, 9)])
    play(matches[2], [(0, 0), (0, 0), (0, 50)])
    Match.objects.filter(pk=matches[2]).update(status="cancelled")  # its kills no longer count
    board = client_as(field[0].memberships.first().user).get(f"{base}/top-fraggers/").json()
    names = dict(RegistrationPlayer.objects.values_list("user_id", "in_game_name"))
    assert [(r["player"]["id"], r["kills"], r["matches"]) for r in board] == [
        (players[2][1], 9, 2),
        (players[0][0], 8, 2),
        (players[1][0], 6, 2),
        (players[0][1], 1, 2),
        (players[1][1], 0, 2),
        (players[2][0], 0, 2),
    ]
    assert board[0]["rank"] == 1 and board[0]["team"]["id"] == field[2].pk
    assert board[0]["player"]["in_game_name"] == names[players[2][1]]
    assert "in_game_id" not in board[0]["player"]  # what only a host needs stays out
