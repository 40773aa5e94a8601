"""Drive a running sandbox from outside: start one in a subprocess, and call its controls.

Used by the test fixtures (tests/billing/conftest.py) and handy from a shell:

    from billing.phonepe.sandbox.remote import SandboxControl
    SandboxControl("http://127.0.0.1:8010").settle("SV-REG-1-1")
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

PROJECT_DIR = Path(__file__).resolve().parents[3]


class SandboxControl:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=f"{self.url}/__control__", timeout=10)

    def close(self) -> None:
        self._http.close()

    def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self._http.post(path, json=body or {})
        response.raise_for_status()
        return response.json()

    def _get(self, path: str) -> Any:
        response = self._http.get(path)
        response.raise_for_status()
        return response.json()

    def health(self) -> bool:
        try:
            return bool(self._get("/health").get("ok"))
        except httpx.HTTPError:
            return False

    def reset(self) -> None:
        self._post("/reset")

    def configure(self, **changes: Any) -> dict[str, Any]:
        return self._post("/config", changes)

    def state(self) -> dict[str, Any]:
        return self._get("/state")

    def order(self, merchant_order_id: str) -> dict[str, Any]:
        return self.state()["orders"][merchant_order_id]

    @staticmethod
    def _webhook(webhook: str | None, delay: float | None, times: int | None) -> dict[str, Any]:
        options = {"webhook": webhook, "delay": delay, "times": times}
        return {k: v for k, v in options.items() if v is not None}

    def settle(
        self,
        merchant_order_id: str,
        state: str = "COMPLETED",
        *,
        amount: int | None = None,
        webhook: str | None = None,
        delay: float | None = None,
        times: int | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"state": state, **self._webhook(webhook, delay, times)}
        if amount is not None:
            body["amount"] = amount
        return self._post(f"/orders/{merchant_order_id}/settle", body)

    def expire(self, merchant_order_id: str, *, webhook: str | None = None) -> dict[str, Any]:
        return self._post(f"/orders/{merchant_order_id}/expire", self._webhook(webhook, None, None))

    def send_webhook(
        self,
        merchant_order_id: str,
        *,
        event: str | None = None,
        payload: dict[str, Any] | None = None,
        webhook: str | None = None,
        delay: float | None = None,
        times: int | None = None,
    ) -> list[dict[str, Any]]:
        body = self._webhook(webhook, delay, times)
        if event is not None:
            body["event"] = event
        if payload is not None:
            body["payload"] = payload
        return self._post(f"/orders/{merchant_order_id}/webhook", body)["webhooks"]

    def settle_refund(
        self, merchant_refund_id: str, state: str = "COMPLETED", *, webhook: str | None = None
    ) -> dict[str, Any]:
        body = {"state": state, **self._webhook(webhook, None, None)}
        return self._post(f"/refunds/{merchant_refund_id}/settle", body)

    def fail_next(self, count: int = 1, *, status: int = 500, path: str = "") -> None:
        self._post("/faults", {"kind": "error", "count": count, "status": status, "path": path})

    def hang_next(self, count: int = 1, *, seconds: float = 10, path: str = "") -> None:
        self._post("/faults", {"kind": "hang", "count": count, "seconds": seconds, "path": path})

    def expire_tokens(self) -> int:
        return self._post("/tokens/expire")["expired"]

    def webhooks(self) -> list[dict[str, Any]]:
        return self._get("/webhooks")["attempts"]

    def calls(self, path: str = "") -> list[dict[str, Any]]:
        return [c for c in self._get("/calls")["calls"] if path in c["path"]]

    def wait_for_webhooks(self, count: int, *, timeout: float = 10) -> list[dict[str, Any]]:
        """Wait until `count` deliveries have finished (delivered, rejected or errored)."""
        deadline = time.monotonic() + timeout
        while True:
            done = [a for a in self.webhooks() if a["status"] not in ("scheduled", "suppressed")]
            if len(done) >= count or time.monotonic() > deadline:
                return done
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def run_sandbox(
    env: dict[str, str] | None = None, *, startup_timeout: float = 20
) -> Iterator[SandboxControl]:
    """Start the sandbox under daphne on a free loopback port; yield its control client."""
    port = free_port()
    process_env = {**os.environ, **(env or {})}
    process_env.pop("DJANGO_SETTINGS_MODULE", None)  # it must not need Django
    # A file, not a pipe: nobody reads daphne's access log while it runs, and a full pipe
    # would block the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "billing.phonepe.sandbox", "--port", str(port)],
        cwd=PROJECT_DIR,
        env=process_env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    control = SandboxControl(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + startup_timeout
        while not control.health():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=5)
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"sandbox did not start: {tail}")
            time.sleep(0.1)
        yield control
    finally:
        control.close()
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
