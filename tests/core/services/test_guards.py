"""core/services/guards.py: a host write opens with these: the host (or staff) only, never on a
closed tournament, a round of this tournament only and not a completed one, a match locked
with its round."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from core.errors import Conflict, NotFound, PermissionDenied
from core.models import Round, Tournament
from core.services.guards import (
    RoundStateConflict,
    host_match,
    host_round,
    host_tournament,
    require_host,
    require_open,
)
from tests.factories import HostFactory, TournamentFactory, UserFactory
from tests.support.rooms import live_room

pytestmark = pytest.mark.django_db


def test_only_the_host_or_staff_passes() -> None:
    t = TournamentFactory()
    require_host(t.host, t)
    require_host(UserFactory(is_staff=True), t)
    with pytest.raises(PermissionDenied, match="Sign in"):
        require_host(AnonymousUser(), t)
    for stranger in (UserFactory(), HostFactory()):
        with pytest.raises(PermissionDenied, match="Only the tournament's host"):
            require_host(stranger, t)


@pytest.mark.parametrize("status", [Tournament.Status.COMPLETED, Tournament.Status.CANCELLED])
def test_a_closed_tournament_is_refused(status: str) -> None:
    t = TournamentFactory(status=status)
    with pytest.raises(Conflict, match=f"The tournament is {status}"):
        require_open(t)
    with pytest.raises(Conflict), transaction.atomic():
        host_tournament(t.host, t.pk)


def test_host_tournament_locks_an_open_tournament_for_its_host() -> None:
    t = TournamentFactory(status=Tournament.Status.LIVE)
    with transaction.atomic():
        assert host_tournament(t.host, t.pk) == t
        with pytest.raises(PermissionDenied):
            host_tournament(HostFactory(), t.pk)
        with pytest.raises(NotFound):
            host_tournament(t.host, t.pk + 1000)


def test_a_round_of_another_tournament_is_not_found() -> None:
    room, other = live_room(teams=2), live_room(teams=2, prefix="Other")
    with transaction.atomic():
        assert host_round(room.tournament, room.group.round_id).pk == room.group.round_id
        with pytest.raises(NotFound, match="No such round in this tournament"):
            host_round(room.tournament, other.group.round_id)


def test_a_completed_round_is_refused_unless_the_write_allows_it() -> None:
    room = live_room(teams=2)
    Round.objects.filter(pk=room.group.round_id).update(status=Round.Status.COMPLETED)
    with transaction.atomic():
        with pytest.raises(RoundStateConflict, match=r"^The round is completed\.$") as caught:
            host_round(room.tournament, room.group.round_id)
        assert caught.value.code == "round_state"
        with pytest.raises(RoundStateConflict, match="Already done"):
            host_round(room.tournament, room.group.round_id, completed="Already done")
        assert host_round(room.tournament, room.group.round_id, completed=None)


def test_host_match_locks_the_match_with_its_round_and_tournament() -> None:
    room = live_room(teams=2)
    match = room.matches[0]
    with transaction.atomic():
        locked = host_match(room.host, match.pk)
        assert (locked.match, locked.round.pk, locked.tournament) == (
            match,
            room.group.round_id,
            room.tournament,
        )
        assert host_match(room.host, match.pk, tournament_id=room.tournament.pk).match == match
        with pytest.raises(PermissionDenied):
            host_match(UserFactory(), match.pk)


def test_a_missing_match_or_one_of_another_tournament_is_not_found() -> None:
    room, other = live_room(teams=2), live_room(teams=2, prefix="Other")
    with transaction.atomic():
        with pytest.raises(NotFound, match=r"^No such match\.$"):
            host_match(room.host, 999_999)
        with pytest.raises(NotFound, match="No such match in this tournament"):
            host_match(other.host, room.matches[0].pk, tournament_id=other.tournament.pk)
