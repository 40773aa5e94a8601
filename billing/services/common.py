"""Small pieces every billing service shares: the client, errors, emails, the check schedule."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from billing.models import Payment, Refund
from billing.phonepe import PhonePeClient
from core.errors import Conflict, Unavailable
from core.observability import metrics
from core.services.notifications import notifications_send

# Reconciliation asks PhonePe about an open order this long after the previous check:
# ~25 s after creation (most payments settle by then), then with growing gaps (docs/payments.md).
CHECK_DELAYS = (25, 30, 60, 120, 300, 600)
# Past PhonePe's expireAt plus this, an order PhonePe still calls pending is ours to expire.
EXPIRY_GRACE = timedelta(seconds=60)


class PaymentProviderUnavailable(Unavailable):
    code = "payment_provider_unavailable"


class AlreadyPaid(Conflict):
    code = "already_paid"


class PaymentStateConflict(Conflict):
    code = "invalid_status"


def payment_moved(state: str, changed: int = 1) -> int:
    """Count payments entering `state` (`changed`: the conditional UPDATE's row count) once the
    change commits: a rolled-back transition is not one. Returns `changed`."""
    if changed:
        transaction.on_commit(lambda: metrics.PAYMENT_TRANSITIONS.labels(state).inc(changed))
    return changed


def phonepe_client() -> PhonePeClient:
    return PhonePeClient.from_settings()


def check_delay(check_count: int) -> timedelta:
    return timedelta(seconds=CHECK_DELAYS[min(check_count, len(CHECK_DELAYS) - 1)])


def next_check_at(now: datetime, check_count: int) -> datetime:
    return now + check_delay(check_count)


def rupees(paise: int) -> str:
    return f"₹{paise // 100}.{paise % 100:02d}"


def payment_summary(payment: Payment) -> dict[str, Any]:
    """What the register / publish responses show of the payment to complete."""
    return {
        "merchant_order_id": payment.merchant_order_id,
        "purpose": payment.purpose,
        "amount": payment.amount,
        "state": payment.state,
        "redirect_url": payment.redirect_url or None,
        "expire_at": payment.expire_at.isoformat() if payment.expire_at else None,
    }


def _context(payment: Payment) -> dict[str, Any]:
    tournament = payment.tournament
    return {
        "username": payment.user.username,
        "purpose": payment.get_purpose_display(),
        "plan": payment.plan,
        "amount": rupees(payment.amount),
        "merchant_order_id": payment.merchant_order_id,
        "tournament": tournament.title if tournament else "",
        "tournament_id": tournament.pk if tournament else None,
    }


def email_receipt(payment: Payment) -> None:
    """Called by the one request that won the transition to completed; sent after commit
    (a payment.receipt notification: in-app, /ws/me/, and the receipt email)."""
    context = _context(payment)
    notifications_send(
        users=[payment.user],
        kind="payment.receipt",
        title=f"Payment received: ₹{context['amount']}",
        body=f"{context['purpose']} {context['tournament']}".strip(),
        data={"payment": payment.merchant_order_id, "tournament": context["tournament_id"]},
        email_context=context,
    )


def email_refund_issued(refund: Refund) -> None:
    context = {
        **_context(refund.payment),
        "refund_amount": rupees(refund.amount),
        "merchant_refund_id": refund.merchant_refund_id,
        "reason": refund.reason,
    }
    notifications_send(
        users=[refund.payment.user],
        kind="payment.refund",
        title=f"Refund issued: ₹{context['refund_amount']}",
        body=refund.reason,
        data={"payment": refund.payment.merchant_order_id, "refund": refund.merchant_refund_id},
        email_context=context,
    )
