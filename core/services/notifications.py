"""In-app notifications: stored rows, an email through the Celery path, and a push to the
user's /ws/me/ sockets through the hook realtime fills (core/hooks.py)."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from core import hooks
from core.emailing import email_send_after_commit
from core.errors import NotFound
from core.models import Notification, User


def notifications_send(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    email_template: str | None = None,
    email_context: dict[str, Any] | None = None,
) -> list[Notification]:
    """Create one notification per user; emails and pushes go out after commit."""
    users = list(users)
    created = Notification.objects.bulk_create(
        Notification(user=u, kind=kind, title=title, body=body, data=data or {}) for u in users
    )
    for user, notification in zip(users, created, strict=True):
        if email_template and user.email:
            email_send_after_commit(
                template=email_template,
                to=user.email,
                context={"user_name": user.display_name or user.username, **(email_context or {})},
            )
        hooks.push_notification_after_commit(notification)
    return created


def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user=actor).first()
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        # Conditional: a concurrent read keeps the first timestamp.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
