"""Liveness and readiness probes (plain Django views: no auth, no throttling, no pagination)."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

from core import hooks


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


def readyz(request: HttpRequest) -> JsonResponse:
    # The channel layer's check is realtime's, filled in at start-up (core/hooks.py).
    checks = {"database": _check_database, "cache": _check_cache, **dict(hooks.readiness_checks())}
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
