"""Seats and the waitlist (docs/api.md "Waitlist"): counting seats, freeing them, and giving a
freed seat to the head of the waitlist. Everything here runs under the tournament's row lock
(core/services/tournament_state.py takes it), so seats are never oversold: the count and the
promotion are one decision per lock holder.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from core.events import event_append
from core.models import Registration, RegistrationPlayer, Tournament
from core.rules.tournaments import SCHEDULED_STATUSES

from .notifications import notifications_send
from .notify import registration_people

RStatus = Registration.Status


def seats_taken(*, tournament: Tournament) -> int:
    """Seat-holding registrations (caller holds the lock and has expired lapsed holds)."""
    return Registration.objects.filter(
        tournament=tournament, status__in=Registration.SEAT_HOLDING
    ).count()


def registrations_deactivate(*, registration_ids: list[int], status: str, reason: str = "") -> None:
    """Move registrations out of the active statuses and free their players' rosters."""
    fields: dict = {"status": status}
    if reason:
        fields["reason"] = reason
    # update() skips auto_now; set it so "last changed" stays true.
    Registration.objects.filter(pk__in=registration_ids).update(updated_at=timezone.now(), **fields)
    RegistrationPlayer.objects.filter(registration_id__in=registration_ids).update(active=False)


def registration_status_data(registration: Registration) -> dict:
    return {
        "registration": registration.pk,
        "team": registration.team_id,
        "status": registration.status,
        "checked_in": registration.checked_in_at is not None,
    }


def registration_status_event(registration: Registration) -> None:
    """`registration.status` in the room (docs/protocol.md): check-ins, no-shows, promotions."""
    event_append(
        tournament=registration.tournament_id,
        name="registration.status",
        data=registration_status_data(registration),
    )


def waitlist_promote(*, tournament: Tournament, now: datetime) -> list[Registration]:
    """Give every free seat to the head of the waitlist, in order (caller holds the lock, after
    lapsed holds expired). Free entry: confirmed at once; paid: a payment hold for that team.
    Only before the tournament goes live (once live, the groups are drawn)."""
    if tournament.status not in SCHEDULED_STATUSES:
        return []
    free = tournament.max_teams - seats_taken(tournament=tournament)
    if free <= 0:
        return []
    heads = list(
        Registration.objects.filter(
            tournament=tournament, status=RStatus.WAITLISTED, team__disbanded_at__isnull=True
        )
        .select_related("team", "registered_by")
        .order_by("waitlisted_at", "id")[:free]
    )
    for registration in heads:
        _promote(tournament, registration, now)
    return heads


def _promote(tournament: Tournament, registration: Registration, now: datetime) -> None:
    paid = tournament.entry_fee > 0
    registration.status = RStatus.PENDING_PAYMENT if paid else RStatus.CONFIRMED
    registration.hold_expires_at = (
        now + timedelta(minutes=settings.REGISTRATION_HOLD_MINUTES) if paid else None
    )
    registration.save(update_fields=["status", "hold_expires_at", "updated_at"])
    team = registration.team
    context = {
        "team": team.name,
        "username": registration.registered_by.username,
        "tournament": tournament.title,
        "tournament_id": tournament.pk,
        "starts_at": tournament.starts_at.isoformat(),
    }
    hold = registration.hold_expires_at.isoformat() if paid else ""
    notifications_send(
        # Paid: the captain, who pays to keep the seat; free: the whole team is in.
        users=[registration.registered_by] if paid else registration_people(registration),
        kind="registration.promoted",
        title=(
            f"A seat for {team.name} in {tournament.title}"
            if paid
            else f"{team.name} is in {tournament.title}"
        ),
        body=(
            f"Pay the entry fee by {hold} (UTC) to keep it."
            if paid
            else "A seat opened and your team was next on the waitlist: it is confirmed."
        ),
        data={"tournament": tournament.pk, "registration": registration.pk},
        email_template="waitlist_promoted" if paid else "registration_confirmed",
        email_context={**context, "hold_expires_at": hold},
    )
    registration_status_event(registration)
