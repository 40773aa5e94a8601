"""billing/services/refunds.py against the PhonePe sandbox over real HTTP: a payment that arrives
for a lost seat, a withdrawal before registration closes, a cancelled tournament (retried or
run concurrently, each payment refunded once), a payment completing after the cancel."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from billing.models import Payment, Refund
from billing.phonepe.sandbox.remote import SandboxControl
from billing.services.reconcile import payments_reconcile
from core.models import Notification, Registration, Tournament
from core.services.tournaments import tournament_cancel
from tests.factories import captain_of
from tests.support.api import client_as
from tests.support.payments import (
    confirmed_count,
    emails_of_kind,
    paid_tournament,
    point_callback_at,
    register_paid,
)

pytestmark = pytest.mark.django_db(transaction=True)
PS = Payment.State
RS = Registration.Status


def test_paid_after_the_seat_was_released_and_the_event_filled_is_refunded(
    phonepe_sandbox: SandboxControl, live_server: Any
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament(max_teams=2)
    late, late_payment = register_paid(tournament)
    # The hold lapses; two other teams take both seats and pay.
    Registration.objects.filter(pk=late.pk).update(hold_expires_at=timezone.now())
    for _ in range(2):
        _reg, other = register_paid(tournament)
        phonepe_sandbox.settle(other.merchant_order_id, webhook="never")
        payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    assert confirmed_count(tournament) == 2
    late.refresh_from_db()
    assert late.status == RS.EXPIRED

    phonepe_sandbox.settle(late_payment.merchant_order_id)  # the late team pays anyway
    phonepe_sandbox.wait_for_webhooks(1)
    late_payment.refresh_from_db()
    late.refresh_from_db()
    assert late_payment.state == PS.REFUNDED
    assert "No seat" in late_payment.refund_reason
    assert late.status == RS.EXPIRED
    assert confirmed_count(tournament) == 2  # no oversell
    refunds = phonepe_sandbox.state()["refunds"]
    assert [r["originalMerchantOrderId"] for r in refunds.values()] == [
        late_payment.merchant_order_id
    ]
    assert len(emails_of_kind("refund")) == 1


def _paid_registrations(
    sandbox: SandboxControl, tournament: Tournament, count: int
) -> list[tuple[Registration, Payment]]:
    """`count` registrations paid at PhonePe and found so by reconciliation."""
    paid = []
    for _ in range(count):
        registration, payment = register_paid(tournament)
        sandbox.settle(payment.merchant_order_id, webhook="never")
        paid.append((registration, payment))
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    assert Payment.objects.filter(state=PS.COMPLETED).count() == count
    return paid


def test_withdrawal_before_close_refunds_the_entry_fee(phonepe_sandbox: SandboxControl) -> None:
    tournament = paid_tournament()
    [(registration, payment)] = _paid_registrations(phonepe_sandbox, tournament, 1)
    response = client_as(captain_of(registration.team)).post(
        f"/api/tournaments/{tournament.pk}/withdraw/", {}, format="json"
    )
    assert response.status_code == 200, response.json()
    payment.refresh_from_db()
    refund = payment.refunds.get()
    # Accepted at once (PhonePe answers PENDING); reconciliation follows it to the end.
    assert (payment.state, refund.state, refund.amount) == (PS.REFUNDED, "pending", 5000)
    payments_reconcile(now=timezone.now())
    refund.refresh_from_db()
    assert refund.state == "completed"
    assert refund.merchant_refund_id == f"RF-{payment.merchant_order_id}"
    assert len(emails_of_kind("refund")) == 1
    note = Notification.objects.get(kind="payment.refund")  # in-app too, for the payer
    assert (note.user, note.data["refund"]) == (payment.user, refund.merchant_refund_id)


def test_cancel_retried_refunds_each_payment_once(phonepe_sandbox: SandboxControl) -> None:
    tournament = paid_tournament()
    paid = _paid_registrations(phonepe_sandbox, tournament, 3)
    for _ in range(3):
        tournament_cancel(actor=tournament.host, tournament=tournament, reason="Server outage")
    payments_reconcile(now=timezone.now() + timedelta(minutes=5))
    refunds = phonepe_sandbox.state()["refunds"]
    assert sorted(r["originalMerchantOrderId"] for r in refunds.values()) == sorted(
        p.merchant_order_id for _r, p in paid
    )
    assert Refund.objects.count() == 3
    assert set(Payment.objects.values_list("state", flat=True)) == {PS.REFUNDED}
    assert len(emails_of_kind("refund")) == 3


@pytest.mark.postgres
def test_cancel_run_concurrently_refunds_each_payment_once(phonepe_sandbox: SandboxControl) -> None:
    tournament = paid_tournament()
    paid = _paid_registrations(phonepe_sandbox, tournament, 3)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def cancel() -> None:
        try:
            barrier.wait(timeout=10)
            tournament_cancel(actor=tournament.host, tournament=tournament, reason="Rain")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    refunds = phonepe_sandbox.state()["refunds"]
    assert len(refunds) == 3  # PhonePe saw one refund per payment
    assert sorted(r["originalMerchantOrderId"] for r in refunds.values()) == sorted(
        p.merchant_order_id for _r, p in paid
    )
    assert Refund.objects.count() == 3
    assert set(Payment.objects.values_list("state", flat=True)) == {PS.REFUNDED}
    assert len(emails_of_kind("refund")) == 3


def test_a_payment_completing_after_cancel_is_refunded(phonepe_sandbox: SandboxControl) -> None:
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    tournament_cancel(actor=tournament.host, tournament=tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    payment.refresh_from_db()
    assert payment.state == PS.REFUNDED
    assert Registration.objects.get(pk=registration.pk).status != RS.CONFIRMED
