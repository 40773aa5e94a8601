"""billing/services/reconcile.py against the PhonePe sandbox over real HTTP: a lost webhook is
made good by polling when it is due, polling backs off and an abandoned checkout expires (freeing
the hold), and a late payment with a free seat still gets it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import Payment, Refund
from billing.phonepe.sandbox.remote import SandboxControl
from billing.services.reconcile import payments_reconcile
from core.models import Registration
from tests.support.payments import emails_of_kind, paid_tournament, register_paid

pytestmark = pytest.mark.django_db(transaction=True)
PS = Payment.State
RS = Registration.Status


def test_lost_webhook_reconciliation_completes(phonepe_sandbox: SandboxControl) -> None:
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")

    early = payments_reconcile(now=timezone.now())  # not due yet: nobody asks PhonePe
    assert early["checked"] == 0
    counts = payments_reconcile(now=timezone.now() + timedelta(seconds=26))
    assert (counts["checked"], counts["completed"]) == (1, 1)
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert (payment.state, registration.status) == (PS.COMPLETED, RS.CONFIRMED)
    assert len(emails_of_kind("receipt")) == 1
    again = payments_reconcile(now=timezone.now() + timedelta(hours=1))
    assert again["checked"] == 0  # terminal: no longer polled


def test_reconciliation_backs_off_then_expires_and_frees_the_hold(
    phonepe_sandbox: SandboxControl,
) -> None:
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    now = timezone.now()
    payments_reconcile(now=now + timedelta(seconds=26))  # still pending at PhonePe
    payment.refresh_from_db()
    assert (payment.state, payment.check_count) == (PS.PENDING, 1)
    gap1 = payment.next_check_at - (now + timedelta(seconds=26))
    payments_reconcile(now=payment.next_check_at)
    payment.refresh_from_db()
    gap2 = payment.next_check_at - payment.updated_at
    assert payment.check_count == 2 and gap1 < gap2  # growing gaps

    phonepe_sandbox.expire(payment.merchant_order_id, webhook="never")  # abandoned checkout
    counts = payments_reconcile(now=payment.next_check_at)
    assert counts["expired"] == 1
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert (payment.state, registration.status) == (PS.EXPIRED, RS.EXPIRED)
    assert emails_of_kind("receipt") == []


def test_paid_after_the_hold_lapsed_with_a_free_seat_gets_it(
    phonepe_sandbox: SandboxControl,
) -> None:
    tournament = paid_tournament(max_teams=2)
    registration, payment = register_paid(tournament)
    Registration.objects.filter(pk=registration.pk).update(hold_expires_at=timezone.now())
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    registration.refresh_from_db()
    payment.refresh_from_db()
    assert (registration.status, payment.state) == (RS.CONFIRMED, PS.COMPLETED)
    assert Refund.objects.count() == 0
