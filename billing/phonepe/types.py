"""What PhonePe PG v2 answers, parsed leniently into small frozen dataclasses.

PhonePe adds fields without notice, so parsing ignores anything unknown and tolerates missing
optional fields. Two things are strict because money depends on them: amounts must be integer
paise (a float is a protocol error, never rounded), and an unknown order state is treated as
PENDING (keep asking), never as COMPLETED.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .errors import PhonePeBadResponse


class OrderState(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"

    @classmethod
    def parse(cls, raw: Any) -> OrderState:
        # docs/payments.md: EXPIRED, if ever seen, means failed; anything unknown means "not yet".
        if raw == "COMPLETED":
            return cls.COMPLETED
        if raw in ("FAILED", "EXPIRED"):
            return cls.FAILED
        return cls.PENDING


class RefundState(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"

    @classmethod
    def parse(cls, raw: Any) -> RefundState:
        try:
            return cls(raw)
        except ValueError:
            return cls.PENDING

    @property
    def is_terminal(self) -> bool:
        return self in (RefundState.COMPLETED, RefundState.FAILED)


def _amount(value: Any, name: str) -> int | None:
    if value is None:
        return None
    # bool is an int subclass; a float amount means someone, somewhere, did money in floats.
    if isinstance(value, bool) or not isinstance(value, int):
        raise PhonePeBadResponse(f"{name} must be integer paise, got {value!r}")
    return value


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _ms_to_datetime(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=UTC)


def _require_mapping(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise PhonePeBadResponse(f"{what}: expected a JSON object, got {type(data).__name__}")
    return data


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    expires_at: int | None  # epoch seconds
    issued_at: int | None
    token_type: str = "O-Bearer"  # noqa: S105 - a scheme name, not a secret

    @classmethod
    def from_json(cls, data: Any) -> AccessToken:
        data = _require_mapping(data, "token")
        token = _str(data.get("access_token"))
        if not token:
            raise PhonePeBadResponse("token response has no access_token")
        return cls(
            access_token=token,
            expires_at=_int(data.get("expires_at")),
            issued_at=_int(data.get("issued_at")),
            token_type=_str(data.get("token_type")) or "O-Bearer",
        )

    def as_cache_value(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class PayResponse:
    order_id: str
    state: OrderState
    expire_at_ms: int | None
    redirect_url: str | None

    @classmethod
    def from_json(cls, data: Any) -> PayResponse:
        data = _require_mapping(data, "pay")
        order_id = _str(data.get("orderId"))
        if not order_id:
            raise PhonePeBadResponse("pay response has no orderId")
        return cls(
            order_id=order_id,
            state=OrderState.parse(data.get("state")),
            expire_at_ms=_int(data.get("expireAt")),
            redirect_url=_str(data.get("redirectUrl")),
        )

    @property
    def expire_at(self) -> datetime | None:
        return _ms_to_datetime(self.expire_at_ms)


@dataclass(frozen=True)
class PaymentAttempt:
    transaction_id: str | None
    payment_mode: str | None
    timestamp_ms: int | None
    amount: int | None
    state: str | None
    error_code: str | None = None
    detailed_error_code: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> PaymentAttempt:
        data = _dict(data)
        return cls(
            transaction_id=_str(data.get("transactionId")),
            payment_mode=_str(data.get("paymentMode")),
            timestamp_ms=_int(data.get("timestamp")),
            amount=_amount(data.get("amount"), "paymentDetails.amount"),
            state=_str(data.get("state")),
            error_code=_str(data.get("errorCode")),
            detailed_error_code=_str(data.get("detailedErrorCode")),
        )


@dataclass(frozen=True)
class OrderStatus:
    """The order status API's answer, and also the payload of checkout.order.* webhooks."""

    merchant_order_id: str | None
    order_id: str | None
    state: OrderState
    raw_state: str | None
    amount: int | None
    payable_amount: int | None = None
    fee_amount: int | None = None
    expire_at_ms: int | None = None
    merchant_id: str | None = None
    error_code: str | None = None
    detailed_error_code: str | None = None
    meta_info: dict[str, Any] = field(default_factory=dict)
    payment_details: tuple[PaymentAttempt, ...] = ()

    @classmethod
    def from_json(cls, data: Any) -> OrderStatus:
        data = _require_mapping(data, "order status")
        details = data.get("paymentDetails")
        details = details if isinstance(details, list) else []
        return cls(
            merchant_order_id=_str(data.get("merchantOrderId")),
            order_id=_str(data.get("orderId")),
            state=OrderState.parse(data.get("state")),
            raw_state=_str(data.get("state")),
            amount=_amount(data.get("amount"), "amount"),
            payable_amount=_amount(data.get("payableAmount"), "payableAmount"),
            fee_amount=_amount(data.get("feeAmount"), "feeAmount"),
            expire_at_ms=_int(data.get("expireAt")),
            merchant_id=_str(data.get("merchantId")),
            error_code=_str(data.get("errorCode")),
            detailed_error_code=_str(data.get("detailedErrorCode")),
            meta_info=_dict(data.get("metaInfo")),
            payment_details=tuple(PaymentAttempt.from_json(item) for item in details),
        )

    @property
    def expire_at(self) -> datetime | None:
        return _ms_to_datetime(self.expire_at_ms)

    def confirms(self, *, merchant_order_id: str, amount: int) -> bool:
        """True only when this status proves our order was paid in full (docs/payments.md)."""
        return (
            self.state is OrderState.COMPLETED
            and self.merchant_order_id == merchant_order_id
            and self.amount == amount
        )


@dataclass(frozen=True)
class RefundResponse:
    refund_id: str
    amount: int | None
    state: RefundState

    @classmethod
    def from_json(cls, data: Any) -> RefundResponse:
        data = _require_mapping(data, "refund")
        refund_id = _str(data.get("refundId"))
        if not refund_id:
            raise PhonePeBadResponse("refund response has no refundId")
        return cls(
            refund_id=refund_id,
            amount=_amount(data.get("amount"), "amount"),
            state=RefundState.parse(data.get("state")),
        )


@dataclass(frozen=True)
class RefundStatus:
    """The refund status API's answer, and also the payload of pg.refund.* webhooks."""

    merchant_refund_id: str | None
    original_merchant_order_id: str | None
    refund_id: str | None
    amount: int | None
    state: RefundState
    raw_state: str | None
    timestamp_ms: int | None = None
    error_code: str | None = None
    detailed_error_code: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> RefundStatus:
        data = _require_mapping(data, "refund status")
        return cls(
            merchant_refund_id=_str(data.get("merchantRefundId")),
            original_merchant_order_id=_str(data.get("originalMerchantOrderId")),
            refund_id=_str(data.get("refundId")),
            amount=_amount(data.get("amount"), "amount"),
            state=RefundState.parse(data.get("state")),
            raw_state=_str(data.get("state")),
            timestamp_ms=_int(data.get("timestamp")),
            error_code=_str(data.get("errorCode")),
            detailed_error_code=_str(data.get("detailedErrorCode")),
        )


ORDER_EVENTS = frozenset({"checkout.order.completed", "checkout.order.failed"})
REFUND_EVENTS = frozenset({"pg.refund.accepted", "pg.refund.completed", "pg.refund.failed"})


@dataclass(frozen=True)
class WebhookEvent:
    """A callback body. Only a hint: confirm with order_status before anything counts."""

    event: str
    type: str | None
    order: OrderStatus | None
    refund: RefundStatus | None
    raw: dict[str, Any]

    @classmethod
    def from_json(cls, data: Any) -> WebhookEvent:
        data = _require_mapping(data, "webhook")
        event = _str(data.get("event"))
        if not event:
            raise PhonePeBadResponse("webhook has no event")
        payload = _dict(data.get("payload"))
        # docs/payments.md: dispatch on `event`, not `type`.
        return cls(
            event=event,
            type=_str(data.get("type")),
            order=OrderStatus.from_json(payload) if event in ORDER_EVENTS else None,
            refund=RefundStatus.from_json(payload) if event in REFUND_EVENTS else None,
            raw=data,
        )
