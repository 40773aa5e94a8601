"""What a user chose about notifications (docs/notifications.md): email per kind, and the
windows that group quiet kinds' emails."""

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    """Email on/off for one kind; no row means the kind's default (in-app is always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    email = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}={'on' if self.email else 'off'}"


class NotificationEmailWindow(models.Model):
    """One row per (user, group, 10-minute window) that already had its email: inserting it is
    how a quiet kind claims the window, so concurrent result updates email once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "results:t42:2961234" (tournament, window number)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_email_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
