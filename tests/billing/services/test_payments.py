"""billing/services/payments.py: starting an entry-fee payment (the tournament's fee, reused while
the checkout is live, refused when nothing is owed), a team's registrations each with its own
order, and the plan-fee answer core's publishing asks for."""

from __future__ import annotations

import pytest

from billing.models import Payment
from billing.phonepe.sandbox.remote import SandboxControl
from billing.services.common import AlreadyPaid, PaymentStateConflict
from billing.services.payments import payment_start_entry_fee, plan_fee_paid
from core.errors import NotFound, ValidationError
from core.models import Registration, Tournament
from tests.factories import TournamentFactory, UserFactory, team_with_roster
from tests.support.payments import ENTRY_FEE, paid_tournament, register_paid
from tests.support.tournaments import confirm

pytestmark = pytest.mark.django_db(transaction=True)
PS = Payment.State


def _plan_fee(tournament: Tournament, plan: str, state: str) -> Payment:
    return Payment.objects.create(
        purpose=Payment.Purpose.PLAN_FEE,
        plan=plan,
        tournament=tournament,
        user=tournament.host,
        amount=29900,
        merchant_order_id=f"SV-P-{tournament.pk}-{plan}-{state}",
        state=state,
    )


def test_second_team_registration_of_same_tournament_uses_its_own_order(
    phonepe_sandbox: SandboxControl,
) -> None:
    tournament = paid_tournament()
    team = team_with_roster()
    _reg, first = register_paid(tournament, team)
    _reg2, second = register_paid(tournament)
    assert first.merchant_order_id != second.merchant_order_id


def test_a_live_checkout_is_reused_for_the_same_registration(
    phonepe_sandbox: SandboxControl,
) -> None:
    registration, payment = register_paid(paid_tournament())
    again = payment_start_entry_fee(actor=registration.registered_by, registration=registration)
    assert again.pk == payment.pk and again.amount == ENTRY_FEE
    assert payment.merchant_order_id.startswith(f"SV-E-{registration.pk}-")
    assert len(phonepe_sandbox.state()["orders"]) == 1


def test_nothing_is_started_when_nothing_is_owed(phonepe_sandbox: SandboxControl) -> None:
    registration, _payment = register_paid(paid_tournament())
    captain = registration.registered_by
    with pytest.raises(NotFound):
        payment_start_entry_fee(actor=UserFactory(), registration=registration)
    Registration.objects.filter(pk=registration.pk).update(status="confirmed", is_paid=True)
    with pytest.raises(AlreadyPaid):
        payment_start_entry_fee(actor=captain, registration=registration)
    Registration.objects.filter(pk=registration.pk).update(status="expired", is_paid=False)
    with pytest.raises(PaymentStateConflict, match="no longer held"):
        payment_start_entry_fee(actor=captain, registration=registration)
    free = TournamentFactory()
    pending = confirm(free, team_with_roster())
    Registration.objects.filter(pk=pending.pk).update(status="pending_payment")
    with pytest.raises(ValidationError, match="no entry fee"):
        payment_start_entry_fee(actor=pending.registered_by, registration=pending)
    assert len(phonepe_sandbox.state()["orders"]) == 1  # only the first registration's


def test_the_plan_fee_counts_when_completed_for_the_current_plan() -> None:
    t = TournamentFactory(status=Tournament.Status.DRAFT, plan="featured")
    assert not plan_fee_paid(t)
    _plan_fee(t, "featured", PS.PENDING)
    _plan_fee(t, "basic", PS.COMPLETED)
    assert not plan_fee_paid(t)
    _plan_fee(t, "featured", PS.COMPLETED)
    assert plan_fee_paid(t)
    t.plan = "premium"  # a changed plan owes its own fee
    assert not plan_fee_paid(t)
