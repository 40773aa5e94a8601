"""billing/phonepe/types.py: lenient parsing of PhonePe's answers: unknown fields ignored,
money strict."""

from __future__ import annotations

import pytest

from billing.phonepe import (
    AccessToken,
    OrderState,
    OrderStatus,
    PayResponse,
    PhonePeBadResponse,
    RefundState,
    RefundStatus,
    WebhookEvent,
)

STATUS = {
    "merchantId": "M1",
    "merchantOrderId": "SV-1",
    "orderId": "OMO1",
    "state": "COMPLETED",
    "amount": 29900,
    "payableAmount": 29900,
    "feeAmount": 0,
    "expireAt": 1709803425841,
    "metaInfo": {"udf1": "registration:1"},
    "paymentDetails": [
        {
            "transactionId": "OM1",
            "paymentMode": "UPI_QR",
            "timestamp": 1709803400000,
            "amount": 29900,
            "state": "COMPLETED",
            "rail": {"type": "UPI", "utr": "123", "brandNewField": {"x": 1}},
            "splitInstruments": [{"whatever": True}],
        }
    ],
    "someFieldPhonePeAddsNextYear": [1, 2, 3],
}


def test_order_status_ignores_unknown_fields() -> None:
    status = OrderStatus.from_json(STATUS)
    assert status.state is OrderState.COMPLETED
    assert status.amount == 29900
    assert status.meta_info == {"udf1": "registration:1"}
    assert status.payment_details[0].payment_mode == "UPI_QR"
    assert status.expire_at is not None and status.expire_at.year == 2024
    assert status.confirms(merchant_order_id="SV-1", amount=29900)


def test_missing_optional_fields_are_none() -> None:
    status = OrderStatus.from_json({"state": "PENDING", "merchantOrderId": "SV-1"})
    assert status.amount is None
    assert status.payment_details == ()
    assert status.meta_info == {}
    assert not status.confirms(merchant_order_id="SV-1", amount=100)


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        ("COMPLETED", OrderState.COMPLETED),
        ("FAILED", OrderState.FAILED),
        ("EXPIRED", OrderState.FAILED),  # docs/payments.md: treat EXPIRED as failed
        ("PENDING", OrderState.PENDING),
        ("SOMETHING_NEW", OrderState.PENDING),  # unknown never counts as paid
        (None, OrderState.PENDING),
    ],
)
def test_order_states(raw: str | None, state: OrderState) -> None:
    status = OrderStatus.from_json({**STATUS, "state": raw})
    assert status.state is state
    assert status.raw_state == raw


@pytest.mark.parametrize("amount", [299.0, "29900", True])
def test_amounts_that_are_not_integer_paise_are_rejected(amount: object) -> None:
    with pytest.raises(PhonePeBadResponse):
        OrderStatus.from_json({**STATUS, "amount": amount})


def test_responses_without_their_ids_are_rejected() -> None:
    with pytest.raises(PhonePeBadResponse):
        PayResponse.from_json({"state": "PENDING"})
    with pytest.raises(PhonePeBadResponse):
        AccessToken.from_json({"expires_at": 1})
    with pytest.raises(PhonePeBadResponse):
        OrderStatus.from_json(["not", "an", "object"])


def test_pay_and_token_parse_with_extras() -> None:
    pay = PayResponse.from_json(
        {"orderId": "OMO1", "state": "PENDING", "expireAt": 1, "redirectUrl": "u", "x": 1}
    )
    assert (pay.order_id, pay.state, pay.redirect_url) == ("OMO1", OrderState.PENDING, "u")
    token = AccessToken.from_json(
        {"access_token": "t", "expires_in": None, "issued_at": 10, "expires_at": 20, "new": 1}
    )
    assert (token.access_token, token.issued_at, token.expires_at) == ("t", 10, 20)


def test_refund_states() -> None:
    status = RefundStatus.from_json({"merchantRefundId": "RF", "amount": 100, "state": "WHO"})
    assert status.state is RefundState.PENDING
    assert not status.state.is_terminal
    assert RefundState.parse("FAILED").is_terminal


def test_webhook_events_dispatch_on_event_not_type() -> None:
    order_event = WebhookEvent.from_json(
        {"event": "checkout.order.completed", "type": "SOMETHING_ELSE", "payload": STATUS}
    )
    assert order_event.order is not None and order_event.refund is None
    assert order_event.order.state is OrderState.COMPLETED
    refund_event = WebhookEvent.from_json(
        {
            "event": "pg.refund.completed",
            "payload": {"merchantRefundId": "RF", "state": "COMPLETED"},
        }
    )
    assert refund_event.refund is not None and refund_event.refund.state is RefundState.COMPLETED
    unknown = WebhookEvent.from_json({"event": "subscription.paused", "payload": {}})
    assert unknown.order is None and unknown.refund is None
    with pytest.raises(PhonePeBadResponse):
        WebhookEvent.from_json({"payload": STATUS})
