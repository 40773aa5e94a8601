"""The sandbox's in-memory state and PhonePe's rules: tokens, orders, refunds.

No I/O and no awaits here, so on the sandbox's single event loop every operation is atomic.
Methods return JSON-ready dicts in PhonePe's shapes or raise ApiError with PhonePe's error body.
Error codes PhonePe does not document for v2 (duplicate order, refund limits) are our best
reading and marked UNCONFIRMED in docs/payments.md.
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .config import SandboxConfig

ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,63}$")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, oauth: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.oauth = oauth

    def body(self) -> dict[str, Any]:
        if self.oauth:  # the identity manager's shape differs from the PG APIs'
            return {"code": self.code, "errorCode": "OIM000", "message": self.message}
        return {"success": False, "code": self.code, "message": self.message, "data": {}}


def bad_request(message: str, code: str = "BAD_REQUEST") -> ApiError:
    return ApiError(400, code, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class Order:
    merchant_order_id: str
    order_id: str
    amount: int
    expire_at_ms: int
    redirect_url: str
    meta_info: dict[str, Any]
    message: str
    state: str = "PENDING"
    reported_amount: int | None = None  # a settle override, to simulate a mismatch
    error_code: str | None = None
    detailed_error_code: str | None = None
    transaction_id: str | None = None
    settled_at_ms: int | None = None
    refunds: list[str] = field(default_factory=list)


@dataclass
class Refund:
    merchant_refund_id: str
    refund_id: str
    original_merchant_order_id: str
    amount: int
    state: str = "PENDING"
    timestamp_ms: int = 0
    error_code: str | None = None


class OrderBook:
    def __init__(self, config: SandboxConfig, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.clock = clock
        self.tokens: dict[str, int] = {}  # access token -> expires_at (epoch s)
        self.tokens_issued = 0
        self.orders: dict[str, Order] = {}  # by merchantOrderId
        self.orders_by_phonepe_id: dict[str, Order] = {}
        self.refunds: dict[str, Refund] = {}
        self._seq = itertools.count(1)

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{self.now_ms()}{next(self._seq):06d}"

    # --- OAuth -----------------------------------------------------------------------------

    def issue_token(self, form: dict[str, str]) -> dict[str, Any]:
        cfg = self.config
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_id") != cfg.client_id
            or form.get("client_secret") != cfg.client_secret
            or form.get("client_version") != str(cfg.client_version)
        ):
            raise ApiError(400, "INVALID_CLIENT", "Client Not Found", oauth=True)
        issued_at = int(self.clock())
        expires_at = issued_at + cfg.token_ttl
        token = secrets.token_urlsafe(24)
        self.tokens[token] = expires_at
        self.tokens_issued += 1
        return {
            "access_token": token,
            "encrypted_access_token": token,
            "expires_in": None,
            "issued_at": issued_at,
            "expires_at": expires_at,
            "session_expires_at": expires_at,
            "token_type": "O-Bearer",
        }

    def check_authorization(self, header: str | None) -> None:
        scheme, _, token = (header or "").partition(" ")
        expires_at = self.tokens.get(token.strip()) if scheme == "O-Bearer" else None
        if expires_at is None or expires_at <= self.clock():
            raise ApiError(401, "AUTHORIZATION_FAILED", "Authorization failed")

    def expire_tokens(self) -> int:
        count = len(self.tokens)
        self.tokens.clear()
        return count

    # --- orders ----------------------------------------------------------------------------

    def create_order(self, body: Any, checkout_base: str) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise bad_request("Request body must be a JSON object")
        merchant_order_id = body.get("merchantOrderId")
        amount = body.get("amount")
        expire_after = body.get("expireAfter", 1200)
        flow = body.get("paymentFlow")
        meta_info = body.get("metaInfo") or {}
        if not isinstance(merchant_order_id, str) or not ID_RE.match(merchant_order_id):
            raise bad_request("merchantOrderId must be 1-63 characters of [A-Za-z0-9_-]")
        if not _is_int(amount) or amount < 100:
            raise bad_request("amount must be an integer number of paise, at least 100")
        if not _is_int(expire_after) or not 300 <= expire_after <= 3600:
            raise bad_request("expireAfter must be between 300 and 3600 seconds")
        if not isinstance(flow, dict) or flow.get("type") != "PG_CHECKOUT":
            raise bad_request("paymentFlow.type must be PG_CHECKOUT")
        if not isinstance(meta_info, dict):
            raise bad_request("metaInfo must be an object")
        if merchant_order_id in self.orders:
            # UNCONFIRMED code; v1 documents INVALID_TRANSACTION_ID for a duplicate id.
            raise bad_request("Duplicate merchantOrderId", code="INVALID_TRANSACTION_ID")
        urls = flow.get("merchantUrls") if isinstance(flow.get("merchantUrls"), dict) else {}
        order = Order(
            merchant_order_id=merchant_order_id,
            order_id=self._new_id("OMO"),
            amount=amount,
            expire_at_ms=self.now_ms() + expire_after * 1000,
            redirect_url=str(urls.get("redirectUrl") or ""),
            meta_info=meta_info,
            message=str(flow.get("message") or ""),
        )
        self.orders[merchant_order_id] = order
        self.orders_by_phonepe_id[order.order_id] = order
        return {
            "orderId": order.order_id,
            "state": order.state,
            "expireAt": order.expire_at_ms,
            "redirectUrl": f"{checkout_base}/checkout/{order.order_id}",
        }

    def _expire_if_due(self, order: Order) -> bool:
        """Lazy expiry: a pending order past expireAt is FAILED from then on."""
        if order.state == "PENDING" and self.now_ms() >= order.expire_at_ms:
            order.state = "FAILED"
            order.error_code = "TXN_NOT_COMPLETED"
            order.detailed_error_code = "TXN_AUTO_FAILED"
            order.settled_at_ms = order.expire_at_ms
            return True
        return False

    def get_order(self, merchant_order_id: str) -> Order:
        order = self.orders.get(merchant_order_id)
        if order is None:
            # UNCONFIRMED code.
            raise ApiError(404, "ORDER_NOT_FOUND", "Order not found")
        self._expire_if_due(order)
        return order

    def get_order_by_phonepe_id(self, order_id: str) -> Order | None:
        order = self.orders_by_phonepe_id.get(order_id)
        if order is not None:
            self._expire_if_due(order)
        return order

    def order_status(self, order: Order) -> dict[str, Any]:
        amount = order.amount if order.reported_amount is None else order.reported_amount
        status: dict[str, Any] = {
            "merchantId": self.config.merchant_id,
            "merchantOrderId": order.merchant_order_id,
            "orderId": order.order_id,
            "state": order.state,
            "amount": amount,
            "payableAmount": amount,
            "feeAmount": 0,
            "expireAt": order.expire_at_ms,
            "metaInfo": order.meta_info,
            "paymentDetails": [],
        }
        if order.error_code:
            status["errorCode"] = order.error_code
            status["detailedErrorCode"] = order.detailed_error_code
        if order.transaction_id:
            attempt: dict[str, Any] = {
                "transactionId": order.transaction_id,
                "paymentMode": "UPI_QR",
                "timestamp": order.settled_at_ms,
                "amount": amount,
                "payableAmount": amount,
                "feeAmount": 0,
                "state": order.state,
                "rail": {"type": "UPI", "utr": order.transaction_id[-12:]},
                "instrument": {"type": "ACCOUNT", "accountType": "SAVINGS"},
            }
            if order.error_code:
                attempt["errorCode"] = order.error_code
                attempt["detailedErrorCode"] = order.detailed_error_code
            status["paymentDetails"].append(attempt)
        return status

    def settle(self, order: Order, state: str, *, amount: int | None = None) -> None:
        """The customer paid (COMPLETED) or gave up / was declined (FAILED)."""
        if state not in ("COMPLETED", "FAILED"):
            raise bad_request("state must be COMPLETED or FAILED")
        if amount is not None and not _is_int(amount):
            raise bad_request("amount override must be integer paise")
        self._expire_if_due(order)
        if order.state != "PENDING":
            raise ApiError(409, "ALREADY_SETTLED", f"Order is already {order.state}")
        order.state = state
        order.settled_at_ms = self.now_ms()
        order.transaction_id = self._new_id("OM")
        order.reported_amount = amount
        if state == "FAILED":
            order.error_code = "AUTHORIZATION_ERROR"
            order.detailed_error_code = "ZM"

    def expire(self, order: Order) -> None:
        if order.state != "PENDING":
            raise ApiError(409, "ALREADY_SETTLED", f"Order is already {order.state}")
        order.expire_at_ms = self.now_ms()
        self._expire_if_due(order)

    # --- refunds ---------------------------------------------------------------------------

    def create_refund(self, body: Any) -> Refund:
        if not isinstance(body, dict):
            raise bad_request("Request body must be a JSON object")
        refund_id = body.get("merchantRefundId")
        order_id = body.get("originalMerchantOrderId")
        amount = body.get("amount")
        if not isinstance(refund_id, str) or not ID_RE.match(refund_id):
            raise bad_request("merchantRefundId must be 1-63 characters of [A-Za-z0-9_-]")
        if not isinstance(order_id, str) or not ID_RE.match(order_id):
            raise bad_request("originalMerchantOrderId is invalid")
        if not _is_int(amount) or amount < 1:
            raise bad_request("amount must be a positive integer number of paise")
        if refund_id in self.refunds:
            raise bad_request("Duplicate merchantRefundId", code="DUPLICATE_REQUEST")
        order = self.get_order(order_id)
        if order.state != "COMPLETED":
            raise bad_request(f"Order is {order.state}; only COMPLETED orders can be refunded")
        refunded = sum(
            self.refunds[r].amount for r in order.refunds if self.refunds[r].state != "FAILED"
        )
        if refunded + amount > order.amount:
            raise bad_request(
                f"Refund exceeds the refundable amount ({order.amount - refunded} paise left)",
                code="REFUND_AMOUNT_EXCEEDED",
            )
        refund = Refund(
            merchant_refund_id=refund_id,
            refund_id=self._new_id("OMR"),
            original_merchant_order_id=order_id,
            amount=amount,
            timestamp_ms=self.now_ms(),
        )
        self.refunds[refund_id] = refund
        order.refunds.append(refund_id)
        return refund

    def get_refund(self, merchant_refund_id: str) -> Refund:
        refund = self.refunds.get(merchant_refund_id)
        if refund is None:
            raise ApiError(404, "REFUND_NOT_FOUND", "Refund not found")
        return refund

    def settle_refund(self, refund: Refund, state: str) -> None:
        if state not in ("CONFIRMED", "COMPLETED", "FAILED"):
            raise bad_request("state must be CONFIRMED, COMPLETED or FAILED")
        if refund.state in ("COMPLETED", "FAILED"):
            raise ApiError(409, "ALREADY_SETTLED", f"Refund is already {refund.state}")
        refund.state = state
        refund.timestamp_ms = self.now_ms()
        if state == "FAILED":
            refund.error_code = "REFUND_FAILED"

    def refund_status(self, refund: Refund) -> dict[str, Any]:
        status: dict[str, Any] = {
            "merchantId": self.config.merchant_id,
            "merchantRefundId": refund.merchant_refund_id,
            "originalMerchantOrderId": refund.original_merchant_order_id,
            "refundId": refund.refund_id,
            "amount": refund.amount,
            "state": refund.state,
            "timestamp": refund.timestamp_ms,
            "paymentDetails": [],
        }
        if refund.error_code:
            status["errorCode"] = refund.error_code
        return status

    def snapshot(self) -> dict[str, Any]:
        return {
            "tokens_issued": self.tokens_issued,
            "live_tokens": len(self.tokens),
            "orders": {k: self.order_status(self.get_order(k)) for k in self.orders},
            "refunds": {k: self.refund_status(r) for k, r in self.refunds.items()},
        }
