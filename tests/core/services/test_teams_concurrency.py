"""core/services/teams.py under real concurrency (PostgreSQL, real threads): its row locks decide
the roster races."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from core.models import Team, TeamInvite, TeamJoinRequest, TeamMembership, User
from tests.factories import UserFactory, captain_of, team_with_roster
from tests.support.api import client_as

pytestmark = [
    pytest.mark.postgres,
    # The games catalog a flush removes is restored by tests/conftest.py before each test.
    pytest.mark.django_db(transaction=True),
]
TEAMS = "/api/accounts/teams/"


def race(calls: list[Callable[[], int]]) -> list[int]:
    """Start every call at the same moment; return their HTTP status codes."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = []
    lock = threading.Lock()

    def run(call: Callable[[], int]) -> None:
        try:
            barrier.wait()
            code = call()
            with lock:
                results.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def post_as(user: User, path: str, data: dict[str, str] | None = None) -> Callable[[], int]:
    def call() -> int:
        return client_as(user).post(path, data or {}).status_code

    return call


def test_two_teams_accepting_the_same_player_at_once_make_one_membership() -> None:
    teams = [team_with_roster(size=1) for _ in range(4)]
    player = UserFactory()
    requests = [TeamJoinRequest.objects.create(team=t, user=player) for t in teams]
    codes = race(
        [
            post_as(captain_of(t), f"{TEAMS}{t.pk}/join-requests/{r.pk}/accept/")
            for t, r in zip(teams, requests, strict=True)
        ]
    )
    assert codes == [200, 409, 409, 409]
    assert TeamMembership.objects.filter(user=player).count() == 1


def test_invites_racing_for_the_last_squad_seat() -> None:
    team = team_with_roster(size=3)  # BGMI squad of 4: one seat left
    players = [UserFactory() for _ in range(6)]
    invites = [
        TeamInvite.objects.create(team=team, invited_user=p, invited_by=captain_of(team))
        for p in players
    ]
    codes = race(
        [
            post_as(p, f"{TEAMS}invites/{i.pk}/accept/")
            for p, i in zip(players, invites, strict=True)
        ]
    )
    assert codes == [200] + [409] * 5
    assert team.memberships.exclude(role="substitute").count() == 4


def test_one_player_creating_teams_at_once_gets_one() -> None:
    player = UserFactory()
    codes = race(
        [
            post_as(player, TEAMS, {"name": f"Rush {n}", "tag": f"R{n}", "game": "bgmi"})
            for n in range(5)
        ]
    )
    assert codes == [201] + [409] * 4
    assert Team.objects.filter(memberships__user=player).count() == 1


def test_same_name_created_at_once_by_different_players() -> None:
    players = [UserFactory() for _ in range(5)]
    codes = race(
        [post_as(p, TEAMS, {"name": "Clash", "tag": "CL", "game": "bgmi"}) for p in players]
    )
    assert codes == [201] + [409] * 4
    assert Team.objects.filter(name__iexact="clash").count() == 1
