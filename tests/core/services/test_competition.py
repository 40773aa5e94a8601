"""Acceptance: 4 groups of 16 teams, then a semi-final and a final, through REST; stats follow."""

import pytest

from core.models import PlayerStats, Team, Tournament
from tests.core.competition.conftest import client_for, live_tournament
from tests.core.engine_helpers import logged

pytestmark = pytest.mark.django_db


def _play(host, base, group, order, kills, players=None):  # type: ignore[no-untyped-def]
    match_id = host.post(f"{base}/matches/", {"group": group}).json()["id"]
    rows = [
        {
            "team": team,
            "placement": place,
            "kills": kills[team],
            **({"players": players[team]} if players else {}),
        }
        for place, team in enumerate(order, start=1)
    ]
    r = host.put(f"/api/matches/{match_id}/", {"results": rows, "final": True}, format="json")
    assert r.status_code == 200, r.json()


def test_three_round_tournament():
    tournament, field = live_tournament(teams=64)
    host = client_for(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    kills = {t.pk: 1 for t in field}

    r1 = host.post(f"{base}/rounds/", {"name": "Groups", "qualify_per_group": 4}).json()["id"]
    semi = host.post(f"{base}/rounds/", {"name": "Semi", "qualify_top_n": 8}).json()["id"]
    semi_group = host.post(
        f"{base}/groups/", {"round": semi, "name": "S", "teams": []}, format="json"
    )
    assert semi_group.status_code == 201, semi_group.json()
    groups = host.post(
        f"{base}/groups/", {"round": r1, "auto_seed": True, "groups": 4, "seed": 7}, format="json"
    ).json()
    assert [len(g["teams"]) for g in groups] == [16, 16, 16, 16]
    assert len({t["id"] for g in groups for t in g["teams"]}) == 64

    expected_semi = set()
    for g in groups:
        order = [t["id"] for t in g["teams"]]  # listed in seed order: the first four finish 1-4
        _play(host, base, g["id"], order, kills)
        expected_semi |= set(order[:4])
    early = host.post(f"{base}/rounds/{semi}/complete/")
    assert early.status_code == 409  # its previous round is not completed: nothing played
    r = host.post(f"{base}/rounds/{r1}/complete/")
    assert r.status_code == 200, r.json()
    assert set(r.json()["qualified"]) == expected_semi

    semi_groups = host.get(f"{base}/groups/?round={semi}").json()
    assert {
        t["id"] for t in semi_groups[0]["teams"]
    } == expected_semi  # advanced into the empty group
    semi_order = sorted(expected_semi)
    _play(host, base, semi_groups[0]["id"], semi_order, kills)
    standings = host.get(f"{base}/standings/?round={semi}").json()["rows"]
    assert [r["qualified"] for r in standings] == [True] * 8 + [False] * 8
    assert host.post(f"{base}/rounds/{semi}/complete/").json()["qualified"] == semi_order[:8]

    final = host.post(f"{base}/rounds/", {"name": "Final", "is_final": True}).json()["id"]
    final_group = host.post(
        f"{base}/groups/", {"round": final, "auto_seed": True, "groups": 1}, format="json"
    ).json()[0]
    finalists = [t["id"] for t in final_group["teams"]]
    assert finalists == semi_order[:8]  # seeded by semi-final rank
    champion = finalists[-1]
    order = [champion, *finalists[:-1]]
    by_team = {t.pk: t for t in field}
    player = {tid: by_team[tid].memberships.first().user_id for tid in finalists}
    players = {
        tid: [{"player": player[tid], "kills": 3 if tid == champion else 1}] for tid in finalists
    }
    _play(host, base, final_group["id"], order, {**kills, champion: 3}, players)

    before = len(logged(tournament))
    r = host.post(f"{base}/select-winner/", {}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["winner"] == champion
    tournament.refresh_from_db()
    assert tournament.status == Tournament.Status.COMPLETED
    assert [f["name"] for f in logged(tournament)[before:]] == [
        "round.status",
        "winner",
        "tournament.status",
    ]
    assert logged(tournament)[-2]["data"]["team"]["id"] == champion
    assert host.post(f"{base}/select-winner/", {}, format="json").status_code == 409

    winner = Team.objects.get(pk=champion)
    # Three rounds, one match each: 1st in its group (10+1), in the semi? (placement by id order),
    # and 1st in the final (10+3).
    semi_place = semi_order.index(champion) + 1
    semi_points = [10, 6, 5, 4, 3, 2, 1, 1][semi_place - 1] + 1
    group_place = next(
        g["teams"].index(t) + 1 for g in groups for t in g["teams"] if t["id"] == champion
    )
    group_points = [10, 6, 5, 4, 3, 2, 1, 1][group_place - 1] + 1
    assert (winner.events_played, winner.wins, winner.matches_played, winner.total_kills) == (
        1,
        1,
        3,
        5,
    )
    assert winner.total_points == group_points + semi_points + 13
    loser = Team.objects.get(pk=next(t.pk for t in field if t.pk not in expected_semi))
    assert (loser.events_played, loser.wins, loser.matches_played) == (1, 0, 1)

    board = (
        client_for(by_team[champion].created_by or tournament.host)
        .get("/api/accounts/leaderboard/?game=bgmi")
        .json()
    )
    points = [row["total_points"] for row in board["results"]]
    assert points == sorted(points, reverse=True) and board["count"] == 64
    champion_stats = PlayerStats.objects.get(user_id=player[champion])
    assert (champion_stats.wins, champion_stats.matches_played, champion_stats.total_kills) == (
        1,
        3,
        3,
    )
    players_board = (
        client_for(tournament.host).get("/api/accounts/leaderboard/?kind=players").json()
    )
    assert players_board["count"] == 64
    assert players_board["results"][0]["total_points"] == max(
        s.total_points for s in PlayerStats.objects.all()
    )
