"""Sending a queued email exactly once per idempotency key (core/tasks.py runs it; the key is
made when the email is queued, core/emailing.py)."""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.emailing import deliver_email

from .locks import lock_or_create_sent_email

log = logging.getLogger(__name__)


def email_deliver_once(*, key: str, template: str, to: str, context: dict[str, Any]) -> bool:
    """Send the email unless its key was sent already; returns whether it was sent now.

    The record's row lock is held while the message goes out, so two deliveries of one task
    (a worker killed after the broker handed the task on, acks late) send it once. Should a
    worker die after the mail server took the message but before this commits, the next
    delivery sends it again with the same Message-ID, by which receivers recognise it."""
    with transaction.atomic():
        record = lock_or_create_sent_email(key=key, template=template, to=to)
        if record.sent_at is not None:
            log.info("email %s already sent at %s: not sent again", key, record.sent_at)
            return False
        deliver_email(template=template, to=to, context=context, message_id=key)
        record.sent_at = timezone.now()
        record.save(update_fields=["sent_at"])
        return True
