from django.db import transaction

from core.errors import ValidationError
from core.events import event_append, format_at
from core.models import Announcement, Tournament, User

from .competition import lock_tournament, require_host, require_open

MAX_MESSAGE = 500


def announcement_create(*, actor: User, tournament: Tournament, message: str) -> Announcement:
    """An announcement is stored and broadcast as an `announcement` event, in one transaction."""
    message = (message or "").strip()
    if not message or len(message) > MAX_MESSAGE:
        raise ValidationError(
            f"An announcement is 1..{MAX_MESSAGE} characters.",
            details={"message": [f"1..{MAX_MESSAGE} characters."]},
        )
    with transaction.atomic():
        t = lock_tournament(tournament.pk)
        require_host(actor, t)
        require_open(t)
        announcement = Announcement.objects.create(tournament=t, message=message, created_by=actor)
        event_append(
            tournament=t.pk,
            name="announcement",
            data={
                "id": announcement.pk,
                "message": announcement.message,
                "at": format_at(announcement.created_at),
            },
        )
        return announcement
