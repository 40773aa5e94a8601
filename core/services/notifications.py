"""The one way a notification goes out (docs/notifications.md): a stored row per user (in-app,
always), a push to the user's /ws/me/ sockets through the hook realtime fills (core/hooks.py),
and an email through the Celery path when the kind and the user's preference allow it.
Everything but the row waits for commit, so a rolled-back transaction sends nothing."""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import hooks
from core.emailing import email_send_after_commit
from core.errors import NotFound
from core.models import Notification, NotificationEmailWindow, User

from .notification_kinds import GROUP_WINDOW, kind_get
from .notification_preferences import email_allowed, unsubscribe_link


def notifications_send(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    email_template: str | None = None,
    email_context: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Create one notification per user, then (after commit) push and email each.

    `email_template` defaults to the kind's (core/services/notification_kinds.py); an unknown
    kind emails only with one. With `dedupe_key` a user who already has a notification under
    that key gets nothing (the unique constraint decides, so two concurrent senders send
    once). Returns the notifications created now."""
    users = list({u.pk: u for u in users}.values())
    data = data or {}
    # Titles quote tournament and team names: a long one would not fit the column (PostgreSQL
    # refuses what SQLite silently keeps), so the stored title is cut with an ellipsis.
    title = _fit(title, Notification._meta.get_field("title").max_length)
    rows = [
        Notification(
            user=u, kind=kind, title=title, body=body, data=data, dedupe_key=dedupe_key or ""
        )
        for u in users
    ]
    created = _insert_once(rows) if dedupe_key else Notification.objects.bulk_create(rows)
    spec = kind_get(kind)
    template = email_template or (spec.template if spec else None)
    if template:
        context = {"title": title, "body": body, **(email_context or {})}
        _email(created, kind, template, context, grouped=bool(spec and spec.quiet))
    for notification in created:
        hooks.push_notification_after_commit(notification)
    return created


def _insert_once(rows: list[Notification]) -> list[Notification]:
    """Insert each row unless its (user, dedupe_key) exists: insert-and-catch, each in its own
    savepoint, so the loser of a race waits for the winner's commit and then skips."""
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    return created


def _email(
    created: list[Notification], kind: str, template: str, context: dict[str, Any], grouped: bool
) -> None:
    allowed = email_allowed(user_ids=[n.user_id for n in created], kind=kind)
    for notification in created:
        user = notification.user
        if not user.email or notification.user_id not in allowed:
            continue
        if grouped and not _claim_window(notification):
            continue  # folded: this window's email went already; the in-app row still shows it
        email_send_after_commit(
            template=template,
            to=user.email,
            context={
                "user_name": user.display_name or user.username,
                "unsubscribe_url": unsubscribe_link(user_id=user.pk, kind=kind),
                **context,
            },
        )


def _claim_window(notification: Notification) -> bool:
    """The first quiet email of this (user, tournament, 10-minute window) claims it by inserting
    the window row; any later one in the window finds the row taken (a unique constraint)."""
    window = int(timezone.now().timestamp() // GROUP_WINDOW.total_seconds())
    key = f"results:t{notification.data.get('tournament')}:{window}"
    try:
        with transaction.atomic():
            NotificationEmailWindow.objects.create(user_id=notification.user_id, key=key)
    except IntegrityError:
        return False
    return True


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


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
