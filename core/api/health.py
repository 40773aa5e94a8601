"""Liveness and readiness probes (plain Django views: no auth, no throttling, no pagination)."""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)("readyz", {"type": "readyz.ping"})


def readyz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _check_database,
        "cache": _check_cache,
        "channel_layer": _check_channel_layer,
    }
    down = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # every failure means "not ready"; the reason is reported
            down[name] = f"{type(exc).__name__}: {exc}"[:200]
    if down:
        return JsonResponse(
            {"code": "unavailable", "message": "Not ready: " + ", ".join(down), "details": down},
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": dict.fromkeys(checks, "ok")})
