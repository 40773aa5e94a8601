"""What the sandbox knows and the state changes that send webhooks: used by its API (app.py),
the checkout page (checkout.py) and the test controls (controls.py)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from .book import ApiError, Order, OrderBook, Refund
from .config import SandboxConfig
from .webhooks import WebhookDispatcher

ORDER_EVENTS = {"COMPLETED": "checkout.order.completed", "FAILED": "checkout.order.failed"}
REFUND_EVENTS = {
    "CONFIRMED": "pg.refund.accepted",
    "COMPLETED": "pg.refund.completed",
    "FAILED": "pg.refund.failed",
}


class SandboxState:
    def __init__(self, config: SandboxConfig | None = None, clock: Callable[[], float] = time.time):
        self.config = config or SandboxConfig.from_env()
        self._initial_config = dataclasses.replace(self.config)
        self.clock = clock
        self.book = OrderBook(self.config, clock)
        self.webhooks = WebhookDispatcher(self.config)
        self.faults: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []

    def reset(self) -> None:
        for f in dataclasses.fields(self.config):
            setattr(self.config, f.name, getattr(self._initial_config, f.name))
        self.book = OrderBook(self.config, self.clock)
        self.webhooks.reset()
        self.faults.clear()
        self.calls.clear()

    # --- state changes that send webhooks (used by the API, the page and the controls) -------

    def settle_order(
        self, order: Order, state: str, *, amount: int | None = None, **webhook: Any
    ) -> list[dict[str, Any]]:
        self.book.settle(order, state, amount=amount)
        return self.order_webhook(order, **webhook)

    def order_webhook(
        self, order: Order, *, event: str | None = None, **webhook: Any
    ) -> list[dict[str, Any]]:
        payload = self.book.order_status(order)
        event = event or ORDER_EVENTS.get(order.state)
        if event is None:
            raise ApiError(409, "NOT_SETTLED", "A pending order has no event; name one")
        return self.webhooks.send(event, payload, key=order.merchant_order_id, **webhook)

    def settle_refund(self, refund: Refund, state: str, **webhook: Any) -> list[dict[str, Any]]:
        self.book.settle_refund(refund, state)
        return self.refund_webhook(refund, **webhook)

    def refund_webhook(
        self, refund: Refund, *, event: str | None = None, **webhook: Any
    ) -> list[dict[str, Any]]:
        event = event or REFUND_EVENTS.get(refund.state)
        if event is None:
            raise ApiError(409, "NOT_SETTLED", "A pending refund has no event; name one")
        payload = self.book.refund_status(refund)
        return self.webhooks.send(event, payload, key=refund.merchant_refund_id, **webhook)
