"""Fixtures for talking to the local PhonePe sandbox over real HTTP.

`phonepe_sandbox`: the sandbox (one daphne process per test session, reset before each test),
with the Django settings pointed at it, so `PhonePeClient.from_settings()` talks to it. It is a
`SandboxControl`: `.url` is its base URL, and its methods drive the test controls
(`settle`, `send_webhook`, `fail_next`, `hang_next`, `expire_tokens`, `webhooks`, `calls`, ...).

`webhook_receiver`: a tiny HTTP server in this process that records the POSTs it gets; point the
sandbox's callback at `receiver.url` with `phonepe_sandbox.configure(callback_url=receiver.url)`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from billing.phonepe.sandbox.remote import SandboxControl, run_sandbox
from tests.support.payments import SANDBOX_CREDENTIALS, ReceivedRequest, WebhookReceiver


@pytest.fixture(scope="session")
def _phonepe_sandbox_process() -> Iterator[SandboxControl]:
    with run_sandbox(SANDBOX_CREDENTIALS) as control:
        yield control


@pytest.fixture
def phonepe_sandbox(
    _phonepe_sandbox_process: SandboxControl, settings: Any
) -> Iterator[SandboxControl]:
    control = _phonepe_sandbox_process
    control.reset()
    settings.PHONEPE_ENV = "local"
    settings.PHONEPE_LOCAL_URL = control.url
    settings.PHONEPE_CLIENT_ID = SANDBOX_CREDENTIALS["PHONEPE_CLIENT_ID"]
    settings.PHONEPE_CLIENT_SECRET = SANDBOX_CREDENTIALS["PHONEPE_CLIENT_SECRET"]
    settings.PHONEPE_CLIENT_VERSION = int(SANDBOX_CREDENTIALS["PHONEPE_CLIENT_VERSION"])
    settings.PHONEPE_CALLBACK_USERNAME = SANDBOX_CREDENTIALS["PHONEPE_CALLBACK_USERNAME"]
    settings.PHONEPE_CALLBACK_PASSWORD = SANDBOX_CREDENTIALS["PHONEPE_CALLBACK_PASSWORD"]
    # Retries stay real but quick; tests about timeouts set their own shorter timeout.
    settings.PHONEPE_RETRY_BACKOFF_SECONDS = 0.01
    yield control
    # A callback whose POST has already left is being handled by this test's server thread: let
    # it finish before the database is emptied, or it lands in the next test (seen under load as
    # a refund vanishing mid-request). Sleeping "late" deliveries are cancelled by the reset.
    deadline = time.monotonic() + 10
    while control.state()["webhooks_sending"] and time.monotonic() < deadline:
        time.sleep(0.05)
    control.reset()


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            receiver.requests.append(
                ReceivedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/api/payments/callback/"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
