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


# Without the database nothing works: not ready. The shared cache and the channel layer are what
# a process serves better with (docs/quality.md, "Faults"): REST, submits and joins go on without
# them, and clients resume what they missed, so their outage is reported, not a reason to be
# taken out of the load balancer (which, every process sharing one Redis, would take them all).
ESSENTIAL = frozenset({"database"})


def readyz(request: HttpRequest) -> JsonResponse:
    # The channel layer's check is realtime's, filled in at start-up (core/hooks.py).
    checks = {"database": _check_database, "cache": _check_cache, **dict(hooks.readiness_checks())}
    down = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # every failure is reported with its reason
            down[name] = f"{type(exc).__name__}: {exc}"[:200]
    if ESSENTIAL & set(down):
        return JsonResponse(
            {"code": "unavailable", "message": "Not ready: " + ", ".join(down), "details": down},
            status=503,
        )
    status = "degraded" if down else "ok"
    return JsonResponse({"status": status, "checks": {n: down.get(n, "ok") for n in checks}})
