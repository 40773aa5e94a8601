"""The request id and HTTP metrics of every request, and /metrics (docs/operations.md).

A plain Django view, outside /api/ and so outside the public OpenAPI schema: it is for
Prometheus, behind a bearer token (METRICS_TOKEN) or an address allow-list (METRICS_ALLOWED_IPS),
and answers refusals in the one error shape.
"""

import hmac
import ipaddress
import time
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.api.errors import error_body
from core.observability import logs, metrics

REQUEST_ID_HEADER = "X-Request-ID"
# Methods are a label: anything else a client invents counts as one value, not a new series.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"  # no URL pattern (404s): the raw path would be unbounded


class RequestObservabilityMiddleware:
    """The outermost middleware: binds the request id (the client's X-Request-ID when it is a
    sane one, else a new one) for every log line the request writes and every task it enqueues,
    answers it in the response, and counts the request by URL pattern."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.acceptable_request_id(request.headers.get(REQUEST_ID_HEADER))
        request_id = request_id or logs.new_request_id()
        token = logs.bind_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            logs.unbind_request_id(token)
        response[REQUEST_ID_HEADER] = request_id
        _count(request, response.status_code, time.perf_counter() - started)
        return response


def _count(request: HttpRequest, status: int, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    route = "/" + match.route if match is not None and match.route else UNMATCHED
    method = request.method if request.method in _METHODS else "OTHER"
    metrics.HTTP_REQUESTS.labels(route, method, str(status)).inc()
    metrics.HTTP_LATENCY.labels(route, method).observe(seconds)


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in allowed)


def _address_allowed(request: HttpRequest) -> bool:
    allowed = tuple(settings.METRICS_ALLOWED_IPS)
    if not allowed:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in _networks(allowed))


def _token_matches(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        refused = JsonResponse(error_body("method_not_allowed", "Use GET."), status=405)
        refused["Allow"] = "GET, HEAD"
        return refused
    if not (_token_matches(request) or _address_allowed(request)):
        return _refusal()
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


def _refusal() -> JsonResponse:
    if settings.METRICS_TOKEN:
        response = JsonResponse(
            error_body("not_authenticated", "Send Authorization: Bearer <METRICS_TOKEN>."),
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    message = "Metrics are for the allowed addresses (METRICS_ALLOWED_IPS) or a METRICS_TOKEN."
    return JsonResponse(error_body("forbidden", message), status=403)
