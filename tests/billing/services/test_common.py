"""billing/services/common.py's `payment_moved`: every committed payment state change is
counted in /metrics by the state entered (created → pending → completed → refunded here, over
the PhonePe sandbox), and a rolled-back one is not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from billing.models import Payment
from billing.phonepe.sandbox.remote import SandboxControl
from billing.services.common import payment_moved
from billing.services.reconcile import payments_reconcile
from core.observability.metrics import exposition
from core.services.tournaments import tournament_cancel
from tests.support.metrics import Samples, parse, value
from tests.support.payments import paid_tournament, register_paid

pytestmark = pytest.mark.django_db(transaction=True)
PS = Payment.State
MOVES = "scrimverse_payment_transitions_total"


def samples() -> Samples:
    return parse(exposition()[0].decode())


def moved(before: Samples, state: str) -> float:
    return value(samples(), MOVES, state=state) - value(before, MOVES, state=state)


def test_a_payment_paid_then_refunded_counts_each_state_it_entered(
    phonepe_sandbox: SandboxControl,
) -> None:
    before = samples()
    tournament = paid_tournament()
    _registration, payment = register_paid(tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    assert Payment.objects.get(pk=payment.pk).state == PS.COMPLETED
    tournament_cancel(actor=tournament.host, tournament=tournament, reason="Rain")
    assert Payment.objects.get(pk=payment.pk).state == PS.REFUNDED
    counts = {s: moved(before, s) for s in (PS.CREATED, PS.PENDING, PS.COMPLETED, PS.REFUNDED)}
    assert counts == {PS.CREATED: 1, PS.PENDING: 1, PS.COMPLETED: 1, PS.REFUNDED: 1}
    assert moved(before, PS.FAILED) == 0


def test_a_rolled_back_transition_is_not_counted() -> None:
    before = samples()
    with pytest.raises(RuntimeError), transaction.atomic():
        payment_moved(PS.FAILED)
        raise RuntimeError("roll back")
    assert moved(before, PS.FAILED) == 0
    with transaction.atomic():
        assert payment_moved(PS.FAILED, 2) == 2
        assert moved(before, PS.FAILED) == 0  # not before commit
    assert moved(before, PS.FAILED) == 2
    assert payment_moved(PS.FAILED, 0) == 0
    assert moved(before, PS.FAILED) == 2
