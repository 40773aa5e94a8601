"""Core's Celery tasks: thin faces over services, registered under the names in core/jobs.py."""

import logging
import smtplib
from typing import Any

from celery import shared_task

from core import jobs
from core.services.emails import email_deliver_once
from core.services.matches import match_credentials_notify as credentials_notify
from core.services.media import image_variants_build
from core.services.schedule import tournament_schedule_sweep

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


@shared_task(name=jobs.MATCH_CREDENTIALS_NOTIFY, acks_late=True)
def match_credentials_notify(*, match_id: int) -> int:
    """At a match's credentials release time: notify its group's players (once; see service)."""
    return credentials_notify(match_id=match_id)


@shared_task(name=jobs.IMAGE_VARIANTS, acks_late=True)
def image_variants(*, model: str, pk: int, field: str, original: str) -> int:
    """After an upload commits: the image's resized copies (idempotent, see the service)."""
    return image_variants_build(model=model, pk=pk, field=field, original=original)
