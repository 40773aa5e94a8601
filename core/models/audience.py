"""A tournament's live audience as the room hubs report it: the peak of spectators at once (kept)
and, in the cache, how many watch now (core/services/audience.py)."""

from django.db import models


class TournamentAudience(models.Model):
    tournament = models.OneToOneField(
        "core.Tournament", on_delete=models.CASCADE, primary_key=True, related_name="audience"
    )
    peak = models.PositiveIntegerField(default=0)
    peak_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"audience of {self.tournament_id}: peak {self.peak}"


def audience_now_key(tournament_id: int) -> str:
    """The cache key of how many watch now (written by core/services/audience.py)."""
    return f"audience:now:{tournament_id}"
