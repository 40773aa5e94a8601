"""Test controls under /__control__/ (JSON in, JSON out). Not part of PhonePe's API.

  GET  health                  {"ok": true}
  GET  state                   tokens, orders, refunds, config, pending faults
  POST reset                   forget everything, back to the start config
  POST config                  {"callback_url": ..., "webhook_mode": ..., "refund_mode": ...}
  POST orders/<id>/settle      {"state": "COMPLETED"|"FAILED", "amount"?, webhook}
  POST orders/<id>/expire      {webhook}  (PENDING -> FAILED as if expireAt had passed)
  POST orders/<id>/webhook     {"event"?, "payload"?, webhook}  (re)send, or a stale event
  POST refunds/<id>/settle     {"state": "CONFIRMED"|"COMPLETED"|"FAILED", webhook}
  POST refunds/<id>/webhook    {"event"?, "payload"?, webhook}
  POST faults                  {"kind": "error"|"hang", "count", "status"?, "seconds"?, "path"?}
  POST tokens/expire           every issued token answers 401 from now on
  GET  webhooks                delivery attempts, oldest first
  GET  calls                   API calls seen (method, path, status)

where {webhook} is any of "webhook" (now|twice|late|never), "delay" (s), "times".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .book import ApiError
from .config import WEBHOOK_MODES
from .http import Request, Response, json_response

if TYPE_CHECKING:
    from .state import SandboxState


def _body(request: Request) -> dict[str, Any]:
    data = request.json()
    if not isinstance(data, dict):
        raise ApiError(400, "BAD_REQUEST", "Control bodies are JSON objects")
    return data


def _webhook_options(body: dict[str, Any]) -> dict[str, Any]:
    mode = body.get("webhook")
    if mode is not None and mode not in WEBHOOK_MODES:
        raise ApiError(400, "BAD_REQUEST", f"webhook must be one of {WEBHOOK_MODES}")
    delay = body.get("delay")
    times = body.get("times")
    if delay is not None and not isinstance(delay, int | float):
        raise ApiError(400, "BAD_REQUEST", "delay must be a number of seconds")
    if times is not None and (not isinstance(times, int) or times < 1):
        raise ApiError(400, "BAD_REQUEST", "times must be a positive integer")
    return {"mode": mode, "delay": delay, "times": times}


def _guard(handler: Any) -> Any:
    def wrapped(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
        try:
            return handler(app, request, params)
        except ApiError as exc:
            return json_response(exc.status, exc.body())
        except ValueError as exc:
            return json_response(400, ApiError(400, "BAD_REQUEST", str(exc)).body())

    return wrapped


def health(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    return json_response(200, {"ok": True})


def state(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    snapshot = app.book.snapshot()
    snapshot["config"] = app.config.public()
    snapshot["faults"] = app.faults
    snapshot["webhooks_in_flight"] = app.webhooks.pending()
    snapshot["webhooks_sending"] = app.webhooks.sending()
    return json_response(200, snapshot)


def reset(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    app.reset()
    return json_response(200, {"ok": True})


def configure(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    app.config.update(_body(request))
    return json_response(200, app.config.public())


def order_settle(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    body = _body(request)
    order = app.book.get_order(params["id"])
    records = app.settle_order(
        order, body.get("state", "COMPLETED"), amount=body.get("amount"), **_webhook_options(body)
    )
    return json_response(200, {"order": app.book.order_status(order), "webhooks": records})


def order_expire(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    body = _body(request)
    order = app.book.get_order(params["id"])
    app.book.expire(order)
    records = app.order_webhook(order, **_webhook_options(body))
    return json_response(200, {"order": app.book.order_status(order), "webhooks": records})


def order_webhook(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    """Send an order's event now, again, late, or a stale / out-of-order one.

    With "event" the payload's state follows the event (checkout.order.completed says COMPLETED
    even if the order is pending or failed: a replayed or forged hint); "payload" overrides any
    field, e.g. the amount.
    """
    body = _body(request)
    order = app.book.get_order(params["id"])
    options = _webhook_options(body)
    event = body.get("event")
    if event is None:
        records = app.order_webhook(order, **options)
    else:
        payload = app.book.order_status(order)
        implied = {"checkout.order.completed": "COMPLETED", "checkout.order.failed": "FAILED"}
        payload["state"] = implied.get(event, payload["state"])
        payload.update(body.get("payload") or {})
        records = app.webhooks.send(event, payload, key=order.merchant_order_id, **options)
    return json_response(200, {"webhooks": records})


def refund_settle(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    body = _body(request)
    refund = app.book.get_refund(params["id"])
    records = app.settle_refund(refund, body.get("state", "COMPLETED"), **_webhook_options(body))
    return json_response(200, {"refund": app.book.refund_status(refund), "webhooks": records})


def refund_webhook(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    body = _body(request)
    refund = app.book.get_refund(params["id"])
    options = _webhook_options(body)
    event = body.get("event")
    if event is None:
        records = app.refund_webhook(refund, **options)
    else:
        payload = app.book.refund_status(refund)
        payload.update(body.get("payload") or {})
        records = app.webhooks.send(event, payload, key=refund.merchant_refund_id, **options)
    return json_response(200, {"webhooks": records})


def faults(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    """The next `count` API calls (whose path contains `path`) fail or hang.

    kind=error answers `status` (default 500; 429 is allowed); kind=hang waits `seconds` before
    answering normally, so a client with a shorter timeout sees a timeout.
    """
    body = _body(request)
    kind = body.get("kind", "error")
    count = body.get("count", 1)
    status = body.get("status", 500)
    seconds = body.get("seconds", 10)
    if kind not in ("error", "hang"):
        raise ApiError(400, "BAD_REQUEST", "kind must be error or hang")
    if not isinstance(count, int) or count < 1:
        raise ApiError(400, "BAD_REQUEST", "count must be a positive integer")
    if not isinstance(status, int) or not (status == 429 or 500 <= status <= 599):
        raise ApiError(400, "BAD_REQUEST", "status must be 429 or 5xx")
    if not isinstance(seconds, int | float) or seconds < 0:
        raise ApiError(400, "BAD_REQUEST", "seconds must be a non-negative number")
    fault = {
        "kind": kind,
        "count": count,
        "status": status,
        "seconds": seconds,
        "path": str(body.get("path", "")),
    }
    app.faults.append(fault)
    return json_response(200, {"faults": app.faults})


def tokens_expire(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    return json_response(200, {"expired": app.book.expire_tokens()})


def webhooks(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    return json_response(200, {"attempts": app.webhooks.attempts})


def calls(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    return json_response(200, {"calls": app.calls})


_ID = r"(?P<id>[A-Za-z0-9_-]+)"
_C = "^/__control__"
ROUTES = [
    ("GET", f"{_C}/health$", _guard(health)),
    ("GET", f"{_C}/state$", _guard(state)),
    ("POST", f"{_C}/reset$", _guard(reset)),
    ("POST", f"{_C}/config$", _guard(configure)),
    ("POST", f"{_C}/orders/{_ID}/settle$", _guard(order_settle)),
    ("POST", f"{_C}/orders/{_ID}/expire$", _guard(order_expire)),
    ("POST", f"{_C}/orders/{_ID}/webhook$", _guard(order_webhook)),
    ("POST", f"{_C}/refunds/{_ID}/settle$", _guard(refund_settle)),
    ("POST", f"{_C}/refunds/{_ID}/webhook$", _guard(refund_webhook)),
    ("POST", f"{_C}/faults$", _guard(faults)),
    ("POST", f"{_C}/tokens/expire$", _guard(tokens_expire)),
    ("GET", f"{_C}/webhooks$", _guard(webhooks)),
    ("GET", f"{_C}/calls$", _guard(calls)),
]
