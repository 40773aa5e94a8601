"""core/services/winners.py: crowning rank 1 of the final round completes it and the tournament
(with their events), teams sharing rank 1 need the host's choice, and career stats are added
once."""

from typing import Any

import pytest

from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import Match, PlayerStats, Round, Team, Tournament
from core.services.competition import group_create, match_create, round_create
from core.services.guards import RoundStateConflict
from core.services.results import match_result_submit
from core.services.winners import final_round_of, round_finish, tournament_select_winner
from tests.factories import HostFactory
from tests.support.events import logged, submission
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def _final(groups: list[list[Team]], t: Tournament) -> tuple[Round, list[Match]]:
    """A final round with one group (and one match) per list of teams."""
    final = round_create(actor=t.host, tournament=t, name="Final", is_final=True)
    matches = []
    for i, teams in enumerate(groups):
        group = group_create(
            actor=t.host, tournament=t, round_=final, name=f"G{i}", team_ids=[x.pk for x in teams]
        )
        matches.append(match_create(actor=t.host, tournament=t, group=group))
    return final, matches


def _play(t: Tournament, match: Match, order: list[Team], kills: int = 2) -> None:
    """A final result: order[0] first; each team's kills all by its first player."""
    rows: list[dict[str, Any]] = [
        {
            "team": team.pk,
            "placement": place,
            "kills": kills,
            "players": [{"player": team.memberships.first().user_id, "kills": kills}],
        }
        for place, team in enumerate(order, start=1)
    ]
    match_result_submit(actor=t.host, match_id=match.pk, submission=submission(rows, final=True))


def test_crowning_rank_one_completes_the_round_and_the_tournament() -> None:
    t, field = live_tournament(teams=3, roster=2)
    final, (match,) = _final([field], t)
    later = round_create(actor=t.host, tournament=t, name="Never played")
    _play(t, match, [field[1], field[0], field[2]])
    before = len(logged(t))
    crowned = tournament_select_winner(actor=t.host, tournament=t)
    assert (crowned.pk, crowned.winner_id, crowned.status) == (final.pk, field[1].pk, "completed")
    t.refresh_from_db()
    assert t.status == Tournament.Status.COMPLETED
    assert Round.objects.get(pk=later.pk).status == Round.Status.COMPLETED
    events = logged(t)[before:]
    assert [e["name"] for e in events] == [
        "round.status", "round.status", "winner", "tournament.status",
    ]  # fmt: skip
    # The final, then the round never played: a room shows every round completed.
    assert [(e["data"]["round"], e["data"]["status"]) for e in events[:2]] == [
        (final.pk, "completed"),
        (later.pk, "completed"),
    ]
    assert events[2]["data"]["team"]["id"] == field[1].pk
    assert events[2]["data"]["standings"][0]["team"]["id"] == field[1].pk
    assert events[3]["data"] == {"status": "completed"}


def test_career_stats_are_added_once() -> None:
    t, field = live_tournament(teams=2, roster=2)
    _, (match,) = _final([field], t)
    _play(t, match, [field[0], field[1]], kills=4)
    tournament_select_winner(actor=t.host, tournament=t)
    winner, loser = (Team.objects.get(pk=team.pk) for team in field)
    assert (winner.events_played, winner.wins, winner.matches_played) == (1, 1, 1)
    assert (winner.total_kills, winner.total_points) == (4, 10 + 4)
    assert (loser.events_played, loser.wins, loser.total_points) == (1, 0, 6 + 4)
    killer = PlayerStats.objects.get(user=field[0].memberships.first().user)
    quiet = PlayerStats.objects.get(user=field[0].memberships.last().user)
    assert (killer.wins, killer.total_kills, killer.total_points) == (1, 4, 14)
    assert (quiet.wins, quiet.total_kills, quiet.matches_played) == (1, 0, 1)
    assert PlayerStats.objects.count() == 4
    with pytest.raises(Conflict, match="is completed"):
        tournament_select_winner(actor=t.host, tournament=t)
    assert Team.objects.get(pk=field[0].pk).events_played == 1


def test_teams_sharing_rank_one_need_the_hosts_choice() -> None:
    t, field = live_tournament(teams=4)
    _, matches = _final([field[:2], field[2:]], t)
    _play(t, matches[0], [field[0], field[1]])
    _play(t, matches[1], [field[2], field[3]])
    with pytest.raises(Conflict, match="share rank 1") as tied:
        tournament_select_winner(actor=t.host, tournament=t)
    assert sorted(tied.value.details["tied"]) == sorted([field[0].pk, field[2].pk])
    with pytest.raises(ValidationError, match="at rank 1") as wrong:
        tournament_select_winner(actor=t.host, tournament=t, team_id=field[1].pk)
    assert "team" in wrong.value.details
    crowned = tournament_select_winner(actor=t.host, tournament=t, team_id=field[2].pk)
    assert crowned.winner_id == field[2].pk


def test_a_winner_needs_a_live_tournament_with_played_final_results() -> None:
    t, field = live_tournament(teams=2)
    with pytest.raises(RoundStateConflict, match="no rounds"):
        tournament_select_winner(actor=t.host, tournament=t)
    _, (match,) = _final([field], t)
    with pytest.raises(RoundStateConflict, match="No results"):
        tournament_select_winner(actor=t.host, tournament=t)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.LIVE)
    with pytest.raises(RoundStateConflict, match="still live"):
        tournament_select_winner(actor=t.host, tournament=t)
    with pytest.raises(PermissionDenied):
        tournament_select_winner(actor=HostFactory(), tournament=t)
    Tournament.objects.filter(pk=t.pk).update(status=Tournament.Status.REGISTRATION_CLOSED)
    with pytest.raises(Conflict, match="Only a live tournament"):
        tournament_select_winner(actor=t.host, tournament=t)


def test_the_final_round_is_the_last_flagged_final_or_else_the_last() -> None:
    t, _ = live_tournament(teams=2)
    assert final_round_of(t) is None
    first = round_create(actor=t.host, tournament=t, name="One")
    assert final_round_of(t) == first
    flagged = round_create(actor=t.host, tournament=t, name="Final", is_final=True)
    round_create(actor=t.host, tournament=t, name="Show match")
    assert final_round_of(t) == flagged


def test_the_refusals_name_the_teams_that_may_be_chosen() -> None:
    t, field = live_tournament(teams=4)
    _, matches = _final([field[:2], field[2:]], t)
    _play(t, matches[0], [field[0], field[1]])
    _play(t, matches[1], [field[2], field[3]])
    with pytest.raises(Conflict) as tied:
        tournament_select_winner(actor=t.host, tournament=t)
    assert field[0].name in tied.value.message and field[2].name in tied.value.message
    assert sorted(x["name"] for x in tied.value.details["teams"]) == [field[0].name, field[2].name]
    with pytest.raises(ValidationError) as wrong:
        tournament_select_winner(actor=t.host, tournament=t, team_id=field[1].pk)
    assert field[0].name in wrong.value.details["team"][0]


def test_completing_the_final_round_crowns_and_records_the_prize_per_placing() -> None:
    t, field = live_tournament(teams=3)
    Tournament.objects.filter(pk=t.pk).update(
        prize_pool=1000,
        prize_split=[{"place": 1, "amount": 700}, {"place": 2, "amount": 300}],
    )
    t.refresh_from_db()
    final, (match,) = _final([field], t)
    _play(t, match, [field[2], field[0], field[1]])
    before = len(logged(t))
    crowned = round_finish(actor=t.host, tournament=t, round_=final)
    assert (crowned.status, crowned.winner_id) == ("completed", field[2].pk)
    names = [e["name"] for e in logged(t)[before:]]
    assert names == ["round.status", "winner", "tournament.status"]
    t.refresh_from_db()
    assert t.status == Tournament.Status.COMPLETED
    assert [(p["place"], p["team"]["id"], p["amount"]) for p in t.placings] == [
        (1, field[2].pk, 700),
        (2, field[0].pk, 300),
        (3, field[1].pk, 0),
    ]


def test_completing_a_round_not_flagged_final_only_completes_it() -> None:
    t, field = live_tournament(teams=2)
    first = round_create(actor=t.host, tournament=t, name="Day 1", qualify_top_n=2)
    group = group_create(
        actor=t.host, tournament=t, round_=first, name="A", team_ids=[x.pk for x in field]
    )
    _play(t, match_create(actor=t.host, tournament=t, group=group), field)
    done = round_finish(actor=t.host, tournament=t, round_=first)
    assert (done.status, done.winner_id) == ("completed", None)
    t.refresh_from_db()
    assert t.status == Tournament.Status.LIVE
