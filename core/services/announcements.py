"""Announcements: stored and broadcast to the room as an `announcement` event."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from core.errors import ValidationError
from core.events import current_seq, event_append, format_at
from core.models import Announcement, User

from .guards import host_tournament
from .idempotency import fingerprint_of, idempotent_apply
from .notify import notify_announcement

MAX_MESSAGE = 500


@dataclass(frozen=True, slots=True)
class AnnouncementOutcome:
    """The announcement (None for a retry answered from its record: the first call made it) and
    the seq of its event."""

    announcement: Announcement | None
    seq: int
    duplicate: bool = False


def announcement_create(
    *, actor: User, tournament_id: int, message: str, request_id: str | None = None
) -> AnnouncementOutcome:
    """Store the announcement and append its event, in one transaction. Retried with the same
    `request_id`, it answers the first outcome without announcing twice."""
    message = (message or "").strip()
    if not message or len(message) > MAX_MESSAGE:
        raise ValidationError(
            f"An announcement is 1..{MAX_MESSAGE} characters.",
            details={"message": [f"1..{MAX_MESSAGE} characters."]},
        )
    created: list[Announcement] = []

    def apply() -> dict[str, Any]:
        announcement = Announcement.objects.create(
            tournament=tournament, message=message, created_by=actor
        )
        event_append(
            tournament=tournament.pk,
            name="announcement",
            data={
                "id": announcement.pk,
                "message": announcement.message,
                "at": format_at(announcement.created_at),
            },
        )
        created.append(announcement)
        notify_announcement(tournament, announcement.message)
        return {"id": announcement.pk, "seq": current_seq(tournament.pk)}

    with transaction.atomic():
        tournament = host_tournament(actor, tournament_id)
        outcome, duplicate = idempotent_apply(
            actor=actor,
            key=request_id,
            fingerprint=fingerprint_of("announce", tournament_id, message),
            apply=apply,
        )
    first = created[0] if created else Announcement.objects.filter(pk=outcome.get("id")).first()
    return AnnouncementOutcome(first, outcome["seq"], duplicate)
