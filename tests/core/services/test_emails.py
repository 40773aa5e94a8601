"""core/services/emails.py: an email is sent once per idempotency key, however often its task
is delivered, with a Message-ID that follows the key."""

from typing import Any

import pytest
from django.core import mail

from core.models import SentEmail
from core.services.emails import email_deliver_once

pytestmark = pytest.mark.django_db

CONTEXT = {"name": "Asha"}


def test_the_same_key_twice_sends_once() -> None:
    assert email_deliver_once(key="k-1", template="welcome", to="a@example.com", context=CONTEXT)
    assert not email_deliver_once(
        key="k-1", template="welcome", to="a@example.com", context=CONTEXT
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == "<k-1@scrimverse.mail>"
    record = SentEmail.objects.get(key="k-1")
    assert record.sent_at is not None and (record.template, record.to) == (
        "welcome",
        "a@example.com",
    )


def test_another_key_is_another_email() -> None:
    for key in ("k-1", "k-2"):
        email_deliver_once(key=key, template="welcome", to="a@example.com", context=CONTEXT)
    assert len(mail.outbox) == 2


def test_a_failed_send_leaves_it_unsent_for_the_retry(monkeypatch: Any) -> None:
    def down(**kwargs: Any) -> None:
        raise ConnectionError("smtp down")

    monkeypatch.setattr("core.services.emails.deliver_email", down)
    with pytest.raises(ConnectionError):
        email_deliver_once(key="k-3", template="welcome", to="a@example.com", context=CONTEXT)
    assert not SentEmail.objects.filter(key="k-3", sent_at__isnull=False).exists()
    monkeypatch.undo()
    assert email_deliver_once(key="k-3", template="welcome", to="a@example.com", context=CONTEXT)
    assert len(mail.outbox) == 1
