"""billing/phonepe/sandbox/, the local PhonePe sandbox, over real HTTP: PhonePe's shapes and
errors, checkout, webhooks and the test controls."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import httpx
import pytest

from billing.phonepe.sandbox.book import OrderBook
from billing.phonepe.sandbox.config import SandboxConfig
from billing.phonepe.sandbox.remote import SandboxControl
from tests.support.payments import WebhookReceiver, sandbox_credentials_form

AUTH_DIGEST = hashlib.sha256(b"test-callback:test-callback-pw").hexdigest()


def _order(merchant_order_id: str = "SV-S-1", **changes: Any) -> dict[str, Any]:
    body = {
        "merchantOrderId": merchant_order_id,
        "amount": 29900,
        "expireAfter": 1200,
        "paymentFlow": {
            "type": "PG_CHECKOUT",
            "message": "Entry fee",
            "merchantUrls": {"redirectUrl": f"http://merchant.test/return/{merchant_order_id}"},
        },
    }
    return {**body, **changes}


# --- OAuth and authorization -----------------------------------------------------------------


def test_token_shape(phonepe_sandbox: SandboxControl) -> None:
    answer = httpx.post(
        f"{phonepe_sandbox.url}/v1/oauth/token", data=sandbox_credentials_form()
    ).json()
    assert answer["token_type"] == "O-Bearer"
    assert answer["expires_at"] - answer["issued_at"] == 3600
    assert answer["expires_in"] is None


@pytest.mark.parametrize(
    "form",
    [
        sandbox_credentials_form(client_secret="wrong"),
        sandbox_credentials_form(client_id="nobody"),
        sandbox_credentials_form(client_version="2"),
        sandbox_credentials_form(grant_type="password"),
    ],
)
def test_bad_client_is_invalid_client(
    phonepe_sandbox: SandboxControl, form: dict[str, str]
) -> None:
    response = httpx.post(f"{phonepe_sandbox.url}/v1/oauth/token", data=form)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_CLIENT"
    assert response.json()["errorCode"] == "OIM000"


@pytest.mark.parametrize("header", [None, "O-Bearer nope", "Bearer x", ""])
def test_missing_or_bad_bearer_is_authorization_failed(
    phonepe_sandbox: SandboxControl, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = httpx.post(f"{phonepe_sandbox.url}/checkout/v2/pay", json=_order(), headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "success": False,
        "code": "AUTHORIZATION_FAILED",
        "message": "Authorization failed",
        "data": {},
    }
    assert phonepe_sandbox.state()["orders"] == {}


def test_expired_tokens_answer_401(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    assert sandbox_api.post("/checkout/v2/pay", json=_order()).status_code == 200
    phonepe_sandbox.expire_tokens()
    assert sandbox_api.get("/checkout/v2/order/SV-S-1/status").status_code == 401


# --- pay and status --------------------------------------------------------------------------


def test_pay_and_status_shapes(sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl) -> None:
    created = sandbox_api.post("/checkout/v2/pay", json=_order(metaInfo={"udf1": "r:1"})).json()
    assert set(created) == {"orderId", "state", "expireAt", "redirectUrl"}
    assert created["state"] == "PENDING"
    assert created["redirectUrl"] == f"{phonepe_sandbox.url}/checkout/{created['orderId']}"
    assert abs(created["expireAt"] - (time.time() + 1200) * 1000) < 5000

    status = sandbox_api.get("/checkout/v2/order/SV-S-1/status", params={"details": "false"}).json()
    assert status["merchantOrderId"] == "SV-S-1"
    assert status["orderId"] == created["orderId"]
    assert (status["state"], status["amount"], status["metaInfo"]) == (
        "PENDING",
        29900,
        {"udf1": "r:1"},
    )
    assert status["paymentDetails"] == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 99}, "amount"),
        ({"amount": 299.5}, "amount"),
        ({"amount": "29900"}, "amount"),
        ({"expireAfter": 299}, "expireAfter"),
        ({"expireAfter": 3601}, "expireAfter"),
        ({"merchantOrderId": "x" * 64}, "merchantOrderId"),
        ({"merchantOrderId": "bad id!"}, "merchantOrderId"),
        ({"paymentFlow": {"type": "PG"}}, "paymentFlow"),
    ],
)
def test_pay_validation(sandbox_api: httpx.Client, changes: dict[str, Any], message: str) -> None:
    response = sandbox_api.post("/checkout/v2/pay", json=_order(**changes))
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert message in response.json()["message"]


@pytest.mark.parametrize("expire_after", [300, 3600])
def test_expire_after_bounds_are_inclusive(sandbox_api: httpx.Client, expire_after: int) -> None:
    assert (
        sandbox_api.post("/checkout/v2/pay", json=_order(expireAfter=expire_after)).status_code
        == 200
    )


def test_duplicate_order_is_400_and_unknown_order_is_404(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    assert sandbox_api.post("/checkout/v2/pay", json=_order()).status_code == 200
    duplicate = sandbox_api.post("/checkout/v2/pay", json=_order(amount=100))
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "INVALID_TRANSACTION_ID"
    assert phonepe_sandbox.order("SV-S-1")["amount"] == 29900  # the first one stands
    missing = sandbox_api.get("/checkout/v2/order/SV-NOPE/status")
    assert missing.status_code == 404
    assert missing.json()["success"] is False


def test_orders_past_expire_at_are_failed() -> None:
    now = [1_000_000.0]
    book = OrderBook(SandboxConfig(), clock=lambda: now[0])
    book.create_order(_order(expireAfter=300), "http://sandbox")
    assert book.order_status(book.get_order("SV-S-1"))["state"] == "PENDING"
    now[0] += 300
    status = book.order_status(book.get_order("SV-S-1"))
    assert status["state"] == "FAILED"
    assert status["errorCode"] == "TXN_NOT_COMPLETED"


# --- refunds ---------------------------------------------------------------------------------


def _refund(
    sandbox_api: httpx.Client, refund_id: str, amount: int, order: str = "SV-S-1"
) -> httpx.Response:
    body = {"merchantRefundId": refund_id, "originalMerchantOrderId": order, "amount": amount}
    return sandbox_api.post("/payments/v2/refund", json=body)


def test_refunds_need_a_completed_order_and_stay_within_its_amount(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    sandbox_api.post("/checkout/v2/pay", json=_order())
    assert _refund(sandbox_api, "RF-1", 100).status_code == 400  # still PENDING
    assert _refund(sandbox_api, "RF-1", 100, order="SV-NOPE").status_code == 404
    phonepe_sandbox.settle("SV-S-1", webhook="never")

    first = _refund(sandbox_api, "RF-1", 29800)
    assert first.status_code == 200
    assert set(first.json()) == {"refundId", "amount", "state"}
    assert _refund(sandbox_api, "RF-1", 100).json()["code"] == "DUPLICATE_REQUEST"
    assert _refund(sandbox_api, "RF-2", 101).json()["code"] == "REFUND_AMOUNT_EXCEEDED"
    assert _refund(sandbox_api, "RF-2", 100).status_code == 200
    assert _refund(sandbox_api, "RF-3", 1).status_code == 400

    status = sandbox_api.get("/payments/v2/refund/RF-1/status").json()
    assert (status["state"], status["amount"], status["originalMerchantOrderId"]) == (
        "COMPLETED",
        29800,
        "SV-S-1",
    )


# --- faults ----------------------------------------------------------------------------------


def test_injected_500s_are_counted_and_then_stop(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    phonepe_sandbox.fail_next(2, path="/pay")
    assert sandbox_api.post("/checkout/v2/pay", json=_order("A")).status_code == 500
    assert sandbox_api.get("/checkout/v2/order/A/status").status_code == 404  # path filter
    failed = sandbox_api.post("/checkout/v2/pay", json=_order("A"))
    assert failed.json()["code"] == "INTERNAL_SERVER_ERROR"
    assert sandbox_api.post("/checkout/v2/pay", json=_order("A")).status_code == 200


def test_a_hang_outlasts_a_short_timeout_but_still_takes_effect(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    phonepe_sandbox.hang_next(1, seconds=0.5, path="/pay")
    with pytest.raises(httpx.TimeoutException):
        sandbox_api.post("/checkout/v2/pay", json=_order(), timeout=0.1)
    time.sleep(0.6)
    assert phonepe_sandbox.order("SV-S-1")["state"] == "PENDING"


def test_reset_forgets_everything(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    sandbox_api.post("/checkout/v2/pay", json=_order())
    phonepe_sandbox.configure(webhook_mode="never")
    phonepe_sandbox.reset()
    state = phonepe_sandbox.state()
    assert state["orders"] == {} and state["tokens_issued"] == 0
    assert state["config"]["webhook_mode"] == "now"
    assert sandbox_api.get("/checkout/v2/order/SV-S-1/status").status_code == 401  # tokens gone too


# --- checkout page and webhooks --------------------------------------------------------------


def test_checkout_page_renders_pay_and_fail(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl
) -> None:
    created = sandbox_api.post("/checkout/v2/pay", json=_order()).json()
    page = httpx.get(created["redirectUrl"])
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert f'action="/checkout/{created["orderId"]}/pay"' in page.text
    assert f'action="/checkout/{created["orderId"]}/fail"' in page.text
    assert "299.00" in page.text and "SV-S-1" in page.text
    assert httpx.get(f"{phonepe_sandbox.url}/checkout/OMO404").status_code == 404


@pytest.mark.parametrize(
    ("button", "state", "event"),
    [("pay", "COMPLETED", "checkout.order.completed"), ("fail", "FAILED", "checkout.order.failed")],
)
def test_checkout_buttons_settle_redirect_and_post_the_webhook(
    sandbox_api: httpx.Client,
    phonepe_sandbox: SandboxControl,
    webhook_receiver: WebhookReceiver,
    button: str,
    state: str,
    event: str,
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    created = sandbox_api.post("/checkout/v2/pay", json=_order()).json()

    response = httpx.post(f"{created['redirectUrl']}/{button}")

    assert response.status_code == 303
    assert response.headers["location"] == "http://merchant.test/return/SV-S-1"
    assert phonepe_sandbox.order("SV-S-1")["state"] == state
    (received,) = webhook_receiver.wait(1)
    assert received.path == "/api/payments/callback/"
    assert received.headers["authorization"] == AUTH_DIGEST
    assert received.body["event"] == event
    assert received.body["type"] == event.replace(".", "_").upper()
    assert received.body["payload"]["merchantOrderId"] == "SV-S-1"
    assert received.body["payload"]["state"] == state
    assert received.body["payload"]["amount"] == 29900
    # A second click does not settle again or send another webhook.
    httpx.post(f"{created['redirectUrl']}/pay")
    time.sleep(0.2)
    assert len(webhook_receiver.requests) == 1
    assert phonepe_sandbox.order("SV-S-1")["state"] == state


def test_webhook_twice_and_never(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order("TWICE"))
    sandbox_api.post("/checkout/v2/pay", json=_order("NEVER"))

    phonepe_sandbox.settle("TWICE", webhook="twice")
    phonepe_sandbox.settle("NEVER", webhook="never")

    received = webhook_receiver.wait(2)
    time.sleep(0.3)  # room for a wrong third delivery to show up
    assert [r.body["payload"]["merchantOrderId"] for r in webhook_receiver.requests] == [
        "TWICE",
        "TWICE",
    ]
    assert received[0].body == received[1].body
    attempts = {(a["key"], a["status"]) for a in phonepe_sandbox.webhooks()}
    assert attempts == {("TWICE", "delivered"), ("NEVER", "suppressed")}
    assert phonepe_sandbox.order("NEVER")["state"] == "COMPLETED"  # the status API still knows


def test_a_late_webhook_arrives_after_its_delay(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order())
    phonepe_sandbox.settle("SV-S-1", webhook="late", delay=0.6)
    time.sleep(0.3)
    assert webhook_receiver.requests == []
    assert phonepe_sandbox.webhooks()[0]["status"] == "scheduled"
    assert webhook_receiver.wait(1)[0].body["payload"]["state"] == "COMPLETED"


def test_stale_and_mismatched_events_can_be_sent(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order())
    # A "completed" hint for an order the status API still calls PENDING.
    phonepe_sandbox.send_webhook("SV-S-1", event="checkout.order.completed")
    # Settled as failed, then an out-of-order "completed" with another amount.
    phonepe_sandbox.settle("SV-S-1", "FAILED")
    phonepe_sandbox.send_webhook(
        "SV-S-1", event="checkout.order.completed", payload={"amount": 100}
    )
    received = webhook_receiver.wait(3)
    # Deliveries run concurrently, so they may land in any order (as PhonePe's may).
    assert sorted((r.body["event"], r.body["payload"]["state"]) for r in received) == [
        ("checkout.order.completed", "COMPLETED"),
        ("checkout.order.completed", "COMPLETED"),
        ("checkout.order.failed", "FAILED"),
    ]
    amounts = sorted(
        r.body["payload"]["amount"] for r in received if r.body["event"].endswith("completed")
    )
    assert amounts[0] == 100 and amounts[1] != 100
    assert sandbox_api.get("/checkout/v2/order/SV-S-1/status").json()["state"] == "FAILED"


def test_settle_with_an_amount_override_reports_that_amount(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order())
    phonepe_sandbox.settle("SV-S-1", amount=100)
    assert webhook_receiver.wait(1)[0].body["payload"]["amount"] == 100
    assert sandbox_api.get("/checkout/v2/order/SV-S-1/status").json()["amount"] == 100


def test_refund_webhooks(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order())
    phonepe_sandbox.settle("SV-S-1", webhook="never")
    _refund(sandbox_api, "RF-1", 29900)
    (received,) = webhook_receiver.wait(1)
    assert received.body["event"] == "pg.refund.completed"
    assert received.body["payload"]["merchantRefundId"] == "RF-1"
    assert received.headers["authorization"] == AUTH_DIGEST


def test_failed_deliveries_are_logged(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    webhook_receiver.status = 500
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order())
    phonepe_sandbox.settle("SV-S-1")
    (attempt,) = phonepe_sandbox.wait_for_webhooks(1)
    assert (attempt["status"], attempt["http_status"]) == ("rejected", 500)
    assert attempt["url"] == webhook_receiver.url


def test_expire_control_fails_the_order_and_sends_the_failed_event(
    sandbox_api: httpx.Client, phonepe_sandbox: SandboxControl, webhook_receiver: WebhookReceiver
) -> None:
    phonepe_sandbox.configure(callback_url=webhook_receiver.url)
    sandbox_api.post("/checkout/v2/pay", json=_order())
    phonepe_sandbox.expire("SV-S-1")
    assert webhook_receiver.wait(1)[0].body["event"] == "checkout.order.failed"
    assert sandbox_api.get("/checkout/v2/order/SV-S-1/status").json()["state"] == "FAILED"
