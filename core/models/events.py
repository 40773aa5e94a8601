"""The per-tournament event log (docs/protocol.md, "Guarantees") and what feeds it besides
results."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventSequence(models.Model):
    """The last seq handed out for a tournament; its row lock serializes writers, so seq has no
    gaps and no repeats (kept apart from Tournament so that model's writers never wait on it)."""

    tournament = models.OneToOneField(
        "core.Tournament", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.tournament_id}: {self.last_seq}"


class TournamentEvent(models.Model):
    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    name = models.CharField(max_length=40)
    # The event's data, encoded once as compact JSON: realtime wraps it in its frame as it is.
    data = models.TextField()
    # Not auto_now_add: the event's "at" is this very value.
    created_at = models.DateTimeField(default=timezone.now)
    # The webhook outbox: set in the change's own transaction for the events webhooks carry,
    # cleared once their deliveries exist; the retry sweep fans out what the broker never took.
    webhooks_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["tournament_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["tournament", "seq"], name="event_seq_unique"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(webhooks_pending=True),
                name="event_webhooks_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tournament_id}#{self.seq} {self.name}"


class Announcement(models.Model):
    tournament = models.ForeignKey(
        "core.Tournament", on_delete=models.CASCADE, related_name="announcements"
    )
    message = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Set by staff resolving a report with "hide": gone from public reads, kept for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message[:40]


class Notification(models.Model):
    """An in-app notification (also pushed on /ws/me/ once realtime registers a publisher)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set for what must reach a user once per object (reminders: "checkin.closing:t42"): the
    # partial unique constraint is what makes two beat runs send one, not a flag read first.
    dedupe_key = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_dedupe_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class IdempotencyRecord(models.Model):
    """The first outcome of a retried command (REST Idempotency-Key, websocket command id)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    # What the key was used for (e.g. "match_result:9" + payload hash): a key reused for another
    # request is a client bug, answered with a conflict instead of a wrong replay.
    fingerprint = models.CharField(max_length=80)
    outcome = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
