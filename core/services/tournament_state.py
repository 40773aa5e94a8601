"""A tournament's state under its row lock: what every action does before deciding anything,
and the writes that keep the status and the seats true.

Every write on a tournament or its registrations starts with `lock_and_sync_tournament`: it takes
the row lock (serialising seat counting), then applies the schedule (the periodic task may be late,
so the clock decides, not the stored status) and expires lapsed payment holds. Only then are seats
counted, so a seat freed by an expired hold is seen and a closed window is never let through.
"""

from datetime import datetime

from django.utils import timezone

from core.events import event_append
from core.models import Registration, RegistrationPlayer, Tournament
from core.rules.tournaments import effective_status

from .locks import lock_tournament


def lock_and_sync_tournament(*, tournament_id: int, now: datetime) -> Tournament:
    """Lock the row (inside the caller's transaction) and bring it up to date with the clock."""
    tournament = lock_tournament(tournament_id)
    tournament_sync(tournament, now=now)
    return tournament


def tournament_sync(tournament: Tournament, *, now: datetime) -> None:
    """Apply the clock to a locked tournament: its schedule-derived status, its lapsed holds."""
    status = effective_status(tournament, now)
    if status != tournament.status:
        tournament_set_status(tournament, status)
    holds_expire(tournament=tournament, now=now)


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
    return len(lapsed)


def registrations_deactivate(*, registration_ids: list[int], status: str, reason: str = "") -> None:
    """Move registrations out of the seat-holding statuses and free their players' rosters."""
    fields: dict = {"status": status}
    if reason:
        fields["reason"] = reason
    # update() skips auto_now; set it so "last changed" stays true.
    Registration.objects.filter(pk__in=registration_ids).update(updated_at=timezone.now(), **fields)
    RegistrationPlayer.objects.filter(registration_id__in=registration_ids).update(active=False)


def seats_taken(*, tournament: Tournament) -> int:
    """Seat-holding registrations (caller holds the lock and has expired lapsed holds)."""
    return Registration.objects.filter(
        tournament=tournament, status__in=Registration.SEAT_HOLDING
    ).count()
