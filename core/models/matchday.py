"""Match day records: result disputes and the audit trail of every result change."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class MatchDispute(models.Model):
    """A captain's challenge of a match's final result, decided by the host."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    match = models.ForeignKey("core.Match", on_delete=models.CASCADE, related_name="disputes")
    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("core.Round", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    # [{"kind": "text" | "link", "value": "..."}]
    evidence = models.JSONField(default=list, blank=True)
    # The result version the dispute is about.
    result_version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "team"],
                condition=Q(status="open"),
                name="one_open_dispute_per_team_and_match",
            ),
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk} of match {self.match_id} ({self.status})"


class ResultChange(models.Model):
    """One accepted result submit: who, when, from which face, the result before and after."""

    class Face(models.TextChoices):
        REST = "rest", "REST"
        WEBSOCKET = "websocket", "Websocket"
        ADMIN = "admin", "Admin"

    match = models.ForeignKey("core.Match", on_delete=models.CASCADE, related_name="changes")
    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    face = models.CharField(max_length=10, choices=Face.choices)
    final = models.BooleanField()
    # Result lines as the events carry them (placement order); [] before the first result.
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)
    # A correction made after the round was completed (staff only).
    after_round_completed = models.BooleanField(default=False)
    dispute = models.ForeignKey(
        MatchDispute, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["match", "version"], name="one_change_per_version"),
        ]

    def __str__(self) -> str:
        return f"match {self.match_id} v{self.version} by {self.actor_id} ({self.face})"
