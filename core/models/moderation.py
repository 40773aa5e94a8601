"""Moderation: reports anyone signed in files against public content, and the audit log of every
staff action (docs/api.md, "Moderation")."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class TargetKind(models.TextChoices):
    TOURNAMENT = "tournament", "Tournament"
    TEAM = "team", "Team"
    PROFILE = "profile", "Profile"
    ANNOUNCEMENT = "announcement", "Announcement"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        CHEATING = "cheating", "Cheating"
        SCAM = "scam", "Scam or fraud"
        INAPPROPRIATE = "inappropriate", "Inappropriate content"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    class Action(models.TextChoices):
        HIDE = "hide", "Hide"
        UNPUBLISH = "unpublish", "Unpublish"
        SUSPEND = "suspend", "Suspend user"
        DISMISS = "dismiss", "Dismiss"

    # Null once the reporter's account is deleted: the report and its outcome stay for staff.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reports_filed"
    )
    target_kind = models.CharField(max_length=16, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    action = models.CharField(max_length=10, choices=Action.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A second report of the same thing by the same person while the first is open is
            # the same report (the service answers it); concurrent ones meet here.
            models.UniqueConstraint(
                fields=["reporter", "target_kind", "target_id"],
                condition=Q(status="open"),
                name="one_open_report_per_reporter_target",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["target_kind", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"report {self.pk}: {self.target_kind} {self.target_id} ({self.status})"


class AuditLog(models.Model):
    """Append-only: rows are created by core.services.audit and never changed (the admin is
    read-only). The actor is kept when their account goes: it is the legal record."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(max_length=40)
    target_kind = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_kind", "target_id"]),
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["action", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_kind}:{self.target_id} by {self.actor_id}"
