"""Webhook delivery: PhonePe's callback POSTs, sent now, twice, late or never, and logged."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import time
from typing import Any

import httpx

from .config import SandboxConfig

logger = logging.getLogger(__name__)


def event_type(event: str) -> str:
    """checkout.order.completed -> CHECKOUT_ORDER_COMPLETED (the body's `type`)."""
    return event.replace(".", "_").upper()


def authorization_header(username: str, password: str) -> str:
    return hashlib.sha256(f"{username}:{password}".encode()).hexdigest()


class WebhookDispatcher:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.attempts: list[dict[str, Any]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)

    def send(
        self,
        event: str,
        payload: dict[str, Any],
        *,
        key: str,
        mode: str | None = None,
        delay: float | None = None,
        times: int | None = None,
    ) -> list[dict[str, Any]]:
        """Schedule deliveries of one event; returns their log records (status "scheduled").

        mode: now (once), twice, late (once after `delay` s), never (logged as suppressed).
        `times` overrides the count for any mode but never.
        """
        mode = mode or self.config.webhook_mode
        count = {"now": 1, "twice": 2, "late": 1, "never": 1}[mode]
        count = times if times is not None and mode != "never" else count
        wait = delay if delay is not None else (self.config.webhook_delay if mode == "late" else 0)
        body = {"event": event, "type": event_type(event), "payload": payload}
        records = []
        for _ in range(count):
            record: dict[str, Any] = {
                "id": next(self._ids),
                "key": key,
                "event": event,
                "state": payload.get("state"),
                "mode": mode,
                "delay": wait,
                "status": "suppressed" if mode == "never" else "scheduled",
                "http_status": None,
                "error": None,
                "url": None,
                "sent_at": None,
                "body": body,
            }
            self.attempts.append(record)
            records.append(record)
            if mode != "never":
                task = asyncio.get_running_loop().create_task(self._deliver(record, wait))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        return records

    async def _deliver(self, record: dict[str, Any], delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        cfg = self.config  # read at send time: a test may repoint the callback meanwhile
        record["url"] = cfg.callback_url
        record["sent_at"] = time.time()
        headers = {
            "Authorization": authorization_header(cfg.callback_username, cfg.callback_password)
        }
        try:
            async with httpx.AsyncClient(timeout=cfg.webhook_timeout) as http:
                response = await http.post(cfg.callback_url, json=record["body"], headers=headers)
        except httpx.HTTPError as exc:
            record["status"] = "error"
            record["error"] = f"{type(exc).__name__}: {exc}"
            logger.warning("sandbox webhook to %s failed: %s", cfg.callback_url, exc)
            return
        record["http_status"] = response.status_code
        record["status"] = "delivered" if response.is_success else "rejected"

    def reset(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        self.attempts.clear()

    def pending(self) -> int:
        return len(self._tasks)

    def sending(self) -> int:
        """Deliveries whose POST has left and not come back: the receiver is handling them."""
        return sum(1 for r in self.attempts if r["sent_at"] and r["status"] == "scheduled")
