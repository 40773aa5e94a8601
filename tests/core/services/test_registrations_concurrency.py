"""core/services/registrations.py under real concurrency (PostgreSQL, real threads, real row
locks): seats and rosters.

Each thread makes its own API call through the full stack and closes its own connection.
"""

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from core.models import Registration, RegistrationPlayer, Team, TeamMembership, User
from core.selectors.tournaments import registration_list
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.api import client_as
from tests.support.concurrency import run_at_once
from tests.support.tournaments import register_body

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(calls: list[Callable[[], int]]) -> Counter[object]:
    """Run every call at the same moment on its own thread; count the HTTP statuses."""
    return Counter(run_at_once(calls))


def _post_register(captain: User, tournament_id: int, body: dict[str, Any]) -> Callable[[], int]:
    def call() -> int:
        path = f"/api/tournaments/{tournament_id}/register/"
        return client_as(captain).post(path, body, format="json").status_code

    return call


def _register_call(tournament_id: int, team: Team) -> Callable[[], int]:
    return _post_register(captain_of(team), tournament_id, register_body(team))


def test_fifty_teams_race_for_the_last_seat() -> None:
    """One takes the seat; the other 49 queue on the waitlist, each at its own position."""
    t = TournamentFactory(max_teams=2)
    first = team_with_roster()
    assert _race([_register_call(t.pk, first)]) == Counter({201: 1})
    teams = [team_with_roster() for _ in range(50)]
    outcome = _race([_register_call(t.pk, team) for team in teams])
    assert outcome == Counter({201: 50}), outcome
    seated = Registration.objects.filter(tournament=t, status__in=Registration.SEAT_HOLDING)
    assert seated.count() == 2
    queue = registration_list(viewer=t.host, tournament=t).filter(
        status=Registration.Status.WAITLISTED
    )
    assert sorted(r.waitlist_ahead + 1 for r in queue) == list(range(1, 50))


def test_one_team_registering_twenty_times_at_once() -> None:
    t = TournamentFactory()
    team = team_with_roster()
    outcome = _race([_register_call(t.pk, team) for _ in range(20)])
    assert outcome == Counter({201: 1, 409: 19}), outcome
    assert Registration.objects.filter(tournament=t, team=team).count() == 1
    assert RegistrationPlayer.objects.filter(tournament=t, active=True).count() == 4


def test_a_player_on_two_racing_rosters_is_registered_once() -> None:
    for _ in range(3):  # a few rounds: each is a fresh race
        t = TournamentFactory()
        a, b = team_with_roster(), team_with_roster()
        shared = captain_of(a)
        TeamMembership.objects.create(team=b, user=shared)
        b_body = {"team": b.pk, "players": [*register_body(b)["players"][:3], shared.pk]}
        register_b = _post_register(captain_of(b), t.pk, b_body)
        outcome = _race([_register_call(t.pk, a), register_b])
        assert outcome == Counter({201: 1, 409: 1}), outcome
        assert (
            RegistrationPlayer.objects.filter(tournament=t, user=shared, active=True).count() == 1
        )


def test_the_roster_rule_is_a_database_constraint() -> None:
    t = TournamentFactory()
    a = team_with_roster()
    _race([_register_call(t.pk, a)])
    player = RegistrationPlayer.objects.get(tournament=t, user=captain_of(a))
    b = team_with_roster()
    other = Registration.objects.create(
        tournament=t, team=b, registered_by=captain_of(b), status=Registration.Status.CONFIRMED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationPlayer.objects.create(
            registration=other,
            tournament=t,
            user=player.user,
            in_game_name="dup",
            in_game_id="1",
        )
