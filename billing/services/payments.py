"""Payment writes: start a plan-fee or entry-fee payment at PhonePe, and apply what PhonePe's
order status API says (the only source that makes a payment count; webhooks are hints).

Transitions are conditional UPDATEs with a row count, so among concurrent webhooks, status
checks and reconciliation runs exactly one wins each transition, and only the winner confirms
the seat, publishes, or sends the receipt.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from billing import jobs as billing_jobs
from billing.links import return_url
from billing.models import Payment
from billing.phonepe import (
    OrderState,
    OrderStatus,
    PayResponse,
    PhonePeError,
    PhonePeNotFound,
    PhonePeOrderExists,
    PhonePeUnavailable,
)
from billing.plans import plan_get
from core import jobs
from core.errors import ApplicationError, NotFound, ValidationError
from core.models import Registration, Tournament, User
from core.services.locks import lock_tournament
from core.services.registrations import registration_confirm, registration_release_hold
from core.services.tournaments import tournament_publish

from .common import (
    AlreadyPaid,
    PaymentProviderUnavailable,
    PaymentStateConflict,
    email_receipt,
    next_check_at,
    payment_moved,
    phonepe_client,
)

log = logging.getLogger(__name__)
S = Payment.State
P = Payment.Purpose
# A CREATED payment PhonePe has never heard of after this long never reached it.
NEVER_CREATED_AFTER = timedelta(minutes=2)
DEFAULT_EXPIRE_AFTER = 1200


def plan_fee_paid(tournament: Tournament) -> bool:
    """The checker core's publishing asks: a completed fee for the tournament's current plan."""
    return Payment.objects.filter(
        tournament=tournament, purpose=P.PLAN_FEE, plan=tournament.plan, state=S.COMPLETED
    ).exists()


def _merchant_order_id(purpose: str, ref: int) -> str:
    # ≤ 35 characters, so "RF-" + it stays within PhonePe's 63 for the refund id.
    prefix = "SV-P" if purpose == P.PLAN_FEE else "SV-E"
    return f"{prefix}-{ref}-{secrets.token_hex(5)}"


def _start(
    *,
    purpose: str,
    user: User,
    tournament: Tournament,
    amount: int,
    message: str,
    registration: Registration | None = None,
    plan: str = "",
    expire_after: int = DEFAULT_EXPIRE_AFTER,
    publish_when_paid: bool = False,
) -> Payment:
    """Record the payment, then ask PhonePe for the order (outside any transaction or lock)."""
    now = timezone.now()
    ref = registration.pk if registration is not None else tournament.pk
    payment = Payment.objects.create(
        purpose=purpose,
        plan=plan,
        tournament=tournament,
        registration=registration,
        user=user,
        amount=amount,
        merchant_order_id=_merchant_order_id(purpose, ref),
        state=S.CREATED,
        publish_when_paid=publish_when_paid,
        # Saved first, so if we die mid-call reconciliation still asks PhonePe about it.
        next_check_at=next_check_at(now, 0),
    )
    payment_moved(S.CREATED)
    created = _ask_phonepe(
        payment, expire_after=expire_after, message=message, meta={"udf1": f"{purpose}:{ref}"}
    )
    moved = Payment.objects.filter(pk=payment.pk, state=S.CREATED).update(
        state=S.PENDING,
        phonepe_order_id=created.order_id,
        redirect_url=created.redirect_url or "",
        expire_at=created.expire_at or now + timedelta(seconds=expire_after),
    )
    payment_moved(S.PENDING, moved)
    payment.refresh_from_db()
    return payment


def _ask_phonepe(
    payment: Payment, *, expire_after: int, message: str, meta: dict[str, str]
) -> PayResponse:
    """PhonePe's order for a recorded payment; a failure is recorded on it and answered as
    PaymentProviderUnavailable."""
    try:
        with phonepe_client() as phonepe:
            return phonepe.pay(
                merchant_order_id=payment.merchant_order_id,
                amount=payment.amount,
                redirect_url=return_url(payment.merchant_order_id),
                expire_after=expire_after,
                message=message[:60],
                meta_info=meta,
            )
    except PhonePeUnavailable as exc:
        if not exc.may_have_landed:
            # PhonePe never saw it: no order exists anywhere, so no row stays behind either.
            Payment.objects.filter(pk=payment.pk, state=S.CREATED).delete()
            log.warning("phonepe unreachable for %s: %s", payment.merchant_order_id, exc)
            raise PaymentProviderUnavailable(
                "The payment provider (PhonePe) cannot be reached, so no payment was started. "
                "Try again in a minute."
            ) from None
        # Outcome unknown: the order may exist. Reconciliation asks; the user may retry.
        Payment.objects.filter(pk=payment.pk).update(last_error=str(exc)[:300])
        log.warning("phonepe pay unavailable for %s: %s", payment.merchant_order_id, exc)
        raise PaymentProviderUnavailable(
            "PhonePe could not be reached. Try again in a minute.",
            details={"merchant_order_id": payment.merchant_order_id},
        ) from None
    except PhonePeOrderExists as exc:
        # Outcome unknown: the order may exist. Reconciliation asks; the user may retry.
        Payment.objects.filter(pk=payment.pk).update(last_error=str(exc)[:300])
        log.warning("phonepe pay unavailable for %s: %s", payment.merchant_order_id, exc)
        raise PaymentProviderUnavailable(
            "PhonePe could not be reached. Try again in a minute.",
            details={"merchant_order_id": payment.merchant_order_id},
        ) from None
    except PhonePeError as exc:
        failed = Payment.objects.filter(pk=payment.pk, state=S.CREATED).update(
            state=S.FAILED, next_check_at=None, last_error=str(exc)[:300]
        )
        payment_moved(S.FAILED, failed)
        log.error("phonepe refused pay for %s: %s", payment.merchant_order_id, exc)
        raise PaymentProviderUnavailable("PhonePe refused the payment. Try again later.") from None


def _live_attempt(**filters: object) -> Payment | None:
    return (
        Payment.objects.filter(state=S.PENDING, expire_at__gt=timezone.now(), **filters)
        .exclude(redirect_url="")
        .order_by("-created_at")
        .first()
    )


def payment_start_entry_fee(*, actor: User, registration: Registration) -> Payment:
    """The entry fee of the actor's pending_payment registration (reuses a live attempt)."""
    reg = (
        Registration.objects.select_related("tournament")
        .filter(pk=registration.pk, registered_by=actor)
        .first()
    )
    if reg is None:
        raise NotFound("No such registration.")
    if reg.status == Registration.Status.CONFIRMED and reg.is_paid:
        raise AlreadyPaid("This registration is already paid.")
    if reg.status != Registration.Status.PENDING_PAYMENT:
        raise PaymentStateConflict(
            f"The registration is {reg.status}: its seat is no longer held. Register again."
        )
    t = reg.tournament
    if t.entry_fee <= 0:
        raise ValidationError("This tournament has no entry fee.")
    live = _live_attempt(registration=reg, purpose=P.ENTRY_FEE)
    if live is not None:
        return live
    expire_after = DEFAULT_EXPIRE_AFTER
    if reg.hold_expires_at is not None:
        # Pay within the hold; PhonePe's minimum is 300 s (a late payment is handled anyway).
        remaining = int((reg.hold_expires_at - timezone.now()).total_seconds())
        expire_after = min(3600, max(300, remaining))
    return _start(
        purpose=P.ENTRY_FEE,
        user=actor,
        tournament=t,
        registration=reg,
        amount=t.entry_fee,
        message=f"Entry fee: {t.title}",
        expire_after=expire_after,
    )


def payment_start_plan_fee(
    *, actor: User, tournament: Tournament, publish_when_paid: bool = False
) -> Payment:
    """The host's plan fee for a draft; the price is the plan's (billing/plans.py)."""
    t = Tournament.objects.filter(pk=tournament.pk, host=actor).first()
    if t is None:
        raise NotFound("No such tournament.")
    if t.status != Tournament.Status.DRAFT:
        raise PaymentStateConflict(
            f"The plan fee is paid before publishing; this one is {t.status}."
        )
    plan = plan_get(t.plan)
    if t.max_teams > plan.max_teams:
        raise ValidationError(
            f"The {plan.name} plan allows up to {plan.max_teams} teams: choose a bigger plan.",
            details={"plan": [f"{t.max_teams} teams need a bigger plan."]},
        )
    if plan_fee_paid(t):
        raise AlreadyPaid(f"The {plan.name} plan fee is already paid: publish the tournament.")
    live = _live_attempt(tournament=t, purpose=P.PLAN_FEE, plan=plan.key)
    if live is not None:
        if publish_when_paid and not live.publish_when_paid:
            Payment.objects.filter(pk=live.pk).update(publish_when_paid=True)
        return live
    return _start(
        purpose=P.PLAN_FEE,
        user=actor,
        tournament=t,
        plan=plan.key,
        amount=plan.price,
        message=f"{plan.name} plan: {t.title}",
        publish_when_paid=publish_when_paid,
    )


# --- applying PhonePe's answer -----------------------------------------------------------------


def payment_mark_refund_due(*, payment: Payment, reason: str) -> None:
    """This completed payment must go back; the refund is issued after commit (and retried by
    reconciliation until PhonePe accepts it)."""
    Payment.objects.filter(pk=payment.pk, refund_reason="").update(refund_reason=reason[:200])
    log.info("refund due for %s: %s", payment.merchant_order_id, reason)
    jobs.enqueue_after_commit(billing_jobs.PAYMENT_REFUND, payment_id=payment.pk)


def _complete_entry_fee(payment: Payment) -> None:
    reg = payment.registration
    if reg is None:
        payment_mark_refund_due(payment=payment, reason="The registration no longer exists.")
        return
    paid_twice = (
        Payment.objects.filter(registration=reg, state__in=Payment.PAID_STATES)
        .exclude(pk=payment.pk)
        .exists()
    )
    if paid_twice:
        payment_mark_refund_due(payment=payment, reason="This registration was already paid.")
        return
    try:
        registration_confirm(registration=reg)
    except ApplicationError as exc:
        # Seat gone (hold lapsed and the event filled), withdrawn, or tournament cancelled.
        payment_mark_refund_due(payment=payment, reason=f"No seat: {exc.message}")


def _complete_plan_fee(payment: Payment, tournament: Tournament | None) -> None:
    if tournament is None or tournament.status == Tournament.Status.CANCELLED:
        payment_mark_refund_due(payment=payment, reason="The tournament is gone or cancelled.")
        return
    paid_twice = (
        Payment.objects.filter(
            tournament=tournament, purpose=P.PLAN_FEE, plan=payment.plan, state=S.COMPLETED
        )
        .exclude(pk=payment.pk)
        .exists()
    )
    if paid_twice:
        payment_mark_refund_due(payment=payment, reason="This plan fee was already paid.")
        return
    if payment.publish_when_paid and tournament.status == Tournament.Status.DRAFT:
        try:
            tournament_publish(actor=payment.user, tournament=tournament)
        except ApplicationError as exc:  # e.g. the window moved: the host fixes and publishes
            log.info("paid but not published %s: %s", tournament.pk, exc.message)


def _complete(payment: Payment, status: OrderStatus, now: datetime) -> bool:
    with transaction.atomic():
        # Serialise completions per tournament (the same row lock seat decisions take), so two
        # payments of one registration cannot both take its seat.
        try:
            tournament: Tournament | None = lock_tournament(payment.tournament_id)
        except NotFound:
            tournament = None
        won = Payment.objects.filter(
            pk=payment.pk, state__in=(S.CREATED, S.PENDING, S.FAILED, S.EXPIRED)
        ).update(
            state=S.COMPLETED,
            completed_at=now,
            next_check_at=None,
            phonepe_order_id=status.order_id or payment.phonepe_order_id,
            updated_at=now,
        )
        if not won:
            return False
        payment_moved(S.COMPLETED)
        payment = Payment.objects.select_related("user", "tournament", "registration").get(
            pk=payment.pk
        )
        log.info("payment completed %s (%s paise)", payment.merchant_order_id, payment.amount)
        email_receipt(payment)
        if payment.purpose == P.ENTRY_FEE:
            _complete_entry_fee(payment)
        else:
            _complete_plan_fee(payment, tournament)
        return True


def _fail(payment: Payment, state: str, reason: str, *, release_hold: bool = True) -> bool:
    with transaction.atomic():
        won = Payment.objects.filter(pk=payment.pk, state__in=Payment.OPEN_STATES).update(
            state=state, next_check_at=None, last_error=reason[:300], updated_at=timezone.now()
        )
        if not won:
            return False
        payment_moved(state)
        log.info("payment %s %s: %s", payment.merchant_order_id, state, reason)
        reg = payment.registration
        other_open = (
            reg is not None
            and Payment.objects.filter(registration=reg, state__in=Payment.OPEN_STATES).exists()
        )
        if release_hold and reg is not None and not other_open:
            registration_release_hold(registration=reg, reason=f"Payment {state}.")
        return True


def payment_apply_status(
    *, payment: Payment, status: OrderStatus | None, now: datetime | None = None
) -> str:
    """Apply the order status API's answer (None: PhonePe has no such order). Returns what
    happened: completed, already, failed, expired, pending, mismatch or unknown."""
    now = now or timezone.now()
    if status is None:
        if payment.state == S.CREATED and payment.created_at < now - NEVER_CREATED_AFTER:
            # The pay call never landed: the user can retry within the hold; keep the seat.
            _fail(payment, S.FAILED, "Never reached PhonePe.", release_hold=False)
            return "failed"
        return "unknown"
    if status.confirms(merchant_order_id=payment.merchant_order_id, amount=payment.amount):
        return "completed" if _complete(payment, status, now) else "already"
    if status.state is OrderState.COMPLETED:
        log.error(
            "phonepe status COMPLETED does not match payment %s: order %s amount %s (ours %s)",
            payment.merchant_order_id,
            status.merchant_order_id,
            status.amount,
            payment.amount,
        )
        Payment.objects.filter(pk=payment.pk).update(
            last_error=f"Status mismatch: {status.merchant_order_id} {status.amount} paise."
        )
        return "mismatch"
    if status.state is OrderState.FAILED:
        expired = status.expire_at is not None and status.expire_at <= now
        state = S.EXPIRED if expired else S.FAILED
        reason = status.detailed_error_code or status.error_code or status.raw_state or "FAILED"
        return state if _fail(payment, state, reason) else "already"
    return "pending"


def payment_sync(*, payment: Payment, now: datetime | None = None) -> str:
    """Ask PhonePe about an order and apply the answer; "error" when PhonePe cannot answer."""
    try:
        with phonepe_client() as phonepe:
            status: OrderStatus | None = phonepe.order_status(payment.merchant_order_id)
    except PhonePeNotFound:
        status = None
    except PhonePeError as exc:
        log.warning("phonepe status unavailable for %s: %s", payment.merchant_order_id, exc)
        Payment.objects.filter(pk=payment.pk).update(last_error=str(exc)[:300])
        return "error"
    return payment_apply_status(payment=payment, status=status, now=now)


def payment_expire_overdue(*, payment: Payment, now: datetime) -> bool:
    """Reconciliation's last word on an order PhonePe still calls pending past its expiry."""
    return _fail(payment, S.EXPIRED, "Not paid before the order expired.")
