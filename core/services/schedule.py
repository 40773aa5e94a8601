"""The periodic schedule sweep (core/tasks.py runs it every minute): registration windows open
and close, lapsed payment holds expire, check-in windows close (no-shows), and freed seats go to
the waitlist. Every step re-checks the clock under the tournament's row lock, as host actions
do (tournament_state.py), so a late or doubled run is harmless."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.errors import NotFound
from core.models import Registration, Tournament
from core.rules.tournaments import SCHEDULED_STATUSES, effective_status

from .autofinish import rounds_auto_complete
from .locks import lock_tournament
from .tournament_state import holds_expire, tournament_set_status, tournament_sync

Status = Tournament.Status


def tournament_schedule_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic task: move scheduled tournaments along the clock and expire lapsed holds.

    Conditional UPDATEs, so it is safe to run late, twice, or alongside host actions (which
    apply the same clock themselves under the row lock)."""
    now = now or timezone.now()
    counts = dict.fromkeys(
        ["published", "opened", "closed", "holds_expired", "checkins_closed", "rounds_completed"],
        0,
    )
    counted = {
        Status.PUBLISHED: "published",
        Status.REGISTRATION_OPEN: "opened",
        Status.REGISTRATION_CLOSED: "closed",
    }
    # One row at a time under its lock (not a bulk UPDATE): each move logs its
    # `tournament.status` event in the same transaction, and a host action racing the sweep
    # sees either the old status or the new one with its event, never a silent change.
    for candidate in Tournament.objects.filter(status__in=SCHEDULED_STATUSES).only(
        "pk", "status", "registration_opens_at", "registration_closes_at"
    ):
        target = effective_status(candidate, now)
        if target == candidate.status:
            continue
        with transaction.atomic():
            try:
                locked = lock_tournament(candidate.pk)
            except NotFound:  # deleted meanwhile
                continue
            if locked.status not in SCHEDULED_STATUSES:
                continue
            target = effective_status(locked, now)
            if target != locked.status:
                tournament_set_status(locked, target)
                counts[counted[target]] += 1
    counts["holds_expired"] = _sweep_lapsed_holds(now)
    counts["checkins_closed"] = _sweep_checkins(now)
    counts["rounds_completed"] = rounds_auto_complete(now=now)
    return counts


def _sweep_lapsed_holds(now: datetime) -> int:
    """Lapsed holds expire under their tournament's lock, and the waitlist takes the seats."""
    lapsed_in = (
        Registration.objects.filter(
            status=Registration.Status.PENDING_PAYMENT, hold_expires_at__lte=now
        )
        .values_list("tournament_id", flat=True)
        .distinct()
    )
    expired = 0
    for tournament_id in list(lapsed_in):
        with transaction.atomic():
            try:
                t = lock_tournament(tournament_id)
            except NotFound:
                continue
            expired += holds_expire(tournament=t, now=now)
            tournament_sync(t, now=now)
    return expired


def _sweep_checkins(now: datetime) -> int:
    """Check-in windows that closed: the clock is re-checked under the lock (tournament_sync),
    which marks the no-shows once and offers their seats to the waitlist."""
    due = Tournament.objects.filter(
        status__in=SCHEDULED_STATUSES,
        checkin_closes_at__lte=now,
        checkin_closed_at__isnull=True,
    ).values_list("pk", flat=True)
    closed = 0
    for tournament_id in list(due):
        with transaction.atomic():
            try:
                t = lock_tournament(tournament_id)
            except NotFound:
                continue
            was_open = t.checkin_closed_at is None
            tournament_sync(t, now=now)
            closed += was_open and t.checkin_closed_at is not None
    return closed
