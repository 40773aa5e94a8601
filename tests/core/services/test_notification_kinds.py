"""Every notification kind through its real flow (tests/support/notification_flows.py): the
in-app row for each recipient, and that kind's email (with its unsubscribe link) or none, as
the catalogue (core/services/notification_kinds.py) says; a rolled-back flow sends nothing;
an email preference off stops the email but not the row. The /ws/me/ frames over a real
socket are tests/realtime/test_me_kinds.py."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from core.emailing import render_email
from core.models import Notification, NotificationPreference
from core.services.notification_kinds import KINDS
from tests.support.emails import sent_to
from tests.support.notification_flows import FLOWS, Flow, email_kinds

pytestmark = pytest.mark.django_db


def _fire(flow: Flow, capture: Any) -> None:
    before = set(Notification.objects.values_list("pk", flat=True))
    mail.outbox.clear()
    with capture(execute=True):
        flow.fire()
    flow.new = Notification.objects.exclude(pk__in=before)  # type: ignore[attr-defined]


def test_every_catalogued_kind_has_a_flow() -> None:
    covered = {make.__name__.replace("_", ".", 1) for make in FLOWS}
    # payment.* go through PhonePe (tests/billing/services/test_webhooks.py, test_refunds.py);
    # webhook.disabled is tests/core/services/test_webhook_deliveries.py.
    assert set(KINDS) - covered == {"payment.receipt", "payment.refund", "webhook.disabled"}


@pytest.mark.parametrize("make", FLOWS, ids=lambda f: f.__name__)
def test_kind_reaches_its_recipients_in_app_and_by_email(
    make: Callable[[], Flow], django_capture_on_commit_callbacks: Any
) -> None:
    flow = make()
    _fire(flow, django_capture_on_commit_callbacks)
    rows = flow.new.filter(kind=flow.kind)  # type: ignore[attr-defined]
    assert sorted(rows.values_list("user_id", flat=True)) == sorted(u.pk for u in flow.recipients)
    assert all(r.title and r.read_at is None for r in rows)
    for user in flow.recipients:
        assert email_kinds(user.email).count(flow.kind) == (1 if flow.email else 0), user
    if flow.email:
        message = next(
            m for m in sent_to(flow.recipients[0].email) if "List-Unsubscribe" in m.extra_headers
        )
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert url in message.body and url.replace("&", "&amp;") in message.alternatives[0][0]


@pytest.mark.parametrize("make", FLOWS, ids=lambda f: f.__name__)
def test_a_rolled_back_flow_sends_nothing(
    make: Callable[[], Flow], django_capture_on_commit_callbacks: Any, pushed: list
) -> None:
    flow = make()
    before = Notification.objects.count()
    mail.outbox.clear()
    pushed.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        flow.fire()
        raise RuntimeError("roll back")
    assert Notification.objects.count() == before
    assert mail.outbox == [] and pushed == []


@pytest.mark.parametrize("make", [f for f in FLOWS if f.__name__ != "result_corrected"])
def test_email_off_for_the_kind_keeps_in_app_only(
    make: Callable[[], Flow], django_capture_on_commit_callbacks: Any
) -> None:
    flow = make()
    muted, *others = flow.recipients
    NotificationPreference.objects.create(user=muted, kind=flow.kind, email=False)
    _fire(flow, django_capture_on_commit_callbacks)
    assert flow.new.filter(kind=flow.kind, user=muted).count() == 1  # type: ignore[attr-defined]
    assert flow.kind not in email_kinds(muted.email)
    for user in others:
        assert email_kinds(user.email).count(flow.kind) == 1


@pytest.mark.parametrize("template", sorted({k.template for k in KINDS.values() if k.template}))
def test_every_kinds_template_renders_both_parts_with_the_unsubscribe_link(template: str) -> None:
    url = "http://localhost:8000/unsubscribe/?token=abc"
    subject, text, html = render_email(
        template, {"user_name": "Ann", "title": "T", "unsubscribe_url": url, "tournament": "Cup"}
    )
    assert subject and "\n" not in subject
    assert url in text and f'href="{url}"' in html
