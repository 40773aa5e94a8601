"""Seats and rosters under real concurrency (PostgreSQL, real threads, real row locks).

Each thread makes its own API call through the full stack and closes its own connection.
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

from core.models import Registration, RegistrationPlayer, TeamMembership
from tests.core.tourney_helpers import fast_passwords, register_body  # noqa: F401 (fixture)
from tests.factories import TournamentFactory, captain_of, team_with_roster

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_passwords"),
]


def _race(calls: list[Callable[[], int]]) -> Counter:
    """Run every call at the same moment on its own thread; count the HTTP statuses."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    lock = threading.Lock()

    def run(call: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            outcome: object = call()
        except Exception as exc:  # a crash is a result the assertions must see
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert len(results) == len(calls), "a thread did not finish"
    return Counter(results)


def _register_call(tournament_id: int, team) -> Callable[[], int]:  # type: ignore[no-untyped-def]
    captain, body = captain_of(team), register_body(team)

    def call() -> int:
        client = APIClient()
        client.force_authenticate(captain)
        return client.post(
            f"/api/tournaments/{tournament_id}/register/", body, format="json"
        ).status_code

    return call


def test_fifty_teams_race_for_the_last_seat() -> None:
    t = TournamentFactory(max_teams=2)
    first = team_with_roster()
    assert _race([_register_call(t.pk, first)]) == Counter({201: 1})
    teams = [team_with_roster() for _ in range(50)]
    outcome = _race([_register_call(t.pk, team) for team in teams])
    assert outcome == Counter({201: 1, 409: 49}), outcome
    seated = Registration.objects.filter(tournament=t, status__in=Registration.SEAT_HOLDING)
    assert seated.count() == 2


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
        b_captain = captain_of(b)

        def register_b(body=b_body, captain=b_captain, tid=t.pk) -> int:  # type: ignore[no-untyped-def]
            client = APIClient()
            client.force_authenticate(captain)
            return client.post(f"/api/tournaments/{tid}/register/", body, format="json").status_code

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
