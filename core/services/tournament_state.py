"""A tournament's state under its row lock: what every action does before deciding anything,
and the writes that keep the status and the seats true.

Every write on a tournament or its registrations starts with `lock_and_sync_tournament`: it takes
the row lock (serialising seat counting), then applies the schedule (the periodic task may be late,
so the clock decides, not the stored status), expires lapsed payment holds, closes a due check-in
(no-shows) and gives freed seats to the waitlist (seats.py). Only then are seats counted, so a seat
freed by an expired hold is seen and a closed window is never let through.
"""

from datetime import datetime

from core.events import event_append
from core.models import Registration, Tournament
from core.rules.tournaments import SCHEDULED_STATUSES, effective_status

from .locks import lock_tournament
from .seats import (
    registration_status_event,
    registrations_deactivate,
    seats_taken,
    waitlist_promote,
)
from .webhook_deliveries import webhooks_registration_emit

__all__ = [
    "checkin_close_if_due",
    "holds_expire",
    "lock_and_sync_tournament",
    "registrations_deactivate",
    "seats_taken",
    "tournament_set_status",
    "tournament_sync",
]


def lock_and_sync_tournament(*, tournament_id: int, now: datetime) -> Tournament:
    """Lock the row (inside the caller's transaction) and bring it up to date with the clock."""
    tournament = lock_tournament(tournament_id)
    tournament_sync(tournament, now=now)
    return tournament


def tournament_sync(tournament: Tournament, *, now: datetime) -> None:
    """Apply the clock to a locked tournament: its schedule-derived status, its lapsed holds, a
    due check-in close; then freed seats go to the waitlist."""
    status = effective_status(tournament, now)
    if status != tournament.status:
        tournament_set_status(tournament, status)
    holds_expire(tournament=tournament, now=now)
    checkin_close_if_due(tournament=tournament, now=now)
    waitlist_promote(tournament=tournament, now=now)


def checkin_close_if_due(*, tournament: Tournament, now: datetime) -> int:
    """At the check-in close (caller holds the lock): confirmed teams that did not check in are
    no-shows, each announced; applied once. Returns how many."""
    closes_at = tournament.checkin_closes_at
    if closes_at is None or now < closes_at or tournament.checkin_closed_at is not None:
        return 0
    if tournament.status not in SCHEDULED_STATUSES:
        return 0
    absent = list(
        Registration.objects.filter(
            tournament=tournament, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
        ).order_by("pk")
    )
    registrations_deactivate(
        registration_ids=[r.pk for r in absent],
        status=Registration.Status.NO_SHOW,
        reason="Did not check in.",
    )
    for registration in absent:
        registration.status = Registration.Status.NO_SHOW
        registration_status_event(registration)
    tournament.checkin_closed_at = now
    tournament.save(update_fields=["checkin_closed_at", "updated_at"])
    return len(absent)


# The statuses a spectator sees change (docs/protocol.md `tournament.status`); draft and published
# are not announced — the room of a draft does not exist yet.
ANNOUNCED_STATUSES = frozenset(
    {
        Tournament.Status.REGISTRATION_OPEN,
        Tournament.Status.REGISTRATION_CLOSED,
        Tournament.Status.LIVE,
        Tournament.Status.COMPLETED,
        Tournament.Status.CANCELLED,
    }
)


def tournament_set_status(
    tournament: Tournament, status: str, *, also: tuple[str, ...] = ()
) -> None:
    """Store a new status (caller holds the row lock) and log its `tournament.status` event in
    the same transaction, so the room hears of every change exactly once."""
    tournament.status = status
    tournament.save(update_fields=["status", "updated_at", *also])
    if status in ANNOUNCED_STATUSES:
        event_append(tournament=tournament.pk, name="tournament.status", data={"status": status})


def holds_expire(*, tournament: Tournament, now: datetime) -> int:
    """Expire lapsed payment holds (caller holds the tournament lock). Returns how many."""
    lapsed = list(
        Registration.objects.filter(
            tournament=tournament,
            status=Registration.Status.PENDING_PAYMENT,
            hold_expires_at__lte=now,
        ).values_list("pk", flat=True)
    )
    if not lapsed:
        return 0
    registrations_deactivate(registration_ids=lapsed, status=Registration.Status.EXPIRED)
    # Each expiry is a registration change like the others: its webhook event, in this
    # transaction (so a rollback sends nothing).
    for registration in (
        Registration.objects.filter(pk__in=lapsed).select_related("team").order_by("pk")
    ):
        webhooks_registration_emit(registration, tournament)
    return len(lapsed)
