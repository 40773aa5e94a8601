"""billing/services/webhooks.py: the paid registration story against the PhonePe sandbox over
real HTTP. The sandbox's webhooks reach this Django app running under a live server, which asks
the sandbox's order status API before anything counts; repeats count once, a bad signature
changes nothing, and a webhook the status API contradicts counts for nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail

from billing.models import Payment, WebhookReceipt
from billing.phonepe.sandbox.remote import SandboxControl
from core.models import Notification, Registration
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


def test_register_pay_webhook_confirms_once(
    phonepe_sandbox: SandboxControl, live_server: Any
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    assert payment.state == PS.PENDING
    assert phonepe_sandbox.order(payment.merchant_order_id)["amount"] == 5000

    phonepe_sandbox.settle(payment.merchant_order_id)  # the user pays; one webhook now
    [attempt] = phonepe_sandbox.wait_for_webhooks(1)
    assert (attempt["status"], attempt["http_status"]) == ("delivered", 200)

    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.state == PS.COMPLETED and payment.completed_at is not None
    assert (registration.status, registration.is_paid) == (RS.CONFIRMED, True)
    # One receipt (payment.receipt: the payer) and one confirmation per rostered player.
    roster = sorted(registration.players.values_list("user__email", flat=True))
    assert len(emails_of_kind("receipt")) == 1
    assert sorted(m.to[0] for m in emails_of_kind("confirmed")) == roster
    assert emails_of_kind("receipt")[0].to == [registration.registered_by.email]
    assert emails_of_kind("receipt")[0].extra_headers["List-Unsubscribe-Post"]
    note = Notification.objects.get(kind="payment.receipt")
    assert (note.user, note.data["payment"]) == (payment.user, payment.merchant_order_id)
    assert "₹50.00" in emails_of_kind("receipt")[0].body
    receipt = WebhookReceipt.objects.get()
    assert (receipt.outcome, receipt.merchant_order_id) == ("completed", payment.merchant_order_id)


def test_same_webhook_ten_times_in_a_row(phonepe_sandbox: SandboxControl, live_server: Any) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament()
    _registration, payment = register_paid(tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    for sent in range(1, 11):
        phonepe_sandbox.send_webhook(payment.merchant_order_id)
        done = phonepe_sandbox.wait_for_webhooks(sent)
        assert done[-1]["http_status"] == 200

    assert Payment.objects.filter(state=PS.COMPLETED).count() == 1
    assert confirmed_count(tournament) == 1
    assert len(emails_of_kind("receipt")) == 1 and len(emails_of_kind("confirmed")) == 4
    assert Notification.objects.filter(kind="payment.receipt").count() == 1
    receipt = WebhookReceipt.objects.get()  # stored once
    assert receipt.duplicates == 9
    status_calls = phonepe_sandbox.calls("/checkout/v2/order/")
    assert len(status_calls) == 1  # repeats of a settled order are not even checked again


@pytest.mark.postgres
def test_same_webhook_ten_times_at_once(phonepe_sandbox: SandboxControl, live_server: Any) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    phonepe_sandbox.send_webhook(payment.merchant_order_id, times=10)  # concurrently
    done = phonepe_sandbox.wait_for_webhooks(10, timeout=30)
    assert [a["http_status"] for a in done] == [200] * 10

    assert Payment.objects.filter(state=PS.COMPLETED).count() == 1
    registration.refresh_from_db()
    assert registration.status == RS.CONFIRMED
    assert confirmed_count(tournament) == 1
    # One receipt, and one confirmation per rostered player (4), however many webhooks raced.
    roster = registration.players.count()
    assert len(emails_of_kind("receipt")) == 1 and len(emails_of_kind("confirmed")) == roster == 4
    assert WebhookReceipt.objects.count() == 1


def test_bad_or_missing_authorization_is_401_and_changes_nothing(
    phonepe_sandbox: SandboxControl, live_server: Any
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    phonepe_sandbox.configure(callback_password="not-our-password")
    phonepe_sandbox.settle(payment.merchant_order_id)
    [attempt] = phonepe_sandbox.wait_for_webhooks(1)
    assert (attempt["status"], attempt["http_status"]) == ("rejected", 401)

    client = client_as(registration.registered_by)
    body = attempt["body"]
    missing = client.post("/api/payments/callback/", body, format="json")
    wrong = client.post(
        "/api/payments/callback/", body, format="json", HTTP_AUTHORIZATION="ab" * 32
    )
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert set(response.json()) == {"code", "message", "details"}

    assert WebhookReceipt.objects.count() == 0
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert (payment.state, registration.status) == (PS.PENDING, RS.PENDING_PAYMENT)
    assert mail.outbox == []


@pytest.mark.parametrize("actual", ["pending", "failed", "other_amount"])
def test_webhook_claims_completed_but_status_disagrees(
    phonepe_sandbox: SandboxControl, live_server: Any, caplog: Any, actual: str
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    moid = payment.merchant_order_id
    if actual == "failed":
        phonepe_sandbox.settle(moid, "FAILED", webhook="never")
    elif actual == "other_amount":
        phonepe_sandbox.settle(moid, amount=100, webhook="never")  # PhonePe took ₹1
    caplog.set_level(logging.WARNING)
    phonepe_sandbox.send_webhook(moid, event="checkout.order.completed", payload={"amount": 5000})
    [attempt] = phonepe_sandbox.wait_for_webhooks(1)
    assert attempt["http_status"] == 200  # answered, but it counts for nothing

    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.state != PS.COMPLETED and payment.completed_at is None
    assert registration.status != RS.CONFIRMED and not registration.is_paid
    assert emails_of_kind("receipt") == [] and emails_of_kind("confirmed") == []
    assert "does not confirm" in caplog.text
    if actual == "failed":  # the failure itself is real: the seat hold is released
        assert (payment.state, registration.status) == (PS.FAILED, RS.EXPIRED)
    else:
        assert (payment.state, registration.status) == (PS.PENDING, RS.PENDING_PAYMENT)
    if actual == "other_amount":
        assert "does not match" in caplog.text
