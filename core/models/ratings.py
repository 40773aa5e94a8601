"""Host ratings: a player of a completed tournament rates its host once; abuse reports go to
staff (the Django admin)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class HostRating(models.Model):
    tournament = models.ForeignKey(
        "core.Tournament", on_delete=models.CASCADE, related_name="host_ratings"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings_received"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings_given"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=1000, blank=True)
    # Hidden by staff after a report: no longer shown nor counted.
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tournament", "rater"], name="one_rating_per_player"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_1_to_5"),
            models.CheckConstraint(condition=~Q(host=models.F("rater")), name="rating_not_self"),
        ]
        indexes = [models.Index(fields=["host", "hidden"])]

    def __str__(self) -> str:
        return f"{self.score}★ {self.host_id} by {self.rater_id}"


class HostRatingReport(models.Model):
    rating = models.ForeignKey(HostRating, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resolved", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "reporter"], name="one_report_per_reporter"),
        ]

    def __str__(self) -> str:
        return f"report on {self.rating_id} by {self.reporter_id}"
