"""Core's Celery tasks: thin faces over services, registered under the names in core/jobs.py."""

import logging
import smtplib
from typing import Any

from celery import shared_task

from core import jobs
from core.services.account_exports import export_build, exports_purge
from core.services.emails import email_deliver_once
from core.services.matches import match_credentials_notify as credentials_notify
from core.services.media import image_variants_build
from core.services.reminders import reminders_send
from core.services.schedule import tournament_schedule_sweep
from core.services.webhook_deliveries import (
    webhook_attempt,
    webhooks_fan_out,
    webhooks_registration_fan_out,
    webhooks_retry_due,
)

log = logging.getLogger(__name__)


@shared_task(
    name=jobs.SEND_EMAIL,
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_email(
    self: Any, *, template: str, to: str, context: dict[str, Any], key: str | None = None
) -> None:
    # A message queued without a key (by an older release) is keyed by its task id, which a
    # redelivery keeps.
    sent = email_deliver_once(key=key or self.request.id, template=template, to=to, context=context)
    if sent:
        log.info("email sent template=%s attempt=%s", template, self.request.retries + 1)


@shared_task(name=jobs.TOURNAMENTS_SYNC_SCHEDULE)
def tournaments_sync_schedule() -> dict[str, int]:
    """Every minute: open/close registration by the clock and expire lapsed payment holds.
    Actions re-check the clock themselves under the row lock, so a late run is harmless."""
    counts = tournament_schedule_sweep()
    log.info("tournament schedule sweep %s", counts)
    return counts


@shared_task(name=jobs.NOTIFICATIONS_REMINDERS)
def notifications_reminders() -> dict[str, int]:
    """Every minute: check-in open / closing and match-starting reminders that are due, each
    once per user (a unique constraint, so overlapping runs are harmless)."""
    return reminders_send()


@shared_task(name=jobs.WEBHOOKS_FAN_OUT, acks_late=True)
def webhooks_fan_out_task(*, tournament_id: int, seqs: list[int]) -> int:
    """After a commit: the webhook deliveries of its events (once per endpoint and event)."""
    return webhooks_fan_out(tournament_id=tournament_id, seqs=seqs)


@shared_task(name=jobs.WEBHOOKS_REGISTRATION, acks_late=True)
def webhooks_registration_task(
    *, tournament_id: int, event_id: str, at: str, data: dict[str, Any]
) -> int:
    return webhooks_registration_fan_out(
        tournament_id=tournament_id, event_id=event_id, at=at, data=data
    )


@shared_task(name=jobs.WEBHOOK_DELIVER, acks_late=True)
def webhook_deliver(*, delivery_id: int, force: bool = False) -> str | None:
    """One attempt (claimed first, so a duplicate message does nothing)."""
    return webhook_attempt(delivery_id=delivery_id, force=force)


@shared_task(name=jobs.WEBHOOKS_RETRY_DUE)
def webhooks_retry_due_task() -> int:
    """Every 15 s: the deliveries whose retry is due."""
    return len(webhooks_retry_due())


@shared_task(name=jobs.MATCH_CREDENTIALS_NOTIFY, acks_late=True)
def match_credentials_notify(*, match_id: int) -> int:
    """At a match's credentials release time: notify its group's players (once; see service)."""
    return credentials_notify(match_id=match_id)


@shared_task(name=jobs.IMAGE_VARIANTS, acks_late=True)
def image_variants(*, model: str, pk: int, field: str, original: str) -> int:
    """After an upload commits: the image's resized copies (idempotent, see the service)."""
    return image_variants_build(model=model, pk=pk, field=field, original=original)


@shared_task(name=jobs.ACCOUNT_EXPORT_BUILD, acks_late=True)
def account_export_build(*, export_id: int) -> str:
    return export_build(export_id=export_id)


@shared_task(name=jobs.ACCOUNT_EXPORTS_PURGE)
def account_exports_purge() -> int:
    return exports_purge()
