"""The waitlist under real concurrency (PostgreSQL, real threads, real row locks): a freed seat
is given once, to the head of the line, however many writers apply the clock at once."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import Registration, Tournament
from core.services import registrations as svc
from core.services.schedule import tournament_schedule_sweep
from core.services.tournament_state import lock_and_sync_tournament
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.concurrency import run_at_once
from tests.support.tournaments import roster_ids

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
R = Registration.Status


def _register(t: Tournament) -> Registration:
    team = team_with_roster()
    return svc.registration_create(
        actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
    )


def _sync(tournament_id: int) -> str:
    with transaction.atomic():
        lock_and_sync_tournament(tournament_id=tournament_id, now=timezone.now())
    return "ok"


@pytest.mark.parametrize("entry_fee", [0, 5000])
def test_thirty_concurrent_promotions_for_one_seat_have_one_winner(entry_fee: int) -> None:
    t = TournamentFactory(max_teams=2, entry_fee=5000)
    _register(t)
    seated = _register(t)
    queue = [_register(t) for _ in range(30)]
    Tournament.objects.filter(pk=t.pk).update(entry_fee=entry_fee)
    # The seat's payment hold lapses: nothing has applied the clock yet.
    Registration.objects.filter(pk=seated.pk).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )
    calls: list[Callable[[], object]] = [lambda: _sync(t.pk) for _ in range(15)]
    calls += [tournament_schedule_sweep for _ in range(15)]
    outcome = run_at_once(calls)
    assert all(not isinstance(o, str) or o == "ok" for o in outcome), outcome
    holding = list(
        Registration.objects.filter(tournament=t, status__in=Registration.SEAT_HOLDING).exclude(
            pk__lt=seated.pk
        )
    )
    assert [r.pk for r in holding] == [queue[0].pk]
    assert (
        Registration.objects.filter(tournament=t, status__in=Registration.SEAT_HOLDING).count() == 2
    )
    expected = R.CONFIRMED if entry_fee == 0 else R.PENDING_PAYMENT
    assert holding[0].status == expected
    assert Registration.objects.filter(tournament=t, status=R.WAITLISTED).count() == 29
