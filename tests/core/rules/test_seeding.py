"""core/rules/seeding.py: group names and the snake deal of seeds into groups."""

import pytest

from core.rules.seeding import group_names, snake_deal


def test_group_names_run_a_to_z_then_double_letters() -> None:
    assert group_names(0) == []
    assert group_names(3) == ["A", "B", "C"]
    names = group_names(30)
    assert names[25:] == ["Z", "AA", "AB", "AC", "AD"]
    assert len(set(group_names(100))) == 100


def test_snake_deal_goes_there_and_back() -> None:
    assert snake_deal([1, 2, 3, 4, 5, 6, 7, 8], 3) == [[1, 6, 7], [2, 5, 8], [3, 4]]
    assert snake_deal([1, 2, 3], 1) == [[1, 2, 3]]
    assert snake_deal([], 2) == [[], []]


@pytest.mark.parametrize(("teams", "groups"), [(64, 4), (25, 4), (7, 3), (5, 5), (3, 6)])
def test_snake_deal_keeps_every_team_once_and_sizes_within_one(teams: int, groups: int) -> None:
    ids = list(range(100, 100 + teams))
    buckets = snake_deal(ids, groups)
    assert len(buckets) == groups
    assert sorted(t for b in buckets for t in b) == ids
    sizes = [len(b) for b in buckets]
    assert max(sizes) - min(sizes) <= 1


def test_snake_deal_spreads_the_top_seeds() -> None:
    buckets = snake_deal(list(range(1, 17)), 4)
    assert [b[0] for b in buckets] == [1, 2, 3, 4]  # one top seed per group
    assert [b[1] for b in buckets] == [8, 7, 6, 5]
    assert {sum(b) for b in buckets} == {34}  # every group equally strong
