"""What billing answers when core asks (registered in BillingConfig.ready())."""

from __future__ import annotations

import logging
from typing import Any

from billing import jobs as billing_jobs
from billing import revenue
from billing.models import Payment
from core import hooks, jobs
from core.errors import ApplicationError
from core.models import Registration, Tournament, User

from .common import payment_summary
from .payments import payment_start_entry_fee, payment_start_plan_fee, plan_fee_paid

log = logging.getLogger(__name__)


def entry_fee_payment(registration: Registration) -> dict[str, Any] | None:
    """The register response's payment. PhonePe down: None (the registration keeps its hold;
    POST /api/payments/initiate/ retries)."""
    try:
        payment = payment_start_entry_fee(
            actor=registration.registered_by, registration=registration
        )
    except ApplicationError as exc:
        log.warning("no payment for registration %s: %s", registration.pk, exc.message)
        return None
    return payment_summary(payment)


def plan_fee_payment(actor: User, tournament: Tournament) -> dict[str, Any] | None:
    """publish/ answered 402: the payment to complete; paying it publishes the tournament.
    When no payment can be started, its reason is the answer instead (503
    payment_provider_unavailable when PhonePe is unreachable, 400 when the plan is too small)."""
    payment = payment_start_plan_fee(actor=actor, tournament=tournament, publish_when_paid=True)
    return payment_summary(payment)


def registration_withdrawn(registration: Registration) -> None:
    """After the withdrawal committed (core calls this from its commit hook)."""
    if Payment.objects.filter(registration_id=registration.pk).exists():
        jobs.enqueue(billing_jobs.REFUNDS_FOR_WITHDRAWAL, registration_id=registration.pk)


def tournament_cancelled(tournament: Tournament) -> None:
    """After the cancellation committed (core calls this from its commit hook)."""
    jobs.enqueue(billing_jobs.REFUNDS_FOR_CANCELLATION, tournament_id=tournament.pk)


def payment_in_flight(user: User) -> bool:
    """A payment of the user's not yet final (created/pending): their account cannot be
    deleted while PhonePe may still take the money."""
    return Payment.objects.filter(user=user, state__in=Payment.OPEN_STATES).exists()


def install() -> None:
    """Fill core's hooks (called from BillingConfig.ready())."""
    hooks.install(
        plan_fee_paid=plan_fee_paid,
        plan_fee_payment=plan_fee_payment,
        entry_fee_payment=entry_fee_payment,
        registration_withdrawn=registration_withdrawn,
        tournament_cancelled=tournament_cancelled,
        payment_in_flight=payment_in_flight,
        takings_rows=revenue.takings_rows,
        revenue_summary=revenue.revenue_summary,
    )
