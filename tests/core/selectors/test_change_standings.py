"""core/selectors/standings.py `change_standings`: the three scopes a result changes, read in two
queries, row for row what `standings_rows` gives each scope on its own, wherever the teams and
results of the scopes differ (several rounds, several groups, teams in two rounds, a cancelled
match, a round-wide cut) and where they coincide (a scrim of one group)."""

from typing import Any

import pytest

from core.models import Group, GroupTeam, Match, Round
from core.selectors.standings import GROUP, ROUND, TOURNAMENT, change_standings, standings_rows
from tests.core.selectors.test_standings import _build_round, _play, _qualifier
from tests.support.rooms import live_room
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def _assert_as_one_by_one(tournament_id: int, round_: Round, group_id: int) -> None:
    changed = change_standings(tournament_id=tournament_id, round_=round_, group_id=group_id)
    assert [scope.kind for scope, _ in changed] == [GROUP, ROUND, TOURNAMENT]
    for scope, rows in changed:
        assert rows == standings_rows(scope), scope


def test_every_group_of_a_two_round_tournament_matches_the_scopes_read_alone(
    django_assert_num_queries: Any,
) -> None:
    tournament, _ = live_tournament(teams=2)
    first = _build_round(tournament, groups=3, per_group=6, matches=3, tag="Q")
    second = _build_round(tournament, groups=2, per_group=5, matches=2, tag="F")
    # Two of the qualifier's teams play on in the second round: they are in two rounds.
    group = Group.objects.filter(round=second).first()
    for seed, team_id in enumerate(
        GroupTeam.objects.filter(round=first).values_list("team_id", flat=True)[:2], start=10
    ):
        GroupTeam.objects.create(group=group, round=second, team_id=team_id, seed=seed)
    Match.objects.filter(group__round=first, number=2).update(status=Match.Status.CANCELLED)
    for round_ in (first, second):
        for group_id in Group.objects.filter(round=round_).values_list("id", flat=True):
            _assert_as_one_by_one(tournament.pk, round_, group_id)
    with django_assert_num_queries(2):  # the entries and the results, whatever the scopes
        change_standings(tournament_id=tournament.pk, round_=second, group_id=group.pk)


@pytest.mark.parametrize("rule", [{"qualify_top_n": 3}, {"qualify_per_group": 1}])
def test_a_qualifier_cut_is_the_same_as_read_alone(rule: dict[str, int]) -> None:
    tournament, round_, groups = _qualifier(**rule)
    for group in groups:
        _assert_as_one_by_one(tournament.pk, round_, group.pk)


def test_a_scrim_of_one_group_gives_three_equal_tables() -> None:
    room = live_room(teams=5)
    _play(room, room.matches[0], [3, 1, 0, 4, 2], kills=2)
    round_ = Round.objects.get(pk=room.group.round_id)
    _assert_as_one_by_one(room.tournament.pk, round_, room.group.pk)
    changed = change_standings(
        tournament_id=room.tournament.pk, round_=round_, group_id=room.group.pk
    )
    assert changed[0][1] == changed[1][1] == changed[2][1]
