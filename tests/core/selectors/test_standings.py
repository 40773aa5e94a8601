"""core/selectors/standings.py: the ranked rows of a group, a round or the tournament, who is
through to the next round, and a query count that does not grow with the field (up to a
1000-team round, measured through REST)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Group, GroupTeam, Match, MatchResult, Round, Team, Tournament
from core.selectors.standings import (
    GROUP,
    ROUND,
    TOURNAMENT,
    Scope,
    standings_rows,
)
from core.services.competition import groups_auto_seed, match_create, round_create
from core.services.results import match_result_submit
from tests.factories import game
from tests.support.events import submission
from tests.support.rooms import LiveRoom, live_room
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def _build_round(
    tournament: Tournament, *, groups: int, per_group: int, matches: int, tag: str
) -> Round:
    """A qualifier round built straight into the tables (bulk_create), results included."""
    g = game()
    round_ = Round.objects.create(
        tournament=tournament,
        number=Round.objects.filter(tournament=tournament).count() + 1,
        name=tag,
        qualify_per_group=2,
    )
    teams = Team.objects.bulk_create(
        Team(game=g, name=f"{tag} {i:04d}", tag=f"{i:04d}") for i in range(groups * per_group)
    )
    group_rows = Group.objects.bulk_create(
        Group(round=round_, tournament=tournament, name=f"{tag}{i}") for i in range(groups)
    )
    GroupTeam.objects.bulk_create(
        GroupTeam(group=grp, round=round_, team=teams[gi * per_group + k], seed=k)
        for gi, grp in enumerate(group_rows)
        for k in range(per_group)
    )
    match_rows = Match.objects.bulk_create(
        Match(tournament=tournament, group=grp, number=n, status="completed", result_version=1)
        for grp in group_rows
        for n in range(1, matches + 1)
    )
    results = []
    for mi, m in enumerate(match_rows):
        gi = mi // matches
        for k in range(per_group):
            place = (k + mi) % per_group + 1
            kills = (k * 7 + mi) % 6
            pp = [10, 6, 5, 4, 3, 2, 1, 1][place - 1] if place <= 8 else 0
            results.append(
                MatchResult(
                    match=m,
                    tournament=tournament,
                    round=round_,
                    team=teams[gi * per_group + k],
                    placement=place,
                    kills=kills,
                    placement_points=pp,
                    kill_points=kills,
                    total=pp + kills,
                )
            )
    MatchResult.objects.bulk_create(results, batch_size=2000)
    return round_


def test_standings_query_count_is_constant_up_to_a_1000_team_round(settings: Any) -> None:
    settings.PUBLIC_READ_CACHE = False  # the selector's own cost (cache hits: api/test_read_cache)
    tournament, _ = live_tournament(teams=2)
    small = _build_round(tournament, groups=2, per_group=4, matches=2, tag="S")
    big = _build_round(tournament, groups=40, per_group=25, matches=6, tag="B")
    client = APIClient()
    counts = {}
    for name, params in {
        "small round": f"?round={small.pk}",
        "big round": f"?round={big.pk}",
        "big group": f"?group={Group.objects.filter(round=big).first().pk}",
        "tournament": "",
    }.items():
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/tournaments/{tournament.pk}/standings/{params}")
        assert r.status_code == 200
        counts[name] = len(ctx.captured_queries)
        if name == "big round":
            rows = r.json()["rows"]
            assert len(rows) == 1000 and sum(row["matches"] for row in rows) == 6000
            assert sum(row["qualified"] for row in rows) == 80  # top 2 of each of 40 groups
            assert [row["rank"] for row in rows] == sorted(row["rank"] for row in rows)
    assert counts["small round"] == counts["big round"] == counts["big group"], counts
    assert counts["tournament"] <= counts["big round"], counts


def _play(room: LiveRoom, match: Match, order: list[int], kills: int = 0) -> None:
    match_result_submit(
        actor=room.host, match_id=match.pk, submission=submission(room.rows(order, kills))
    )


def _ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["team"]["id"] for row in rows]


def test_rows_rank_the_group_and_show_each_teams_line() -> None:
    room = live_room(teams=3)
    _play(room, room.matches[0], [2, 0, 1], kills=1)
    scope = Scope(GROUP, room.group.pk, room.tournament.pk, room.group.round_id)
    rows = standings_rows(scope)
    assert _ids(rows) == [room.teams[2].pk, room.teams[0].pk, room.teams[1].pk]
    assert rows[0] == {
        "rank": 1,
        "team": {"id": room.teams[2].pk, "name": "Team 03", "tag": "T03", "logo": None},
        "matches": 1,
        "wins": 1,
        "placement_points": 10,
        "kill_points": 1,
        "total": 11,
        "last_placement": 1,
        "qualified": False,  # a final round qualifies nobody
    }


def test_teams_without_results_are_listed_with_zeros() -> None:
    room = live_room(teams=2)
    rows = standings_rows(Scope(TOURNAMENT, room.tournament.pk, room.tournament.pk))
    assert {row["total"] for row in rows} == {0} and len(rows) == 2


def test_a_cancelled_match_does_not_count() -> None:
    room = live_room(teams=2)
    _play(room, room.matches[0], [0, 1])
    Match.objects.filter(pk=room.matches[0].pk).update(status=Match.Status.CANCELLED)
    rows = standings_rows(
        Scope(ROUND, room.group.round_id, room.tournament.pk, room.group.round_id)
    )
    assert [row["matches"] for row in rows] == [0, 0]


def _qualifier(**rule: int) -> tuple[Tournament, Round, list[Group]]:
    """A live tournament of 8 teams in a qualifier round of 2 groups, one match each played in
    seed order."""
    tournament, _field = live_tournament(teams=8)
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="Qualifier", **rule)
    groups = groups_auto_seed(actor=host, tournament=tournament, round_=round_, groups=2)
    for group in groups:
        match = match_create(actor=host, tournament=tournament, group=group)
        teams = GroupTeam.objects.filter(group=group).order_by("seed")
        rows = [{"team": e.team_id, "placement": e.seed} for e in teams]
        match_result_submit(actor=host, match_id=match.pk, submission=submission(rows))
    return tournament, round_, groups


def test_qualify_per_group_takes_the_top_of_each_group() -> None:
    tournament, round_, groups = _qualifier(qualify_per_group=1)
    rows = standings_rows(Scope(ROUND, round_.pk, tournament.pk, round_.pk))
    through = {row["team"]["id"] for row in rows if row["qualified"]}
    winners = {GroupTeam.objects.get(group=g, seed=1).team_id for g in groups}
    assert through == winners


def test_qualify_top_n_is_a_round_wide_cut_that_a_group_cannot_tell() -> None:
    tournament, round_, groups = _qualifier(qualify_top_n=3)
    round_rows = standings_rows(Scope(ROUND, round_.pk, tournament.pk, round_.pk))
    assert [row["qualified"] for row in round_rows] == [True] * 3 + [False] * 5
    group_rows = standings_rows(Scope(GROUP, groups[0].pk, tournament.pk, round_.pk))
    assert not any(row["qualified"] for row in group_rows)


def test_a_completed_round_shows_its_stored_qualifiers() -> None:
    tournament, round_, _groups = _qualifier(qualify_top_n=3)
    chosen = list(GroupTeam.objects.filter(round=round_).values_list("team_id", flat=True)[:2])
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.COMPLETED, qualified=chosen)
    rows = standings_rows(Scope(ROUND, round_.pk, tournament.pk, round_.pk))
    assert {row["team"]["id"] for row in rows if row["qualified"]} == set(chosen)


def test_a_scope_is_three_queries_and_an_unknown_scope_is_an_error(
    django_assert_num_queries: Any,
) -> None:
    tournament, round_, groups = _qualifier(qualify_per_group=2)
    with django_assert_num_queries(3):  # the round's rule, the teams, the results
        standings_rows(Scope(GROUP, groups[0].pk, tournament.pk, round_.pk))
    with django_assert_num_queries(2):  # no round rule for the whole tournament
        standings_rows(Scope(TOURNAMENT, tournament.pk, tournament.pk))
    with pytest.raises(ValueError, match="unknown scope"):
        standings_rows(Scope("season", 1, tournament.pk))
