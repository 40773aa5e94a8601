"""Check-in (docs/api.md "Check-in"): in the tournament's check-in window the captain of a
confirmed team checks it in (or undoes it). At the window's close the clock, re-checked under the
row lock (tournament_state.checkin_close_if_due), makes the rest no-shows."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict
from core.models import Registration, Team, Tournament, User
from core.rules.tournaments import SCHEDULED_STATUSES

from .registrations import captain_registration
from .seats import registration_status_event
from .tournament_state import lock_and_sync_tournament


class CheckInClosed(Conflict):
    code = "checkin_closed"


def _check_window(t: Tournament, now: datetime) -> None:
    if t.checkin_opens_at is None or t.checkin_closes_at is None:
        raise CheckInClosed(f"{t.title} has no check-in.")
    if t.status not in SCHEDULED_STATUSES or t.checkin_closed_at is not None:
        raise CheckInClosed("Check-in is closed.", details={"closes_at": t.checkin_closes_at})
    if now < t.checkin_opens_at:
        raise CheckInClosed(
            f"Check-in opens at {t.checkin_opens_at.isoformat()}.",
            details={"opens_at": t.checkin_opens_at},
        )


def registration_check_in(
    *, actor: User, tournament: Tournament, team: Team | None = None, undo: bool = False
) -> Registration:
    """Check the captain's confirmed team in (or, with `undo`, out) while the window is open.
    Repeating it changes nothing; a change is announced in the room (`registration.status`)."""
    now = timezone.now()
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=now)
        _check_window(t, now)
        registration = captain_registration(
            t, actor, team, statuses=(Registration.Status.CONFIRMED,)
        )
        was_in = registration.checked_in_at is not None
        if was_in == (not undo):
            return registration
        registration.checked_in_at = None if undo else now
        registration.save(update_fields=["checked_in_at", "updated_at"])
        registration_status_event(registration)
        return registration
