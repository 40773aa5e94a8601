"""Refund writes. A payment is refunded in full, at most once: the merchant refund id is derived
from the payment ("RF-<merchant order id>"), unique in our table and idempotent at PhonePe, and
state changes are conditional UPDATEs. Retried or concurrent cancels therefore refund once.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from billing.models import Payment, Refund
from billing.phonepe import PhonePeError, PhonePeNotFound, PhonePeUnavailable, RefundState
from core.errors import Conflict, NotFound, PermissionDenied
from core.models import Registration, Tournament, User
from core.services.audit import audit_record

from .common import email_refund_issued, payment_moved, phonepe_client
from .payments import payment_mark_refund_due

log = logging.getLogger(__name__)
PS = Payment.State
RS = Refund.State


def refund_id_for(payment: Payment) -> str:
    return f"RF-{payment.merchant_order_id}"


def _claim(payment: Payment, reason: str) -> Refund:
    merchant_refund_id = refund_id_for(payment)
    try:
        with transaction.atomic():
            return Refund.objects.create(
                payment=payment,
                merchant_refund_id=merchant_refund_id,
                amount=payment.amount,
                reason=reason[:200],
            )
    except IntegrityError:  # someone else claimed it first: the same refund
        return Refund.objects.get(merchant_refund_id=merchant_refund_id)


def _our_state(state: RefundState) -> str:
    if state is RefundState.COMPLETED:
        return RS.COMPLETED
    if state is RefundState.FAILED:
        return RS.FAILED
    return RS.PENDING  # PENDING and CONFIRMED: accepted, money on its way


def _apply(refund: Refund, *, state: str, phonepe_refund_id: str = "") -> None:
    """Move the refund forward; the request that takes it out of CREATED emails the user."""
    now = timezone.now()
    with transaction.atomic():
        fields = {"state": state, "updated_at": now}
        if phonepe_refund_id:
            fields["phonepe_refund_id"] = phonepe_refund_id
        accepted = Refund.objects.filter(pk=refund.pk, state=RS.CREATED).update(**fields)
        if not accepted:
            forward = (RS.PENDING,) if state in (RS.COMPLETED, RS.FAILED) else ()
            Refund.objects.filter(pk=refund.pk, state__in=forward).update(**fields)
        refund = Refund.objects.select_related("payment__user", "payment__tournament").get(
            pk=refund.pk
        )
        payment = refund.payment
        if refund.state == RS.FAILED:
            # Money stays with us: the payment is completed again, for staff to look at.
            back = Payment.objects.filter(
                pk=payment.pk, state__in=(PS.REFUNDED, PS.PARTIALLY_REFUNDED)
            ).update(state=PS.COMPLETED, last_error="Refund failed.", updated_at=now)
            payment_moved(PS.COMPLETED, back)
            log.error("refund %s failed at PhonePe", refund.merchant_refund_id)
            return
        if accepted:
            to = PS.REFUNDED if refund.amount >= payment.amount else PS.PARTIALLY_REFUNDED
            moved = Payment.objects.filter(pk=payment.pk, state=PS.COMPLETED).update(
                state=to, updated_at=now
            )
            payment_moved(to, moved)
            log.info("refund %s accepted (%s paise)", refund.merchant_refund_id, refund.amount)
            email_refund_issued(refund)


def payment_refund(*, payment: Payment, reason: str = "") -> Refund | None:
    """Refund a completed payment in full (idempotent). None if it took no money."""
    payment = Payment.objects.get(pk=payment.pk)
    if payment.state not in Payment.PAID_STATES:
        return None
    reason = reason or payment.refund_reason or "Refund"
    if not payment.refund_reason:
        Payment.objects.filter(pk=payment.pk, refund_reason="").update(refund_reason=reason[:200])
    refund = _claim(payment, reason)
    if refund.state != RS.CREATED:
        return refund
    try:
        with phonepe_client() as phonepe:
            answer = phonepe.refund(
                merchant_refund_id=refund.merchant_refund_id,
                original_merchant_order_id=payment.merchant_order_id,
                amount=refund.amount,
            )
    except PhonePeUnavailable as exc:
        # Unknown outcome; the same id is asked again by reconciliation (PhonePe dedups it).
        Refund.objects.filter(pk=refund.pk).update(last_error=str(exc)[:300])
        log.warning("refund %s: phonepe unavailable: %s", refund.merchant_refund_id, exc)
        return refund
    except PhonePeError as exc:
        Refund.objects.filter(pk=refund.pk).update(last_error=str(exc)[:300])
        log.error("refund %s refused by phonepe: %s", refund.merchant_refund_id, exc)
        _apply(refund, state=RS.FAILED)
        return Refund.objects.get(pk=refund.pk)
    _apply(refund, state=_our_state(answer.state), phonepe_refund_id=answer.refund_id)
    return Refund.objects.get(pk=refund.pk)


class AlreadyRefunded(Conflict):
    code = "already_refunded"


def payment_refund_by_staff(*, actor: User, payment_id: int, reason: str) -> Refund | None:
    """A refund by hand (staff only, the Django admin's payment action): the refund row is
    claimed and the audit row written in one transaction — a second attempt, or a race, finds
    the row and is refused, so one refund leaves one audit row — then PhonePe is asked as for
    every refund."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff refund by hand.")
    with transaction.atomic():
        payment = Payment.objects.filter(pk=payment_id).first()
        if payment is None:
            raise NotFound("No such payment.")
        if payment.state not in Payment.PAID_STATES:
            raise Conflict("This payment took no money: nothing to refund.")
        try:
            with transaction.atomic():
                Refund.objects.create(
                    payment=payment,
                    merchant_refund_id=refund_id_for(payment),
                    amount=payment.amount,
                    reason=reason[:200],
                )
        except IntegrityError:
            raise AlreadyRefunded("This payment is already refunded.") from None
        audit_record(
            actor=actor,
            action="payment.refund",
            target=payment,
            details={"amount": payment.amount, "reason": reason[:200]},
        )
    return payment_refund(payment=payment, reason=reason)


def refund_sync(*, refund: Refund) -> str:
    """Ask PhonePe how a refund is doing (reconciliation and pg.refund.* webhooks)."""
    if refund.state == RS.CREATED:
        payment_refund(payment=refund.payment)
        return Refund.objects.get(pk=refund.pk).state
    if refund.state != RS.PENDING:
        return refund.state
    try:
        with phonepe_client() as phonepe:
            status = phonepe.refund_status(refund.merchant_refund_id)
    except PhonePeNotFound:
        return refund.state
    except PhonePeError as exc:
        log.warning("refund status unavailable %s: %s", refund.merchant_refund_id, exc)
        return refund.state
    if status.amount is not None and status.amount != refund.amount:
        log.error("refund %s: phonepe amount %s differs", refund.merchant_refund_id, status.amount)
        return refund.state
    _apply(refund, state=_our_state(status.state))
    return Refund.objects.get(pk=refund.pk).state


def refunds_for_withdrawal(*, registration: Registration) -> int:
    """Core's hook: a withdrawn registration's paid entry fee goes back."""
    return _refund_each(
        Payment.objects.filter(
            registration_id=registration.pk,
            purpose=Payment.Purpose.ENTRY_FEE,
            state=PS.COMPLETED,
        ),
        "The team withdrew before registration closed.",
    )


def refunds_for_cancellation(*, tournament: Tournament) -> int:
    """Core's hook: every completed entry fee of a cancelled tournament goes back, once."""
    return _refund_each(
        Payment.objects.filter(
            tournament_id=tournament.pk, purpose=Payment.Purpose.ENTRY_FEE, state=PS.COMPLETED
        ),
        "The tournament was cancelled.",
    )


def _refund_each(payments: QuerySet[Payment], reason: str) -> int:
    count = 0
    for payment in list(payments):
        with transaction.atomic():
            payment_mark_refund_due(payment=payment, reason=reason)  # issued after commit
        count += 1
    return count
