"""PhonePe PG v2 Standard Checkout: the client (client.py), its answers (types.py), its errors
(errors.py), and a local stand-in for PhonePe (sandbox/, standalone, no Django)."""

from .client import PhonePeClient, PhonePeOrderExists, callback_authorization_ok
from .errors import PhonePeBadResponse, PhonePeError, PhonePeNotFound, PhonePeUnavailable
from .types import (
    AccessToken,
    OrderState,
    OrderStatus,
    PaymentAttempt,
    PayResponse,
    RefundResponse,
    RefundState,
    RefundStatus,
    WebhookEvent,
)

__all__ = [
    "AccessToken",
    "OrderState",
    "OrderStatus",
    "PayResponse",
    "PaymentAttempt",
    "PhonePeBadResponse",
    "PhonePeClient",
    "PhonePeError",
    "PhonePeNotFound",
    "PhonePeOrderExists",
    "PhonePeUnavailable",
    "RefundResponse",
    "RefundState",
    "RefundStatus",
    "WebhookEvent",
    "callback_authorization_ok",
]
