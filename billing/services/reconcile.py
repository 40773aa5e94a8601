"""Reconciliation (the periodic task): a lost webhook never loses a payment.

Open orders are asked about on a growing schedule (common.CHECK_DELAYS) until PhonePe settles
them or they are past expiry; refunds that are due but not yet accepted are asked for again, and
pending refunds are followed to the end. Each step is a conditional UPDATE, so overlapping runs
(or a run racing a webhook) are harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from billing.models import Payment, Refund

from .common import EXPIRY_GRACE, next_check_at
from .payments import payment_expire_overdue, payment_sync
from .refunds import payment_refund, refund_sync

log = logging.getLogger(__name__)
S = Payment.State


def _claim(payment: Payment, now: datetime) -> bool:
    """Take this check (another run may have picked the same row) and schedule the next one."""
    return bool(
        Payment.objects.filter(
            pk=payment.pk, state__in=Payment.OPEN_STATES, next_check_at=payment.next_check_at
        ).update(
            next_check_at=next_check_at(now, payment.check_count + 1),
            check_count=F("check_count") + 1,
        )
    )


def payments_reconcile(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"checked": 0, "completed": 0, "failed": 0, "expired": 0, "refunds": 0}
    due = list(
        Payment.objects.filter(state__in=Payment.OPEN_STATES, next_check_at__lte=now)
        .select_related("registration")
        .order_by("next_check_at")[:limit]
    )
    for payment in due:
        if not _claim(payment, now):
            continue
        counts["checked"] += 1
        outcome = payment_sync(payment=payment, now=now)
        if outcome in counts:
            counts[outcome] += 1
        overdue = payment.expire_at is not None and now > payment.expire_at + EXPIRY_GRACE
        if outcome in ("pending", "unknown", "error") and overdue:
            if payment_expire_overdue(payment=payment, now=now):
                counts["expired"] += 1
        elif outcome == "mismatch" and overdue:
            # Money moved but not as ordered: stop polling, staff decide (it is logged).
            Payment.objects.filter(pk=payment.pk).update(next_check_at=None)
    owed = Payment.objects.filter(state=S.COMPLETED).exclude(refund_reason="")
    for payment in owed.exclude(refunds__state__in=(Refund.State.PENDING, Refund.State.FAILED))[
        :limit
    ]:
        payment_refund(payment=payment)
        counts["refunds"] += 1
    for refund in Refund.objects.filter(
        state__in=(Refund.State.CREATED, Refund.State.PENDING)
    ).select_related("payment")[:limit]:
        refund_sync(refund=refund)
    if counts["checked"] or counts["refunds"]:
        log.info("payments reconciled %s", counts)
    return counts
