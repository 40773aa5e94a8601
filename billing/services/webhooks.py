"""PhonePe callbacks: store each distinct one once, answer fast, check it with PhonePe after
commit. A webhook is only a hint (its Authorization header is a fixed, replayable value): the
order status API decides whether anything counts (payments.payment_sync)."""

from __future__ import annotations

import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from billing import jobs as billing_jobs
from billing.models import Payment, Refund, WebhookReceipt
from billing.phonepe import PhonePeBadResponse, WebhookEvent
from core import jobs
from core.errors import ValidationError

from .payments import payment_sync
from .refunds import refund_sync

log = logging.getLogger(__name__)


def webhook_receive(*, body: bytes) -> tuple[WebhookReceipt, bool]:
    """Store an authenticated callback (the view has checked Authorization). Returns the receipt
    and whether it will be checked with PhonePe (after commit, by a task)."""
    try:
        event = WebhookEvent.from_json(json.loads(body))
    except (ValueError, PhonePeBadResponse) as exc:
        raise ValidationError(f"Not a PhonePe webhook: {exc}") from None
    order, refund = event.order, event.refund
    key = hashlib.sha256(body).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                receipt = WebhookReceipt.objects.create(
                    dedup_key=key,
                    event=event.event[:64],
                    merchant_order_id=(order.merchant_order_id or "")[:63] if order else "",
                    merchant_refund_id=(refund.merchant_refund_id or "")[:63] if refund else "",
                    payload_state=((order or refund).raw_state or "")[:20]
                    if order or refund
                    else "",
                    body=body.decode(errors="replace"),
                )
            process = True
        except IntegrityError:
            WebhookReceipt.objects.filter(dedup_key=key).update(duplicates=F("duplicates") + 1)
            receipt = WebhookReceipt.objects.get(dedup_key=key)
            # A repeat is checked again only while its order is still open (PhonePe may have
            # been behind the first time); otherwise it changes nothing.
            process = Payment.objects.filter(
                merchant_order_id=receipt.merchant_order_id or None,
                state__in=Payment.OPEN_STATES,
            ).exists()
        if process:
            jobs.enqueue_after_commit(billing_jobs.WEBHOOK_PROCESS, receipt_id=receipt.pk)
    return receipt, process


def webhook_process(*, receipt_id: int) -> str:
    """Check a stored webhook with PhonePe and record what that led to."""
    receipt = WebhookReceipt.objects.get(pk=receipt_id)
    outcome = "ignored"
    if receipt.merchant_order_id:
        payment = Payment.objects.filter(merchant_order_id=receipt.merchant_order_id).first()
        if payment is None:
            outcome = "unknown order"
            log.warning("webhook for an unknown order %s", receipt.merchant_order_id)
        else:
            outcome = payment_sync(payment=payment)
    elif receipt.merchant_refund_id:
        refund = Refund.objects.filter(merchant_refund_id=receipt.merchant_refund_id).first()
        outcome = "unknown refund" if refund is None else f"refund {refund_sync(refund=refund)}"
    claims_paid = receipt.merchant_order_id and receipt.payload_state == "COMPLETED"
    if claims_paid and outcome not in ("completed", "already"):
        log.warning(
            "webhook says COMPLETED but the order status API does not confirm %s: %s",
            receipt.merchant_order_id,
            outcome,
        )
        outcome = f"unconfirmed: {outcome}"
    WebhookReceipt.objects.filter(pk=receipt.pk).update(
        processed_at=timezone.now(), outcome=outcome[:200]
    )
    return outcome
