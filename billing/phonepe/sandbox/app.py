"""The sandbox as one ASGI application: PhonePe's API, the checkout page, and test controls.

Routes (docs/payments.md):
  POST /v1/oauth/token                           form-encoded client credentials
  POST /checkout/v2/pay                          O-Bearer
  GET  /checkout/v2/order/<merchantOrderId>/status
  POST /payments/v2/refund
  GET  /payments/v2/refund/<merchantRefundId>/status
  GET  /checkout/<orderId>   POST /checkout/<orderId>/pay|fail     the customer's page
  /__control__/...                               test controls (controls.py)
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from . import checkout, controls
from .book import ApiError
from .config import SandboxConfig
from .http import Request, Response, json_response, read_request, send_response
from .state import SandboxState

Handler = Callable[[Any, Request, dict[str, str]], Awaitable[Response] | Response]


class SandboxApp(SandboxState):
    # --- ASGI --------------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = await read_request(scope, receive)
        await send_response(send, await self.handle(request))

    async def handle(self, request: Request) -> Response:
        for method, pattern, handler, is_api in ROUTES:
            match = pattern.match(request.path)
            if match and request.method == method:
                if is_api:
                    return await self._api(request, handler, match.groupdict())
                result = handler(self, request, match.groupdict())
                return await result if asyncio.iscoroutine(result) else result
        return json_response(
            404, {"success": False, "code": "NOT_FOUND", "message": "No such endpoint", "data": {}}
        )

    async def _api(self, request: Request, handler: Handler, params: dict[str, str]) -> Response:
        fault = self._take_fault(request.path)
        if fault and fault["kind"] == "hang":
            # Longer than the client's timeout: the client gives up, but the request still
            # takes effect afterwards, as a slow PhonePe would (a pay can land unseen).
            await asyncio.sleep(fault["seconds"])
        if fault and fault["kind"] == "error":
            status = fault["status"]
            code = "TOO_MANY_REQUESTS" if status == 429 else "INTERNAL_SERVER_ERROR"
            response = json_response(
                status, {"success": False, "code": code, "message": "Injected fault", "data": {}}
            )
        else:
            try:
                if handler is not api_token:
                    self.book.check_authorization(request.headers.get("authorization"))
                response = handler(self, request, params)
            except ApiError as exc:
                response = json_response(exc.status, exc.body())
        self.calls.append(
            {"method": request.method, "path": request.path, "status": response.status}
        )
        return response

    def _take_fault(self, path: str) -> dict[str, Any] | None:
        for fault in self.faults:
            if fault["path"] in path:
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self.faults.remove(fault)
                return fault
        return None


# --- PhonePe's API -------------------------------------------------------------------------


def api_token(app: SandboxApp, request: Request, params: dict[str, str]) -> Response:
    return json_response(200, app.book.issue_token(request.form()))


def api_pay(app: SandboxApp, request: Request, params: dict[str, str]) -> Response:
    base = app.config.public_url.rstrip("/") or request.base_url
    return json_response(200, app.book.create_order(request.json(), base))


def api_order_status(app: SandboxApp, request: Request, params: dict[str, str]) -> Response:
    order = app.book.get_order(params["merchant_order_id"])
    status = app.book.order_status(order)
    if request.query.get("details") != "true":
        status["paymentDetails"] = status["paymentDetails"][-1:]
    return json_response(200, status)


def api_refund(app: SandboxApp, request: Request, params: dict[str, str]) -> Response:
    refund = app.book.create_refund(request.json())
    answer = {"refundId": refund.refund_id, "amount": refund.amount, "state": refund.state}
    if app.config.refund_mode == "complete":
        app.settle_refund(refund, "COMPLETED")
    elif app.config.refund_mode == "fail":
        app.settle_refund(refund, "FAILED")
    return json_response(200, answer)


def api_refund_status(app: SandboxApp, request: Request, params: dict[str, str]) -> Response:
    refund = app.book.get_refund(params["merchant_refund_id"])
    return json_response(200, app.book.refund_status(refund))


_ID = r"[A-Za-z0-9_-]+"
ROUTES: list[tuple[str, re.Pattern[str], Handler, bool]] = [
    ("POST", re.compile(r"^/v1/oauth/token$"), api_token, True),
    ("POST", re.compile(r"^/checkout/v2/pay$"), api_pay, True),
    (
        "GET",
        re.compile(rf"^/checkout/v2/order/(?P<merchant_order_id>{_ID})/status$"),
        api_order_status,
        True,
    ),
    ("POST", re.compile(r"^/payments/v2/refund$"), api_refund, True),
    (
        "GET",
        re.compile(rf"^/payments/v2/refund/(?P<merchant_refund_id>{_ID})/status$"),
        api_refund_status,
        True,
    ),
    ("GET", re.compile(r"^/checkout/(?P<order_id>OMO[A-Za-z0-9]+)$"), checkout.page, False),
    (
        "POST",
        re.compile(r"^/checkout/(?P<order_id>OMO[A-Za-z0-9]+)/(?P<action>pay|fail)$"),
        checkout.action,
        False,
    ),
    *(
        (method, re.compile(pattern), handler, False)
        for method, pattern, handler in controls.ROUTES
    ),
]


def create_app(config: SandboxConfig | None = None) -> SandboxApp:
    return SandboxApp(config)
