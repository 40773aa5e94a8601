"""What the room hubs report of a tournament's audience (realtime/hub.py's presence loop): how
many watch now, in the cache for AUDIENCE_NOW_SECONDS (a room no process reports on is empty),
and the peak, which only rises (a conditional update, so processes reporting at once cannot
lower it). The host dashboard reads both (core/selectors/dashboards.py)."""

import logging

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import TournamentAudience
from core.models.audience import audience_now_key

log = logging.getLogger(__name__)
AUDIENCE_NOW_SECONDS = 30


def audience_record(*, tournament_id: int, spectators: int) -> None:
    cache.set(audience_now_key(tournament_id), spectators, AUDIENCE_NOW_SECONDS)
    now = timezone.now()
    raised = TournamentAudience.objects.filter(
        tournament_id=tournament_id, peak__lt=spectators
    ).update(peak=spectators, peak_at=now)
    if raised or TournamentAudience.objects.filter(tournament_id=tournament_id).exists():
        return
    try:
        with transaction.atomic():
            TournamentAudience.objects.create(
                tournament_id=tournament_id, peak=spectators, peak_at=now
            )
    except IntegrityError:  # another process made the row a moment ago: raise it if lower
        TournamentAudience.objects.filter(tournament_id=tournament_id, peak__lt=spectators).update(
            peak=spectators, peak_at=now
        )
