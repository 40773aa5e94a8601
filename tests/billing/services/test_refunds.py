"""Reconciliation, late payments for lost seats, and refunds (withdrawal, cancellation), against
the PhonePe sandbox over real HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from billing.models import Payment, Refund
from billing.services.reconcile import payments_reconcile
from core.models import Registration
from core.services.tournaments import tournament_cancel
from tests.core.tourney_helpers import fast_passwords  # noqa: F401 (fixture)
from tests.factories import captain_of, team_with_roster

from .payment_helpers import (
    as_user,
    confirmed_count,
    emails,
    paid_tournament,
    point_callback_at,
    register,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_passwords"),
]
PS = Payment.State
RS = Registration.Status


def test_lost_webhook_reconciliation_completes(phonepe_sandbox) -> None:
    tournament = paid_tournament()
    registration, payment = register(tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")

    early = payments_reconcile(now=timezone.now())  # not due yet: nobody asks PhonePe
    assert early["checked"] == 0
    counts = payments_reconcile(now=timezone.now() + timedelta(seconds=26))
    assert (counts["checked"], counts["completed"]) == (1, 1)
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert (payment.state, registration.status) == (PS.COMPLETED, RS.CONFIRMED)
    assert len(emails("receipt")) == 1
    again = payments_reconcile(now=timezone.now() + timedelta(hours=1))
    assert again["checked"] == 0  # terminal: no longer polled


def test_reconciliation_backs_off_then_expires_and_frees_the_hold(phonepe_sandbox) -> None:
    tournament = paid_tournament()
    registration, payment = register(tournament)
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
    assert emails("receipt") == []


def test_paid_after_the_seat_was_released_and_the_event_filled_is_refunded(
    phonepe_sandbox, live_server
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament(max_teams=2)
    late, late_payment = register(tournament)
    # The hold lapses; two other teams take both seats and pay.
    Registration.objects.filter(pk=late.pk).update(hold_expires_at=timezone.now())
    for _ in range(2):
        _reg, other = register(tournament)
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
    assert len(emails("refund")) == 1


def test_paid_after_the_hold_lapsed_with_a_free_seat_gets_it(phonepe_sandbox) -> None:
    tournament = paid_tournament(max_teams=2)
    registration, payment = register(tournament)
    Registration.objects.filter(pk=registration.pk).update(hold_expires_at=timezone.now())
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    registration.refresh_from_db()
    payment.refresh_from_db()
    assert (registration.status, payment.state) == (RS.CONFIRMED, PS.COMPLETED)
    assert Refund.objects.count() == 0


def _paid_registrations(sandbox, tournament, count):  # type: ignore[no-untyped-def]
    paid = []
    for _ in range(count):
        registration, payment = register(tournament)
        sandbox.settle(payment.merchant_order_id, webhook="never")
        paid.append((registration, payment))
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    assert Payment.objects.filter(state=PS.COMPLETED).count() == count
    return paid


def test_withdrawal_before_close_refunds_the_entry_fee(phonepe_sandbox) -> None:
    tournament = paid_tournament()
    [(registration, payment)] = _paid_registrations(phonepe_sandbox, tournament, 1)
    response = as_user(captain_of(registration.team)).post(
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
    assert len(emails("refund")) == 1


def test_cancel_retried_refunds_each_payment_once(phonepe_sandbox) -> None:
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
    assert len(emails("refund")) == 3


@pytest.mark.postgres
def test_cancel_run_concurrently_refunds_each_payment_once(phonepe_sandbox) -> None:
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
    assert len(emails("refund")) == 3


def test_a_payment_completing_after_cancel_is_refunded(phonepe_sandbox) -> None:
    tournament = paid_tournament()
    registration, payment = register(tournament)
    tournament_cancel(actor=tournament.host, tournament=tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    payment.refresh_from_db()
    assert payment.state == PS.REFUNDED
    assert Registration.objects.get(pk=registration.pk).status != RS.CONFIRMED


def test_second_team_registration_of_same_tournament_uses_its_own_order(phonepe_sandbox) -> None:
    tournament = paid_tournament()
    team = team_with_roster()
    _reg, first = register(tournament, team)
    _reg2, second = register(tournament)
    assert first.merchant_order_id != second.merchant_order_id
