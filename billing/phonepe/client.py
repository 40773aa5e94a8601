"""A small synchronous client for PhonePe PG v2 Standard Checkout (docs/payments.md).

Usage from a service or task:

    with PhonePeClient.from_settings() as phonepe:
        created = phonepe.pay(merchant_order_id=..., amount=29900, redirect_url=...)
        status = phonepe.order_status(merchant_order_id)

Behaviour that the billing flows rely on:
- One OAuth token per (environment, client id) in the shared Django cache, refreshed a few minutes
  before it expires; an API call answered 401 refreshes it once and is retried once.
- Connection errors, timeouts, 5xx and 429 are retried with exponential backoff, a bounded number
  of times, then raise PhonePeUnavailable (outcome unknown: reconcile later).
- 4xx answers raise PhonePeError with PhonePe's code; 404 raises PhonePeNotFound.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.conf import settings

from .errors import PhonePeError, PhonePeNotFound
from .http import PhonePeHttp
from .types import OrderStatus, PayResponse, RefundResponse, RefundStatus

MERCHANT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,63}$")
MIN_AMOUNT = 100
EXPIRE_AFTER_RANGE = (300, 3600)


def callback_authorization_ok(
    header: str | None, *, username: str | None = None, password: str | None = None
) -> bool:
    """Check a webhook's Authorization header: lowercase hex SHA256("<username>:<password>").

    Compared in constant time. The header is a fixed value that can be replayed, so a True here
    only means "PhonePe's format with our credentials"; the order status API has the last word.
    """
    if not header:
        return False
    username = settings.PHONEPE_CALLBACK_USERNAME if username is None else username
    password = settings.PHONEPE_CALLBACK_PASSWORD if password is None else password
    expected = hashlib.sha256(f"{username}:{password}".encode()).hexdigest()
    # Some proxies prefix a scheme; PhonePe sends the bare digest. Hex is case-insensitive.
    candidate = header.strip().removeprefix("SHA256 ").strip().lower()
    return hmac.compare_digest(candidate.encode(), expected.encode())


def _check_amount(amount: Any, name: str = "amount", minimum: int = MIN_AMOUNT) -> int:
    # Money is integer paise everywhere; a float here is a bug upstream, not something to round.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"{name} must be an int number of paise, got {type(amount).__name__}")
    if amount < minimum:
        raise ValueError(f"{name} must be at least {minimum} paise, got {amount}")
    return amount


def _check_id(value: str, name: str) -> str:
    if not isinstance(value, str) or not MERCHANT_ID_RE.match(value):
        raise ValueError(f"{name} must be 1-63 characters of A-Z a-z 0-9 _ -, got {value!r}")
    return value


class PhonePeOrderExists(PhonePeError):
    """`pay` was retried after a lost answer and PhonePe said the merchantOrderId is taken.

    The first attempt most likely created the order. `status` is what the status API says about
    it now, so the caller can tell "our order, pending" from "someone else's id" (amount differs).
    PhonePe's status has no checkout URL, so to send the user to pay, start a new attempt with a
    new merchantOrderId and let reconciliation settle this one.
    """

    def __init__(self, message: str, *, status: OrderStatus | None, data: Any = None) -> None:
        super().__init__(message, code="ORDER_EXISTS", http_status=400, data=data)
        self.status = status


class PhonePeClient(PhonePeHttp):
    # --- API ---------------------------------------------------------------------------------

    def pay(
        self,
        *,
        merchant_order_id: str,
        amount: int,
        redirect_url: str,
        expire_after: int = 1200,
        message: str | None = None,
        meta_info: dict[str, str] | None = None,
    ) -> PayResponse:
        """Create a Standard Checkout order; send the user to `.redirect_url`.

        Safe to retry with the same id: a duplicate answers 400, never a second charge. When
        our own retry meets that 400, PhonePeOrderExists carries the order's current status.
        """
        _check_id(merchant_order_id, "merchant_order_id")
        _check_amount(amount)
        low, high = EXPIRE_AFTER_RANGE
        if not low <= expire_after <= high:
            raise ValueError(f"expire_after must be {low}..{high} seconds, got {expire_after}")
        flow: dict[str, Any] = {
            "type": "PG_CHECKOUT",
            "merchantUrls": {"redirectUrl": redirect_url},
        }
        if message:
            flow["message"] = message
        body: dict[str, Any] = {
            "merchantOrderId": merchant_order_id,
            "amount": amount,
            "expireAfter": expire_after,
            "paymentFlow": flow,
        }
        if meta_info:
            body["metaInfo"] = meta_info
        response, attempts = self._send("POST", f"{self.pg_url}/checkout/v2/pay", json=body)
        if response.status_code == 400 and attempts > 1:
            # An earlier attempt's answer was lost (timeout, 5xx) and this one is refused: most
            # likely because that attempt created the order. The status API tells for sure.
            status = self._status_or_none(merchant_order_id)
            if status is not None:
                raise PhonePeOrderExists(
                    f"order {merchant_order_id} already exists (created by an earlier attempt)",
                    status=status,
                    data=self._json_or_empty(response),
                )
        self._raise_for_error(response)
        data = self._json(response)
        return PayResponse.from_json(data)

    def _status_or_none(self, merchant_order_id: str) -> OrderStatus | None:
        try:
            return self.order_status(merchant_order_id)
        except PhonePeNotFound:
            return None

    def order_status(self, merchant_order_id: str, *, details: bool = False) -> OrderStatus:
        _check_id(merchant_order_id, "merchant_order_id")
        data, _ = self._call(
            "GET",
            f"/checkout/v2/order/{merchant_order_id}/status",
            params={"details": "true" if details else "false"},
        )
        return OrderStatus.from_json(data)

    def refund(
        self, *, merchant_refund_id: str, original_merchant_order_id: str, amount: int
    ) -> RefundResponse:
        """Refund part or all of a COMPLETED order; idempotent on merchant_refund_id.

        Calling again with the same id (our own retry after a lost answer, or the caller's
        retry after PhonePeUnavailable) returns the refund that already exists instead of an
        error, as long as it is the same refund (same order and amount). So a refund derived
        from a stable id (e.g. the payment's) can be requested any number of times and is
        issued once.
        """
        _check_id(merchant_refund_id, "merchant_refund_id")
        _check_id(original_merchant_order_id, "original_merchant_order_id")
        _check_amount(amount, minimum=1)
        body = {
            "merchantRefundId": merchant_refund_id,
            "originalMerchantOrderId": original_merchant_order_id,
            "amount": amount,
        }
        response, _ = self._send("POST", f"{self.pg_url}/payments/v2/refund", json=body)
        if response.status_code == 400:
            existing = self._refund_status_or_none(merchant_refund_id)
            if (
                existing is not None
                and existing.refund_id
                and existing.original_merchant_order_id == original_merchant_order_id
                and existing.amount == amount
            ):
                return RefundResponse(existing.refund_id, existing.amount, existing.state)
        self._raise_for_error(response)
        return RefundResponse.from_json(self._json(response))

    def _refund_status_or_none(self, merchant_refund_id: str) -> RefundStatus | None:
        try:
            return self.refund_status(merchant_refund_id)
        except PhonePeNotFound:
            return None

    def refund_status(self, merchant_refund_id: str) -> RefundStatus:
        _check_id(merchant_refund_id, "merchant_refund_id")
        data, _ = self._call("GET", f"/payments/v2/refund/{merchant_refund_id}/status")
        return RefundStatus.from_json(data)
