"""core/rules/tournaments.py: the schedule-derived status, scrim limits, team counts, money and
prize splits, as pure checks on values (no database)."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from core.errors import ValidationError
from core.models import Tournament
from core.rules import tournaments as rules
from core.rules.tournaments import (
    TournamentLimitReached,
    check_max_teams,
    check_money,
    check_schedule,
    clean_prize_split,
    effective_status,
    scrim_limits,
    status_from_schedule,
    tournament_check_can_add_match,
    tournament_check_can_add_round,
)

S = Tournament.Status


def test_the_string_constants_are_the_models_choice_values() -> None:
    statuses = {
        rules.DRAFT,
        rules.PUBLISHED,
        rules.REGISTRATION_OPEN,
        rules.REGISTRATION_CLOSED,
        rules.LIVE,
        rules.COMPLETED,
        rules.CANCELLED,
    }
    assert statuses == set(Tournament.Status.values)
    assert (rules.DRAFT, rules.LIVE, rules.CANCELLED) == (S.DRAFT, S.LIVE, S.CANCELLED)
    assert rules.SCRIM == Tournament.Kind.SCRIM
    assert set(rules.PLAN_RANK) == set(Tournament.Plan.values)
    assert rules.PLAN_RANK == {"basic": 0, "featured": 1, "premium": 2}
    assert set(rules.SCHEDULED_STATUSES) == {
        S.PUBLISHED,
        S.REGISTRATION_OPEN,
        S.REGISTRATION_CLOSED,
    }
    assert set(rules.FINAL_STATUSES) == {S.COMPLETED, S.CANCELLED}


def test_status_follows_the_registration_window() -> None:
    now = timezone.now()
    hour = timedelta(hours=1)
    window = {"opens_at": now - hour, "closes_at": now + hour}
    assert status_from_schedule(status=S.PUBLISHED, now=now, **window) == S.REGISTRATION_OPEN
    assert status_from_schedule(status=S.REGISTRATION_OPEN, now=now + 2 * hour, **window) == (
        S.REGISTRATION_CLOSED
    )
    assert status_from_schedule(status=S.REGISTRATION_OPEN, now=now - 2 * hour, **window) == (
        S.PUBLISHED
    )
    for fixed in (S.DRAFT, S.LIVE, S.COMPLETED, S.CANCELLED):
        assert status_from_schedule(status=fixed, now=now, **window) == fixed


def test_the_window_edges_belong_to_the_later_status() -> None:
    opens = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.get_current_timezone())
    closes = opens + timedelta(hours=1)
    window = {"opens_at": opens, "closes_at": closes}
    assert status_from_schedule(status=S.PUBLISHED, now=opens, **window) == S.REGISTRATION_OPEN
    assert status_from_schedule(status=S.PUBLISHED, now=closes, **window) == S.REGISTRATION_CLOSED


def test_effective_status_reads_the_tournaments_own_window() -> None:
    now = timezone.now()
    scheduled = SimpleNamespace(
        status=S.REGISTRATION_OPEN,
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(seconds=1),
    )
    assert effective_status(scheduled, now) == S.REGISTRATION_CLOSED
    scheduled.status = S.LIVE
    assert effective_status(scheduled, now) == S.LIVE


def test_scrim_limits_on_rounds_and_matches() -> None:
    assert scrim_limits == {"max_teams": 25, "rounds": 1, "matches": 6}
    scrim = Tournament(kind="scrim")
    tournament_check_can_add_round(tournament=scrim, existing_rounds=0)
    with pytest.raises(TournamentLimitReached, match="exactly 1 round"):
        tournament_check_can_add_round(tournament=scrim, existing_rounds=1)
    tournament_check_can_add_match(tournament=scrim, existing_matches=5)
    with pytest.raises(TournamentLimitReached, match="at most 6") as caught:
        tournament_check_can_add_match(tournament=scrim, existing_matches=6)
    assert caught.value.code == "scrim_limit"
    assert caught.value.details == {"limit": 6, "existing": 6}
    cup = Tournament(kind="tournament")
    tournament_check_can_add_round(tournament=cup, existing_rounds=4)
    tournament_check_can_add_match(tournament=cup, existing_matches=40)


def test_the_schedule_must_be_ordered() -> None:
    now = timezone.now()
    check_schedule(
        opens_at=now, closes_at=now + timedelta(hours=1), starts_at=now + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="close after it opens") as caught:
        check_schedule(opens_at=now, closes_at=now, starts_at=now + timedelta(hours=1))
    assert "registration_closes_at" in caught.value.details
    with pytest.raises(ValidationError, match="start at or after") as caught:
        check_schedule(
            opens_at=now, closes_at=now + timedelta(hours=2), starts_at=now + timedelta(hours=1)
        )
    assert "starts_at" in caught.value.details


@pytest.mark.parametrize(
    ("kind", "max_teams", "seats", "message"),
    [
        ("tournament", 1, 0, "at least 2"),
        ("tournament", 1025, 0, "At most 1024"),
        ("scrim", 26, 0, "at most 25"),
        ("tournament", 3, 4, "4 teams already hold a seat"),
    ],
)
def test_max_teams_refusals(kind: str, max_teams: int, seats: int, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        check_max_teams(kind=kind, max_teams=max_teams, seats_taken=seats)
    assert list(caught.value.details) == ["max_teams"]


def test_max_teams_accepted_at_the_limits() -> None:
    check_max_teams(kind="tournament", max_teams=2)
    check_max_teams(kind="tournament", max_teams=1024, seats_taken=1024)
    check_max_teams(kind="scrim", max_teams=25, seats_taken=25)


@pytest.mark.parametrize("value", [-1, 1_000_000_001, True, 1.5, "100"])
def test_money_is_a_whole_number_of_paise_in_range(value: Any) -> None:
    with pytest.raises(ValidationError, match="whole number of paise") as caught:
        check_money("entry_fee", value)
    assert list(caught.value.details) == ["entry_fee"]


def test_money_at_the_limits() -> None:
    check_money("prize_pool", 0)
    check_money("prize_pool", 1_000_000_000)


def test_prize_split_is_sorted_by_place_and_sums_to_the_pool() -> None:
    split = [{"place": 2, "amount": 300}, {"place": 1, "amount": 700}]
    assert clean_prize_split(split, 1000) == [
        {"place": 1, "amount": 700},
        {"place": 2, "amount": 300},
    ]
    assert clean_prize_split([], 0) == []


@pytest.mark.parametrize(
    ("split", "pool", "message"),
    [
        ({"place": 1}, 1, "must be a list"),
        ([{"place": p, "amount": 1} for p in range(1, 102)], 101, "At most 100 prize places"),
        ([{"place": 1}], 1, "exactly {place, amount}"),
        ([{"place": 1, "amount": 1, "x": 0}], 1, "exactly {place, amount}"),
        ([{"place": 0, "amount": 1}], 1, "whole number from 1"),
        ([{"place": True, "amount": 1}], 1, "whole number from 1"),
        ([{"place": 1, "amount": -5}], -5, "whole number of paise"),
        ([{"place": 1, "amount": 1}, {"place": 1, "amount": 1}], 2, "appears once"),
        ([{"place": 1, "amount": 90}], 100, "sums to 90 paise but the prize pool is 100"),
    ],
)
def test_prize_split_refusals(split: object, pool: int, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_prize_split(split, pool)
    assert message in caught.value.message
    assert list(caught.value.details) == ["prize_split"]
