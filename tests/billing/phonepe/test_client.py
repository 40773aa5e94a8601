"""billing/phonepe/client.py and http.py against the local sandbox over real HTTP (no mocks of
the client): base URLs, the shared token, retries, orders, refunds, webhook credentials."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest
from django.core.cache import cache

from billing.phonepe import (
    OrderState,
    PayResponse,
    PhonePeClient,
    PhonePeError,
    PhonePeNotFound,
    PhonePeOrderExists,
    PhonePeUnavailable,
    RefundState,
    callback_authorization_ok,
)
from billing.phonepe.sandbox.remote import SandboxControl


def _pay(
    phonepe: PhonePeClient, merchant_order_id: str = "SV-T-1", amount: int = 29900
) -> PayResponse:
    return phonepe.pay(
        merchant_order_id=merchant_order_id,
        amount=amount,
        redirect_url=f"http://testserver/payments/return/{merchant_order_id}",
        message="Entry fee",
        meta_info={"udf1": "registration:1"},
    )


# --- settings and base URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "pg", "oauth"),
    [
        (
            "sandbox",
            "https://api-preprod.phonepe.com/apis/pg-sandbox",
            "https://api-preprod.phonepe.com/apis/pg-sandbox",
        ),
        (
            "production",
            "https://api.phonepe.com/apis/pg",
            "https://api.phonepe.com/apis/identity-manager",
        ),
        ("local", "http://127.0.0.1:8999", "http://127.0.0.1:8999"),
    ],
)
def test_base_urls_follow_the_environment_setting(
    settings: Any, env: str, pg: str, oauth: str
) -> None:
    settings.PHONEPE_ENV = env
    settings.PHONEPE_LOCAL_URL = "http://127.0.0.1:8999/"
    with PhonePeClient.from_settings() as phonepe:
        assert (phonepe.pg_url, phonepe.oauth_url) == (pg, oauth)


def test_the_token_cache_key_separates_environments_and_clients(settings: Any) -> None:
    settings.PHONEPE_ENV = "sandbox"
    with PhonePeClient.from_settings() as a, PhonePeClient.from_settings(client_id="OTHER") as b:
        assert a.token_cache_key != b.token_cache_key
        settings.PHONEPE_ENV = "production"
        with PhonePeClient.from_settings() as c:
            assert c.token_cache_key != a.token_cache_key


# --- token -----------------------------------------------------------------------------------


def test_token_is_fetched_once_and_shared_through_the_cache(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    phonepe_client.order_status("SV-T-1")
    # Another worker process: a new phonepe_client, same shared cache.
    with PhonePeClient.from_settings() as other:
        other.order_status("SV-T-1")
    assert len(phonepe_sandbox.calls("/v1/oauth/token")) == 1
    assert phonepe_sandbox.state()["tokens_issued"] == 1
    assert cache.get(phonepe_client.token_cache_key)["token"]["access_token"]


def test_token_is_refreshed_a_few_minutes_before_it_expires(
    phonepe_sandbox: SandboxControl,
) -> None:
    with PhonePeClient.from_settings() as phonepe:
        first = phonepe.get_token()
        assert phonepe.get_token() == first
    # 3500 s later the 3600 s token is inside the 180 s refresh margin.
    with PhonePeClient.from_settings(clock=lambda: time.time() + 3500) as later:
        refreshed = later.get_token()
        assert refreshed.access_token != first.access_token
        _pay(later)  # the new token works
    assert phonepe_sandbox.state()["tokens_issued"] == 2


def test_a_401_refreshes_the_token_once_and_retries_once(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    stale = phonepe_client.get_token()
    phonepe_sandbox.expire_tokens()  # PhonePe revoked it before its expires_at

    status = phonepe_client.order_status("SV-T-1")

    assert status.state is OrderState.PENDING
    statuses = [c["status"] for c in phonepe_sandbox.calls("/status")]
    assert statuses == [401, 200]
    assert len(phonepe_sandbox.calls("/v1/oauth/token")) == 2
    assert phonepe_client.get_token().access_token != stale.access_token


def test_a_second_401_is_an_error_not_a_loop(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    phonepe_sandbox.configure(token_ttl=0)  # every new token is born expired
    phonepe_sandbox.expire_tokens()
    with pytest.raises(PhonePeError) as caught:
        phonepe_client.order_status("SV-T-1")
    assert caught.value.code == "AUTHORIZATION_FAILED"
    assert caught.value.http_status == 401
    assert [c["status"] for c in phonepe_sandbox.calls("/status")] == [401, 401]


def test_wrong_client_credentials_fail_fast_with_invalid_client(
    phonepe_sandbox: SandboxControl,
) -> None:
    with (
        PhonePeClient.from_settings(client_secret="wrong") as phonepe,
        pytest.raises(PhonePeError) as caught,
    ):
        phonepe.order_status("SV-T-1")
    assert (caught.value.code, caught.value.http_status) == ("INVALID_CLIENT", 400)
    assert len(phonepe_sandbox.calls("/v1/oauth/token")) == 1  # a 4xx is not retried


# --- retries ---------------------------------------------------------------------------------


def test_a_500_is_retried_and_the_call_succeeds(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    phonepe_sandbox.fail_next(1, path="/status")
    assert phonepe_client.order_status("SV-T-1").state is OrderState.PENDING
    assert [c["status"] for c in phonepe_sandbox.calls("/status")] == [500, 200]


def test_a_429_is_retried_too(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    phonepe_sandbox.fail_next(2, status=429, path="/status")
    assert phonepe_client.order_status("SV-T-1").merchant_order_id == "SV-T-1"
    assert [c["status"] for c in phonepe_sandbox.calls("/status")] == [429, 429, 200]


def test_a_timeout_is_retried_and_the_call_succeeds(phonepe_sandbox: SandboxControl) -> None:
    with PhonePeClient.from_settings(timeout=0.3) as phonepe:
        _pay(phonepe)
        phonepe_sandbox.hang_next(1, seconds=1.0, path="/status")
        started = time.monotonic()
        assert phonepe.order_status("SV-T-1").state is OrderState.PENDING
        assert time.monotonic() - started >= 0.3


def test_500_forever_gives_up_after_the_bounded_attempts(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    phonepe_sandbox.fail_next(50, path="/status")
    with pytest.raises(PhonePeUnavailable) as caught:
        phonepe_client.order_status("SV-T-1")
    assert caught.value.attempts == 3
    assert caught.value.http_status == 500
    assert len(phonepe_sandbox.calls("/status")) == 3


def test_an_unreachable_host_is_unavailable(settings: Any) -> None:
    settings.PHONEPE_ENV = "local"
    settings.PHONEPE_LOCAL_URL = "http://127.0.0.1:9"  # discard port: connection refused
    settings.PHONEPE_RETRY_BACKOFF_SECONDS = 0.01
    with PhonePeClient.from_settings() as phonepe, pytest.raises(PhonePeUnavailable) as caught:
        phonepe.get_token()
    assert caught.value.attempts == 3
    assert "ConnectError" in str(caught.value)


def test_a_pay_whose_answer_was_lost_reports_the_order_it_created(
    phonepe_sandbox: SandboxControl,
) -> None:
    # First attempt times out but lands; the retry meets "duplicate merchantOrderId".
    with PhonePeClient.from_settings(timeout=0.3, backoff=1.0) as phonepe:
        phonepe.get_token()
        phonepe_sandbox.hang_next(1, seconds=0.6, path="/checkout/v2/pay")
        with pytest.raises(PhonePeOrderExists) as caught:
            _pay(phonepe, "SV-LOST-1", amount=49900)
    status = caught.value.status
    assert status is not None
    assert status.state is OrderState.PENDING
    assert status.merchant_order_id == "SV-LOST-1"
    assert status.amount == 49900
    assert len(phonepe_sandbox.state()["orders"]) == 1


def test_a_duplicate_pay_on_the_first_attempt_is_a_plain_error(
    phonepe_client: PhonePeClient,
) -> None:
    _pay(phonepe_client)
    with pytest.raises(PhonePeError) as caught:
        _pay(phonepe_client)
    assert not isinstance(caught.value, PhonePeOrderExists)
    assert caught.value.http_status == 400


# --- orders ----------------------------------------------------------------------------------


def test_pay_then_settle_then_status_is_completed(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    created = _pay(phonepe_client)
    assert created.state is OrderState.PENDING
    assert created.redirect_url == f"{phonepe_sandbox.url}/checkout/{created.order_id}"
    assert created.expire_at is not None

    pending = phonepe_client.order_status("SV-T-1")
    assert pending.state is OrderState.PENDING
    assert not pending.confirms(merchant_order_id="SV-T-1", amount=29900)

    phonepe_sandbox.settle("SV-T-1", "COMPLETED", webhook="never")
    done = phonepe_client.order_status("SV-T-1")
    assert done.state is OrderState.COMPLETED
    assert done.order_id == created.order_id
    assert done.meta_info == {"udf1": "registration:1"}
    assert done.payment_details[0].amount == 29900
    assert done.confirms(merchant_order_id="SV-T-1", amount=29900)
    assert not done.confirms(merchant_order_id="SV-T-1", amount=49900)


def test_a_status_with_another_amount_does_not_confirm(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    phonepe_sandbox.settle("SV-T-1", amount=100, webhook="never")
    status = phonepe_client.order_status("SV-T-1")
    assert status.state is OrderState.COMPLETED
    assert status.amount == 100
    assert not status.confirms(merchant_order_id="SV-T-1", amount=29900)


def test_failed_and_expired_orders_read_as_failed(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client, "SV-F-1")
    _pay(phonepe_client, "SV-E-1")
    phonepe_sandbox.settle("SV-F-1", "FAILED", webhook="never")
    phonepe_sandbox.expire("SV-E-1", webhook="never")
    assert phonepe_client.order_status("SV-F-1").state is OrderState.FAILED
    expired = phonepe_client.order_status("SV-E-1")
    assert expired.state is OrderState.FAILED
    assert expired.error_code == "TXN_NOT_COMPLETED"


def test_an_unknown_order_is_not_found(phonepe_client: PhonePeClient) -> None:
    with pytest.raises(PhonePeNotFound) as caught:
        phonepe_client.order_status("SV-NOPE")
    assert caught.value.http_status == 404


def test_amounts_are_integer_paise_checked_before_any_request(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    not_paise: list[Any] = [299.0, True]
    for amount in not_paise:
        with pytest.raises(TypeError):
            _pay(phonepe_client, amount=amount)
    with pytest.raises(ValueError, match="at least 100"):
        _pay(phonepe_client, amount=99)
    with pytest.raises(ValueError, match="expire_after"):
        phonepe_client.pay(merchant_order_id="SV-X", amount=100, redirect_url="x", expire_after=299)
    with pytest.raises(ValueError, match="merchant_order_id"):
        _pay(phonepe_client, merchant_order_id="has space")
    assert phonepe_sandbox.calls() == []


# --- refunds ---------------------------------------------------------------------------------


def test_refund_flow_and_its_limits(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client)
    with pytest.raises(PhonePeError) as not_completed:
        phonepe_client.refund(
            merchant_refund_id="RF-0", original_merchant_order_id="SV-T-1", amount=100
        )
    assert not_completed.value.http_status == 400

    phonepe_sandbox.settle("SV-T-1", webhook="never")
    phonepe_sandbox.configure(refund_mode="pending")
    accepted = phonepe_client.refund(
        merchant_refund_id="RF-1", original_merchant_order_id="SV-T-1", amount=20000
    )
    assert (accepted.amount, accepted.state) == (20000, RefundState.PENDING)
    assert phonepe_client.refund_status("RF-1").state is RefundState.PENDING

    phonepe_sandbox.settle_refund("RF-1", "COMPLETED", webhook="never")
    status = phonepe_client.refund_status("RF-1")
    assert status.state is RefundState.COMPLETED
    assert status.state.is_terminal
    assert (status.refund_id, status.original_merchant_order_id) == (accepted.refund_id, "SV-T-1")

    with pytest.raises(PhonePeError) as too_much:
        phonepe_client.refund(
            merchant_refund_id="RF-2", original_merchant_order_id="SV-T-1", amount=9901
        )
    assert too_much.value.code == "REFUND_AMOUNT_EXCEEDED"

    # The same refund again (a retry) is the same refund, not a second one...
    again = phonepe_client.refund(
        merchant_refund_id="RF-1", original_merchant_order_id="SV-T-1", amount=20000
    )
    assert (again.refund_id, again.state) == (accepted.refund_id, RefundState.COMPLETED)
    # ...but reusing its id for another amount is an error.
    with pytest.raises(PhonePeError) as duplicate:
        phonepe_client.refund(
            merchant_refund_id="RF-1", original_merchant_order_id="SV-T-1", amount=100
        )
    assert duplicate.value.http_status == 400

    rest = phonepe_client.refund(
        merchant_refund_id="RF-3", original_merchant_order_id="SV-T-1", amount=9900
    )
    assert rest.amount == 9900
    with pytest.raises(PhonePeNotFound):
        phonepe_client.refund_status("RF-NOPE")


def test_a_failed_refund_frees_its_amount(
    phonepe_client: PhonePeClient, phonepe_sandbox: SandboxControl
) -> None:
    _pay(phonepe_client, amount=10000)
    phonepe_sandbox.settle("SV-T-1", webhook="never")
    phonepe_sandbox.configure(refund_mode="fail")
    phonepe_client.refund(
        merchant_refund_id="RF-A", original_merchant_order_id="SV-T-1", amount=10000
    )
    assert phonepe_client.refund_status("RF-A").state is RefundState.FAILED
    phonepe_sandbox.configure(refund_mode="complete")
    phonepe_client.refund(
        merchant_refund_id="RF-B", original_merchant_order_id="SV-T-1", amount=10000
    )
    assert phonepe_client.refund_status("RF-B").state is RefundState.COMPLETED


# --- webhook credentials ---------------------------------------------------------------------


def test_callback_authorization(settings: Any) -> None:
    settings.PHONEPE_CALLBACK_USERNAME = "merchant"
    settings.PHONEPE_CALLBACK_PASSWORD = "s3cret"
    good = hashlib.sha256(b"merchant:s3cret").hexdigest()
    assert callback_authorization_ok(good)
    assert callback_authorization_ok(good.upper())  # hex is hex
    assert callback_authorization_ok(f"SHA256 {good}")
    assert not callback_authorization_ok(hashlib.sha256(b"merchant:wrong").hexdigest())
    assert not callback_authorization_ok(good[:-1])
    assert not callback_authorization_ok("")
    assert not callback_authorization_ok(None)
    assert callback_authorization_ok(hashlib.sha256(b"u:p").hexdigest(), username="u", password="p")


def test_a_refund_whose_answer_was_lost_is_issued_once(phonepe_sandbox: SandboxControl) -> None:
    with PhonePeClient.from_settings(timeout=0.3, backoff=1.0) as phonepe:
        _pay(phonepe)
        phonepe_sandbox.settle("SV-T-1", webhook="never")
        phonepe_sandbox.hang_next(1, seconds=0.6, path="/payments/v2/refund")
        refund = phonepe.refund(
            merchant_refund_id="RF-LOST", original_merchant_order_id="SV-T-1", amount=29900
        )
        assert refund.amount == 29900
        assert phonepe.refund_status("RF-LOST").refund_id == refund.refund_id
    assert list(phonepe_sandbox.state()["refunds"]) == ["RF-LOST"]
    assert [c["status"] for c in phonepe_sandbox.calls("/payments/v2/refund")][:2] == [200, 400]
