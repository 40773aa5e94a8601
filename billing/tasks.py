"""Billing's Celery tasks: webhook checks, refunds, and the reconciliation beat, registered under
the names in billing/jobs.py.

Each is idempotent (the services decide with conditional UPDATEs), so a redelivered task or an
overlapping beat run changes nothing twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from billing import jobs
from billing.models import Payment
from billing.services.reconcile import payments_reconcile
from billing.services.refunds import (
    payment_refund,
    refunds_for_cancellation,
    refunds_for_withdrawal,
)
from billing.services.webhooks import webhook_process
from core.models import Registration, Tournament

log = logging.getLogger(__name__)


@shared_task(name=jobs.WEBHOOK_PROCESS, acks_late=True)
def webhook_process_task(*, receipt_id: int) -> str:
    return webhook_process(receipt_id=receipt_id)


@shared_task(name=jobs.PAYMENT_REFUND, acks_late=True)
def payment_refund_task(*, payment_id: int) -> str | None:
    payment = Payment.objects.filter(pk=payment_id).first()
    refund = payment_refund(payment=payment) if payment is not None else None
    return refund.state if refund is not None else None


@shared_task(name=jobs.REFUNDS_FOR_WITHDRAWAL, acks_late=True)
def refunds_for_withdrawal_task(*, registration_id: int) -> int:
    registration = Registration.objects.filter(pk=registration_id).first()
    return refunds_for_withdrawal(registration=registration) if registration else 0


@shared_task(name=jobs.REFUNDS_FOR_CANCELLATION, acks_late=True)
def refunds_for_cancellation_task(*, tournament_id: int) -> int:
    tournament = Tournament.objects.filter(pk=tournament_id).first()
    return refunds_for_cancellation(tournament=tournament) if tournament else 0


@shared_task(name=jobs.PAYMENTS_RECONCILE)
def payments_reconcile_task() -> dict[str, int]:
    """Every 15 s (beat): poll open orders, expire overdue ones, push due refunds along."""
    return payments_reconcile()
