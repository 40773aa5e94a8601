"""core/services/notifications.py: one row per user, the email and the /ws/me/ push only after
commit, and marking read (one or all) only the actor's own."""

from typing import Any

import pytest
from django.core import mail

from core.errors import NotFound
from core.models import Notification
from core.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_send,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_user_gets_a_row_an_email_and_a_push_after_commit(
    pushed: list[Notification], django_capture_on_commit_callbacks: Any
) -> None:
    alice, bob = UserFactory(display_name="Alice"), UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notifications_send(
            users=[alice, bob],
            kind="host.approved",
            title="Welcome",
            body="Hi",
            data={"n": 1},
            email_template="welcome",
            email_context={"name": "friend"},
        )
        assert pushed == [] and mail.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert [(n.user, n.kind, n.title, n.data) for n in created] == [
        (alice, "host.approved", "Welcome", {"n": 1}),
        (bob, "host.approved", "Welcome", {"n": 1}),
    ]
    assert [n.pk for n in pushed] == [n.pk for n in created]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])


def test_no_template_no_email_and_no_address_no_email(
    pushed: list[Notification], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notifications_send(users=[UserFactory()], kind="k", title="t")
        notifications_send(
            users=[UserFactory(email="")], kind="k", title="t", email_template="welcome"
        )
    assert mail.outbox == []
    assert len(pushed) == 2 and Notification.objects.count() == 2


def test_marking_read_keeps_the_first_time_and_only_for_the_owner() -> None:
    owner, other = UserFactory(), UserFactory()
    (notification,) = notifications_send(users=[owner], kind="k", title="t")
    first = notification_mark_read(actor=owner, notification_id=notification.pk)
    assert first.read_at is not None
    again = notification_mark_read(actor=owner, notification_id=notification.pk)
    assert again.read_at == first.read_at
    for actor, notification_id in ((other, notification.pk), (owner, notification.pk + 1000)):
        with pytest.raises(NotFound):
            notification_mark_read(actor=actor, notification_id=notification_id)


def test_mark_all_read_counts_only_the_actors_unread() -> None:
    owner, other = UserFactory(), UserFactory()
    # A user named twice gets one row (a captain is also on the roster): three sends, three.
    assert len(notifications_send(users=[owner, owner], kind="k", title="t")) == 1
    mine = [notifications_send(users=[owner], kind="k", title="t")[0] for _ in range(2)]
    notifications_send(users=[other], kind="k", title="t")
    notification_mark_read(actor=owner, notification_id=mine[0].pk)
    assert notifications_mark_all_read(actor=owner) == 2
    assert notifications_mark_all_read(actor=owner) == 0
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_sending_to_many_costs_the_same_queries_as_to_one(
    django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """One insert for all rows and one read of the preferences, whatever the number of users
    (emails and pushes are after commit, not counted here)."""
    few, many = [UserFactory()], [UserFactory() for _ in range(12)]
    for users in (few, many):
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            django_assert_num_queries(2),
        ):
            notifications_send(users=users, kind="team.invite", title="t")
        assert len(callbacks) == 2 * len(users)  # an email and a push each


def test_an_unknown_kind_is_in_app_and_emails_only_with_a_template(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Kinds added by other features later (e.g. report.decided) work without the catalogue."""
    alice = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_send(users=[alice], kind="report.decided", title="Report decided")
    assert Notification.objects.filter(user=alice, kind="report.decided").count() == 1
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        notifications_send(
            users=[alice], kind="report.decided", title="Decided", email_template="host_rejected"
        )
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_title_longer_than_its_column_is_cut_with_an_ellipsis() -> None:
    limit = Notification._meta.get_field("title").max_length
    [note] = notifications_send(users=[UserFactory()], kind="x.test", title="T" * (limit + 40))
    note.refresh_from_db()
    assert len(note.title) == limit and note.title.endswith("…")
