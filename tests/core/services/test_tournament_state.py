"""core/services/tournament_state.py: the status follows the clock under the row lock, holds
expire, seats are counted, and every status a spectator can see change is logged once as a
`tournament.status` event."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import NotFound
from core.models import Registration, Tournament
from core.services.registrations import registration_create
from core.services.schedule import tournament_schedule_sweep
from core.services.tournament_state import (
    ANNOUNCED_STATUSES,
    holds_expire,
    lock_and_sync_tournament,
    registrations_deactivate,
    seats_taken,
    tournament_set_status,
    tournament_sync,
)
from core.services.tournaments import tournament_cancel, tournament_start
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.events import logged
from tests.support.tournaments import confirm, roster_ids

S = Tournament.Status
R = Registration.Status


def statuses(t: Tournament) -> list[str]:
    return [e["data"]["status"] for e in logged(t) if e["name"] == "tournament.status"]


@pytest.mark.django_db
def test_schedule_start_and_cancel_are_announced_once_each() -> None:
    now = timezone.now()
    t = TournamentFactory(
        status=S.PUBLISHED,
        registration_opens_at=now - timedelta(minutes=1),
        registration_closes_at=now + timedelta(hours=1),
        starts_at=now + timedelta(hours=2),
    )
    tournament_schedule_sweep(now=now)
    tournament_schedule_sweep(now=now)  # nothing moves twice
    assert statuses(t) == [S.REGISTRATION_OPEN]
    for _ in range(2):
        team = team_with_roster()
        registration_create(
            actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)
        )
    # The window closes (moved into the past: the actions below read the real clock).
    Tournament.objects.filter(pk=t.pk).update(
        registration_closes_at=timezone.now() - timedelta(seconds=1)
    )
    tournament_schedule_sweep()
    assert statuses(t) == [S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED]
    tournament_start(actor=t.host, tournament=t)
    assert statuses(t) == [S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.LIVE]
    tournament_cancel(actor=t.host, tournament=t, reason="server outage")
    tournament_cancel(actor=t.host, tournament=t, reason="retried")
    assert statuses(t)[-1] == S.CANCELLED and statuses(t).count(S.CANCELLED) == 1
    seqs = [e["seq"] for e in logged(t)]
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.django_db
def test_a_refused_action_logs_nothing() -> None:
    t = TournamentFactory(status=S.REGISTRATION_OPEN)
    with pytest.raises(Exception, match="2 confirmed teams"):
        tournament_start(actor=t.host, tournament=t)
    assert statuses(t) == []


# --- the state under the row lock, called directly --------------------------------------------


def _registration(t: Tournament, status: str, hold: timedelta | None = None) -> Registration:
    team = team_with_roster(size=1)
    registration = confirm(t, team)
    hold_expires_at = timezone.now() + hold if hold is not None else None
    Registration.objects.filter(pk=registration.pk).update(
        status=status, hold_expires_at=hold_expires_at
    )
    registration.refresh_from_db()
    return registration


@pytest.mark.django_db(transaction=True)
def test_the_lock_needs_the_callers_transaction() -> None:
    t = TournamentFactory()
    with pytest.raises(RuntimeError, match="transaction"):
        lock_and_sync_tournament(tournament_id=t.pk, now=timezone.now())


@pytest.mark.django_db
def test_the_status_follows_the_clock_under_the_lock() -> None:
    now = timezone.now()
    t = TournamentFactory(
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(seconds=1),
    )
    with transaction.atomic():
        locked = lock_and_sync_tournament(tournament_id=t.pk, now=now)
    assert locked.status == S.REGISTRATION_CLOSED
    t.refresh_from_db()
    assert t.status == S.REGISTRATION_CLOSED
    assert statuses(t) == [S.REGISTRATION_CLOSED]
    with transaction.atomic():  # already in step: nothing more is logged
        lock_and_sync_tournament(tournament_id=t.pk, now=now)
    assert statuses(t) == [S.REGISTRATION_CLOSED]
    with pytest.raises(NotFound), transaction.atomic():
        lock_and_sync_tournament(tournament_id=t.pk + 1000, now=now)


@pytest.mark.django_db
def test_a_draft_or_live_tournament_ignores_the_window() -> None:
    now = timezone.now()
    for status in (S.DRAFT, S.LIVE):
        t = TournamentFactory(status=status, registration_closes_at=now - timedelta(seconds=1))
        with transaction.atomic():
            tournament_sync(t, now=now)
        t.refresh_from_db()
        assert t.status == status and statuses(t) == []


@pytest.mark.django_db
def test_only_spectator_visible_statuses_are_announced() -> None:
    t = TournamentFactory(status=S.DRAFT)
    with transaction.atomic():
        tournament_set_status(t, S.PUBLISHED, also=("published_at",))
    assert statuses(t) == []
    assert Tournament.objects.get(pk=t.pk).status == S.PUBLISHED
    with transaction.atomic():
        tournament_set_status(t, S.REGISTRATION_OPEN)
        tournament_set_status(t, S.LIVE)
    assert statuses(t) == [S.REGISTRATION_OPEN, S.LIVE]
    assert set(Tournament.Status.values) - {S.DRAFT, S.PUBLISHED} == ANNOUNCED_STATUSES


@pytest.mark.django_db
def test_lapsed_holds_expire_and_free_their_players() -> None:
    t = TournamentFactory(entry_fee=1000, max_teams=10)
    lapsed = _registration(t, R.PENDING_PAYMENT, hold=timedelta(seconds=-1))
    running = _registration(t, R.PENDING_PAYMENT, hold=timedelta(minutes=5))
    confirmed = _registration(t, R.CONFIRMED)
    with transaction.atomic():
        assert seats_taken(tournament=t) == 3
        assert holds_expire(tournament=t, now=timezone.now()) == 1
        assert seats_taken(tournament=t) == 2
        assert holds_expire(tournament=t, now=timezone.now()) == 0
    for registration in (lapsed, running, confirmed):
        registration.refresh_from_db()
    assert (lapsed.status, running.status, confirmed.status) == (
        R.EXPIRED,
        R.PENDING_PAYMENT,
        R.CONFIRMED,
    )
    assert not lapsed.players.filter(active=True).exists()
    assert running.players.filter(active=True).exists()


@pytest.mark.django_db
def test_seats_are_the_pending_and_confirmed_registrations() -> None:
    t = TournamentFactory(max_teams=10)
    for status in (R.CONFIRMED, R.PENDING_PAYMENT, R.WITHDRAWN, R.EXPIRED, R.REJECTED):
        _registration(t, status)
    _registration(TournamentFactory(), R.CONFIRMED)  # another tournament's seat
    assert seats_taken(tournament=t) == 2


@pytest.mark.django_db
def test_deactivating_registrations_records_the_reason_and_frees_the_rosters() -> None:
    t = TournamentFactory()
    first, second = _registration(t, R.CONFIRMED), _registration(t, R.CONFIRMED)
    registrations_deactivate(registration_ids=[first.pk], status=R.DISQUALIFIED, reason="Emulator")
    first.refresh_from_db()
    assert (first.status, first.reason) == (R.DISQUALIFIED, "Emulator")
    assert not first.players.filter(active=True).exists()
    assert second.players.filter(active=True).exists()
