"""core/services/locks.py: each lock returns its row inside the caller's transaction (with the
relations its callers read), raises NotFound for a missing row, and refuses to run outside a
transaction."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import NotFound
from core.models import HostProfile, PlayerStats, TeamInvite, TeamJoinRequest
from core.services import locks
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)
from tests.support.rooms import live_room
from tests.support.tournaments import confirm

pytestmark = pytest.mark.django_db
MISSING = 999_999


@pytest.mark.parametrize(
    ("lock", "message"),
    [
        (lambda: locks.lock_user(MISSING), "No such user."),
        (lambda: locks.lock_team(MISSING), "Team not found."),
        (lambda: locks.lock_host_profile(MISSING), "No host verification for this user."),
        (lambda: locks.lock_tournament(MISSING), "No such tournament."),
        (lambda: locks.lock_round(MISSING), "No such round."),
        (lambda: locks.lock_match(MISSING), "No such match."),
        (lambda: locks.lock_join_request(MISSING), "Join request not found."),
        (lambda: locks.lock_invite(MISSING), "Invite not found."),
    ],
)
def test_a_missing_row_is_not_found(lock: Callable[[], Any], message: str) -> None:
    with pytest.raises(NotFound) as caught, transaction.atomic():
        lock()
    assert caught.value.message == message


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_a_programming_error() -> None:
    user = UserFactory()
    with pytest.raises(RuntimeError, match="caller's transaction"):
        locks.lock_user(user.pk)
    with transaction.atomic():
        assert locks.lock_user(user.pk) == user


def test_an_inactive_user_and_a_disbanded_team_are_not_found_when_asked() -> None:
    user = UserFactory(is_active=False)
    team = team_with_roster(size=1)
    team.disbanded_at = timezone.now()
    team.save()
    with transaction.atomic():
        assert locks.lock_user(user.pk) == user
        with pytest.raises(NotFound):
            locks.lock_user(user.pk, only_active=True)
        with pytest.raises(NotFound):
            locks.lock_team(team.pk)


def test_the_tournament_comes_with_its_game_and_host(django_assert_num_queries: Any) -> None:
    t = TournamentFactory()
    with transaction.atomic(), django_assert_num_queries(1):
        locked = locks.lock_tournament(t.pk)
        assert (locked.game.slug, locked.host.username) == ("bgmi", t.host.username)


def test_a_registration_is_found_in_its_own_tournament_only() -> None:
    t, other = TournamentFactory(), TournamentFactory()
    registration = confirm(t, team_with_roster(size=1))
    with transaction.atomic():
        assert locks.lock_registration(t, registration.pk) == registration
        with pytest.raises(NotFound, match="in this tournament"):
            locks.lock_registration(other, registration.pk)


def test_several_rows_come_in_id_order() -> None:
    teams = [team_with_roster(size=1) for _ in range(3)]
    users = [captain_of(t) for t in teams]
    PlayerStats.objects.bulk_create(PlayerStats(user=u, game=game()) for u in reversed(users))
    with transaction.atomic():
        assert locks.lock_teams({t.pk for t in reversed(teams)}) == teams
        stats = locks.lock_player_stats(game_id=game().pk, user_ids=[u.pk for u in users])
        assert [s.pk for s in stats] == sorted(s.pk for s in stats)
        assert {s.user_id for s in stats} == {u.pk for u in users}


def test_host_profiles_are_locked_or_created() -> None:
    host, player = HostFactory(), UserFactory()
    with transaction.atomic():
        assert locks.lock_host_profile(host.pk).user == host
        created = locks.lock_or_create_host_profile(player)
        assert created.pk and locks.lock_or_create_host_profile(player) == created
    assert HostProfile.objects.filter(user=player).count() == 1


def test_join_requests_and_invites_are_locked() -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    request = TeamJoinRequest.objects.create(team=team, user=player)
    invite = TeamInvite.objects.create(team=team, invited_user=player, invited_by=captain_of(team))
    with transaction.atomic():
        assert locks.lock_join_request(request.pk) == request
        assert locks.lock_invite(invite.pk) == invite


def test_a_round_and_a_match_with_its_tournament(django_assert_num_queries: Any) -> None:
    room = live_room(teams=2)
    match = room.matches[0]
    with transaction.atomic():
        assert locks.lock_round(room.group.round_id).pk == room.group.round_id
        with django_assert_num_queries(1):
            locked = locks.lock_match(match.pk)
            assert locked.tournament.title == room.tournament.title
