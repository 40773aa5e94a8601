"""core/services/competition.py and core/services/winners.py over REST, as a host runs a whole
tournament: 4 groups of 16 teams, then a semi-final and a final; the winner and the career stats
and leaderboards that follow. The structure services called directly: at the end."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import GroupTeam, Match, PlayerStats, Round, Team, Tournament
from core.rules.tournaments import TournamentLimitReached
from core.services.competition import (
    group_create,
    groups_auto_seed,
    match_create,
    round_complete,
    round_create,
)
from core.services.guards import RoundStateConflict
from tests.factories import HostFactory
from tests.support.api import client_as
from tests.support.events import logged
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db
PLACEMENT_POINTS = [10, 6, 5, 4, 3, 2, 1, 1]


def _play(
    host: APIClient,
    base: str,
    group: int,
    order: list[int],
    kills: dict[int, int],
    players: dict[int, list[dict[str, int]]] | None = None,
) -> None:
    """A match in the group, played in `order` (team ids, 1st first) and made final."""
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


def _set_up_rounds(host: APIClient, base: str) -> tuple[int, int, list[dict[str, Any]]]:
    """The group round (4 auto-seeded groups of 16) and the semi-final with an empty group."""
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
    return r1, semi, groups


def _play_the_group_round(
    host: APIClient, base: str, r1: int, semi: int, groups: list[dict[str, Any]], kills: dict
) -> set[int]:
    """Each group's first four seeds finish 1-4; completing the round qualifies them."""
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
    return expected_semi


def _play_the_semi(
    host: APIClient, base: str, semi: int, expected_semi: set[int], kills: dict
) -> list[int]:
    """The qualified fill the semi's empty group; played by team id; its top 8 go through."""
    semi_groups = host.get(f"{base}/groups/?round={semi}").json()
    assert {
        t["id"] for t in semi_groups[0]["teams"]
    } == expected_semi  # advanced into the empty group
    semi_order = sorted(expected_semi)
    _play(host, base, semi_groups[0]["id"], semi_order, kills)
    standings = host.get(f"{base}/standings/?round={semi}").json()["rows"]
    assert [r["qualified"] for r in standings] == [True] * 8 + [False] * 8
    assert host.post(f"{base}/rounds/{semi}/complete/").json()["qualified"] == semi_order[:8]
    return semi_order


def _play_the_final(
    host: APIClient, base: str, field: list[Team], semi_order: list[int], kills: dict
) -> tuple[int, dict[int, int]]:
    """Seeded by semi-final rank; the last finalist wins with 3 kills. Returns the champion and
    each finalist's player whose kills were counted."""
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
    return champion, player


def _crown(host: APIClient, base: str, tournament: Tournament, champion: int) -> None:
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


def _check_team_stats(
    champion: int,
    groups: list[dict[str, Any]],
    semi_order: list[int],
    field: list[Team],
    expected_semi: set[int],
) -> None:
    winner = Team.objects.get(pk=champion)
    # Three rounds, one match each: 1st in its group (10+1), in the semi? (placement by id order),
    # and 1st in the final (10+3).
    semi_place = semi_order.index(champion) + 1
    semi_points = PLACEMENT_POINTS[semi_place - 1] + 1
    group_place = next(
        g["teams"].index(t) + 1 for g in groups for t in g["teams"] if t["id"] == champion
    )
    group_points = PLACEMENT_POINTS[group_place - 1] + 1
    assert (winner.events_played, winner.wins, winner.matches_played, winner.total_kills) == (
        1,
        1,
        3,
        5,
    )
    assert winner.total_points == group_points + semi_points + 13
    loser = Team.objects.get(pk=next(t.pk for t in field if t.pk not in expected_semi))
    assert (loser.events_played, loser.wins, loser.matches_played) == (1, 0, 1)


def _check_leaderboards(
    tournament: Tournament, field: list[Team], champion: int, player: dict
) -> None:
    by_team = {t.pk: t for t in field}
    board = (
        client_as(by_team[champion].created_by or tournament.host)
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
    players_board = client_as(tournament.host).get("/api/accounts/leaderboard/?kind=players").json()
    assert players_board["count"] == 64
    assert players_board["results"][0]["total_points"] == max(
        s.total_points for s in PlayerStats.objects.all()
    )


def test_three_round_tournament() -> None:
    tournament, field = live_tournament(teams=64)
    host = client_as(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    kills = {t.pk: 1 for t in field}
    r1, semi, groups = _set_up_rounds(host, base)
    expected_semi = _play_the_group_round(host, base, r1, semi, groups, kills)
    semi_order = _play_the_semi(host, base, semi, expected_semi, kills)
    champion, player = _play_the_final(host, base, field, semi_order, kills)
    _crown(host, base, tournament, champion)
    _check_team_stats(champion, groups, semi_order, field, expected_semi)
    _check_leaderboards(tournament, field, champion, player)


# --- the structure services called directly ---------------------------------------------------


def test_rounds_are_numbered_in_order_and_a_number_is_taken_once() -> None:
    tournament, _field = live_tournament(teams=2)
    host = tournament.host
    first = round_create(actor=host, tournament=tournament, name="One")
    second = round_create(actor=host, tournament=tournament, name="Two", qualify_top_n=4)
    assert (first.number, second.number, second.qualify_top_n) == (1, 2, 4)
    with pytest.raises(Conflict, match="Round 2 already exists"):
        round_create(actor=host, tournament=tournament, name="Again", number=2)
    with pytest.raises(ValidationError, match="not both"):
        round_create(
            actor=host, tournament=tournament, name="X", qualify_per_group=2, qualify_top_n=4
        )


def test_round_numbers_stay_within_1_to_999_even_by_default() -> None:
    # schemathesis: a round numbered 32767 made the next default number overflow PostgreSQL's
    # smallint (500).
    tournament, _field = live_tournament(teams=2)
    host = client_as(tournament.host)
    url = f"/api/tournaments/{tournament.pk}/rounds/"
    for number in (0, 1000, 32767):
        response = host.post(url, {"name": "R", "number": number}, format="json")
        assert response.status_code == 400 and "number" in response.json()["details"], number
    assert host.post(url, {"name": "Last", "number": 999}, format="json").status_code == 201
    with pytest.raises(Conflict, match="1 to 999"):
        round_create(actor=tournament.host, tournament=tournament, name="Next")


def test_a_scrim_has_one_final_round() -> None:
    scrim, _field = live_tournament(teams=2, kind=Tournament.Kind.SCRIM)
    only = round_create(actor=scrim.host, tournament=scrim, name="Scrim")
    assert only.is_final
    with pytest.raises(TournamentLimitReached):
        round_create(actor=scrim.host, tournament=scrim, name="Another")


def test_a_group_takes_only_the_rounds_entrants_once_each() -> None:
    tournament, field = live_tournament(teams=3)
    _other, strangers = live_tournament(teams=1, prefix="Other")
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="R")
    ids = [t.pk for t in field]
    with pytest.raises(ValidationError, match="listed twice"):
        group_create(actor=host, tournament=tournament, round_=round_, name="A", team_ids=ids * 2)
    with pytest.raises(ValidationError, match="not entrants") as caught:
        group_create(
            actor=host, tournament=tournament, round_=round_, name="A", team_ids=[strangers[0].pk]
        )
    assert caught.value.details == {"teams": [strangers[0].pk]}
    group_create(actor=host, tournament=tournament, round_=round_, name="A", team_ids=ids[:2])
    with pytest.raises(Conflict):
        group_create(actor=host, tournament=tournament, round_=round_, name="B", team_ids=ids[1:])


def test_auto_seed_deals_a_snake_and_refuses_a_second_time() -> None:
    tournament, field = live_tournament(teams=8)
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="R")
    groups = groups_auto_seed(actor=host, tournament=tournament, round_=round_, groups=3)
    assert [g.name for g in groups] == ["A", "B", "C"]
    dealt = [
        list(GroupTeam.objects.filter(group=g).order_by("seed").values_list("team_id", flat=True))
        for g in groups
    ]
    ids = [t.pk for t in field]  # registration order
    assert dealt == [[ids[0], ids[5], ids[6]], [ids[1], ids[4], ids[7]], [ids[2], ids[3]]]
    with pytest.raises(RoundStateConflict, match="already has groups"):
        groups_auto_seed(actor=host, tournament=tournament, round_=round_, groups=2)
    other = round_create(actor=host, tournament=tournament, name="Later")
    with pytest.raises(RoundStateConflict, match="Complete R first"):
        groups_auto_seed(actor=host, tournament=tournament, round_=other, groups=1)


def test_matches_belong_to_a_group_of_the_tournament() -> None:
    tournament, field = live_tournament(teams=2)
    other, _ = live_tournament(teams=2, prefix="Other")
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="R")
    group = group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[t.pk for t in field]
    )
    first = match_create(actor=host, tournament=tournament, group=group, map_name="Erangel")
    assert (first.number, first.map) == (1, "Erangel")
    with pytest.raises(Conflict, match="Match 1 already exists"):
        match_create(actor=host, tournament=tournament, group=group, number=1)
    with pytest.raises(NotFound):
        match_create(actor=other.host, tournament=other, group=group)


def test_a_round_completes_once_its_matches_are_done() -> None:
    tournament, field = live_tournament(teams=2)
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="R", qualify_top_n=1)
    group = group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[t.pk for t in field]
    )
    match_create(actor=host, tournament=tournament, group=group)
    with pytest.raises(RoundStateConflict, match="1 match"):
        round_complete(actor=host, tournament=tournament, round_=round_)
    with pytest.raises(PermissionDenied):
        round_complete(actor=HostFactory(), tournament=tournament, round_=round_)
    assert Round.objects.get(pk=round_.pk).status == Round.Status.SCHEDULED
    Match.objects.filter(group=group).update(status=Match.Status.CANCELLED)
    done = round_complete(actor=host, tournament=tournament, round_=round_)
    assert done.status == Round.Status.COMPLETED and len(done.qualified) == 1
    assert logged(tournament)[-1]["data"] == {
        "round": round_.pk,
        "status": "completed",
        "qualified": done.qualified,
    }
    with pytest.raises(RoundStateConflict, match="already completed"):
        round_complete(actor=host, tournament=tournament, round_=round_)
