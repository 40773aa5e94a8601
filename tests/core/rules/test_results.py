"""core/rules/results.py: parsing a match's result rows from the wire and the rules they obey
against the match's group (docs/protocol.md, `result.submit`). Pure: no database."""

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.rules.results import (
    MAX_KILLS,
    PlayerKills,
    ResultRow,
    ResultSubmission,
    check_result_rows,
    parse_result_rows,
)
from core.services.idempotency import fingerprint_of

LOBBY = {10, 20, 30}
ROSTER = {10: {1, 2}, 20: {3}, 30: set()}


def refused(call: Any, message: str) -> None:
    """The call raises a ValidationError with exactly this message, under `results`."""
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.message == message
    assert caught.value.details == {"results": [message]}


# --- parse_result_rows ------------------------------------------------------------------------


def test_rows_parse_into_typed_values_with_kills_defaulting_to_zero() -> None:
    rows = parse_result_rows(
        [
            {"team": 10, "placement": 2, "kills": 3, "players": [{"player": 1, "kills": 2}]},
            {"team": 20, "placement": 1},
            {"team": 30, "placement": 3, "players": [{"player": 7}]},
        ]
    )
    assert rows == (
        ResultRow(team=10, placement=2, kills=3, players=(PlayerKills(player=1, kills=2),)),
        ResultRow(team=20, placement=1, kills=0, players=()),
        ResultRow(team=30, placement=3, kills=0, players=(PlayerKills(player=7, kills=0),)),
    )


def test_players_may_be_null_or_missing() -> None:
    (row,) = parse_result_rows([{"team": 1, "placement": 1, "kills": 0, "players": None}])
    assert row.players == ()


@pytest.mark.parametrize("raw", [None, [], {}, "rows", 7])
def test_results_must_be_a_non_empty_list(raw: object) -> None:
    refused(
        lambda: parse_result_rows(raw),
        "results must be a non-empty list, one row per team that played",
    )


@pytest.mark.parametrize("item", [None, 1, "row", [1, 1, 0]])
def test_each_row_must_be_an_object(item: object) -> None:
    refused(lambda: parse_result_rows([item]), "each result row must be an object")


@pytest.mark.parametrize(
    ("row", "what"),
    [
        ({"placement": 1}, "team"),
        ({"team": "10", "placement": 1}, "team"),
        ({"team": True, "placement": 1}, "team"),
        ({"team": 10.0, "placement": 1}, "team"),
        ({"team": 10}, "placement"),
        ({"team": 10, "placement": False}, "placement"),
        ({"team": 10, "placement": "1"}, "placement"),
        ({"team": 10, "placement": 1, "kills": "3"}, "kills"),
        ({"team": 10, "placement": 1, "kills": True}, "kills"),
        ({"team": 10, "placement": 1, "kills": None}, "kills"),
        ({"team": 10, "placement": 1, "players": [{"kills": 1}]}, "player"),
        ({"team": 10, "placement": 1, "players": [{"player": "1"}]}, "player"),
        ({"team": 10, "placement": 1, "players": [{"player": 1, "kills": True}]}, "player kills"),
        ({"team": 10, "placement": 1, "players": [{"player": 1, "kills": "2"}]}, "player kills"),
    ],
)
def test_bools_strings_and_missing_values_are_not_integers(row: dict, what: str) -> None:
    refused(lambda: parse_result_rows([row]), f"{what} must be an integer")


@pytest.mark.parametrize("players", [{"player": 1}, "1", 5])
def test_players_must_be_a_list(players: object) -> None:
    row = {"team": 10, "placement": 1, "players": players}
    refused(lambda: parse_result_rows([row]), "each player line must be an object")


@pytest.mark.parametrize("line", [1, None, "p1", [1, 2]])
def test_each_player_line_must_be_an_object(line: object) -> None:
    row = {"team": 10, "placement": 1, "players": [line]}
    refused(lambda: parse_result_rows([row]), "each player line must be an object")


# --- check_result_rows ------------------------------------------------------------------------


def check(*rows: ResultRow) -> list[ResultRow]:
    return check_result_rows(rows, lobby=LOBBY, roster=ROSTER)


def test_valid_rows_come_back_in_placement_order() -> None:
    rows = (
        ResultRow(30, 3, 0),
        ResultRow(10, 1, MAX_KILLS, (PlayerKills(1, MAX_KILLS), PlayerKills(2, 0))),
        ResultRow(20, 2, 5),
    )
    assert [r.team for r in check(*rows)] == [10, 20, 30]
    assert [r.placement for r in check(*rows)] == [1, 2, 3]


def test_a_partial_result_is_allowed() -> None:
    assert check(ResultRow(20, 3)) == [ResultRow(20, 3)]


def test_no_rows_are_refused() -> None:
    refused(check, "results must be a non-empty list, one row per team that played")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([ResultRow(99, 1)], "team 99 is not in this match's group"),
        ([ResultRow(10, 1), ResultRow(10, 2)], "team 10 appears twice"),
        ([ResultRow(10, 0)], "placement 0 is out of range 1..3"),
        ([ResultRow(10, 4)], "placement 4 is out of range 1..3"),
        ([ResultRow(10, 2), ResultRow(20, 2)], "placement 2 is given to two teams"),
        ([ResultRow(10, 1, -1)], "kills -1 of team 10 are out of range 0..99"),
        ([ResultRow(20, 1, 100)], "kills 100 of team 20 are out of range 0..99"),
    ],
)
def test_row_refusals(rows: list[ResultRow], message: str) -> None:
    refused(lambda: check(*rows), message)


@pytest.mark.parametrize(
    ("players", "message"),
    [
        ((PlayerKills(3, 1),), "player 3 is not on team 10's roster"),
        ((PlayerKills(1, 1), PlayerKills(1, 2)), "player 1 appears twice"),
        ((PlayerKills(2, 100),), "kills 100 of player 2 are out of range 0..99"),
        ((PlayerKills(2, -3),), "kills -3 of player 2 are out of range 0..99"),
    ],
)
def test_player_refusals(players: tuple[PlayerKills, ...], message: str) -> None:
    refused(lambda: check(ResultRow(10, 1, 1, players)), message)


def test_a_team_without_a_roster_takes_no_player_lines() -> None:
    refused(
        lambda: check(ResultRow(30, 1, 0, (PlayerKills(1, 0),))),
        "player 1 is not on team 30's roster",
    )
    refused(
        lambda: check_result_rows(
            [ResultRow(10, 1, 0, (PlayerKills(1, 0),))], lobby={10}, roster={}
        ),
        "player 1 is not on team 10's roster",
    )


def test_the_lobby_size_bounds_placements() -> None:
    assert check_result_rows([ResultRow(5, 1)], lobby={5}, roster={}) == [ResultRow(5, 1)]
    refused(
        lambda: check_result_rows([ResultRow(5, 2)], lobby={5}, roster={}),
        "placement 2 is out of range 1..1",
    )


# --- ResultSubmission.as_dict (its fingerprint) -------------------------------------------------

_kills = st.builds(PlayerKills, player=st.integers(1, 10**6), kills=st.integers(0, MAX_KILLS))
_row = st.builds(
    ResultRow,
    team=st.integers(1, 10**6),
    placement=st.integers(1, 100),
    kills=st.integers(0, MAX_KILLS),
    players=st.lists(_kills, max_size=4).map(tuple),
)


@given(
    rows=st.lists(_row, max_size=30).map(tuple),
    final=st.booleans(),
    version=st.none() | st.integers(0, 10**6),
)
def test_as_dict_is_asdict_so_stored_fingerprints_still_match(
    rows: tuple[ResultRow, ...], final: bool, version: int | None
) -> None:
    submission = ResultSubmission(rows, final, version)
    # asdict keeps tuples where as_dict builds lists: the JSON, which is what is hashed, is equal.
    assert fingerprint_of(submission.as_dict()) == fingerprint_of(dataclasses.asdict(submission))
