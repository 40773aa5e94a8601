"""Rate limits for the sensitive auth endpoints, counted atomically in the cache.

DRF's SimpleRateThrottle reads a list, appends and writes it back: two concurrent requests
both read N and both pass. Here each window has one counter created with `cache.add` (SET NX
on Django's RedisCache) and bumped with `cache.incr` (INCRBY), so the count every request sees
is exact and at most `limit` requests pass per window, however many arrive at once.
Rates come from settings.AUTH_THROTTLE_RATES ("10/min", "5/hour", ...).
"""

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.api import degraded

log = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/min' → (10, 60)."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0].lower()]


def hit(key: str, *, limit: int, window: int) -> tuple[bool, int]:
    """Count one attempt against `key`; return (allowed, seconds until the window resets).
    With the cache down the attempt is allowed (fail open, logged): a throttle must never be
    the reason a sign-in fails while the database is up."""
    now = time.time()
    start = int(now // window) * window
    bucket = f"throttle:{key}:{start}"
    try:
        count = _count(bucket, limit=limit, window=window)
    except Exception:  # the cache backend's own errors (redis-py raises RedisError subclasses)
        degraded.report(log, "throttle", "throttle %s not counted: the cache is down", key)
        return True, 0
    retry_after = max(1, int(start + window - now + 0.999))
    return count <= limit, retry_after


def _count(bucket: str, *, limit: int, window: int) -> int:
    for _ in range(2):
        cache.add(bucket, 0, timeout=window + 1)
        try:
            return cache.incr(bucket)
        except ValueError:  # the bucket expired between add and incr: create it again
            continue
    return limit + 1  # pragma: no cover - would need the key to expire twice in a row


class AtomicAuthThrottle(BaseThrottle):
    """Counts every attempt per client IP (and per extra keys a subclass adds)."""

    scope = ""
    default_rate = "10/min"

    def __init__(self) -> None:
        self._wait: int | None = None

    def get_rate(self) -> str:
        return getattr(settings, "AUTH_THROTTLE_RATES", {}).get(self.scope, self.default_rate)

    def get_ident(self, request: Request) -> str:
        # Without a configured NUM_PROXIES, DRF would trust any X-Forwarded-For a client sends,
        # letting it pick a fresh identity per request; use the socket address instead.
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "") or "unknown"
        return super().get_ident(request)

    def extra_keys(self, request: Request) -> list[str]:
        return []

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method != "POST":
            return True
        limit, window = parse_rate(self.get_rate())
        keys = [f"{self.scope}:ip:{self.get_ident(request)}", *self.extra_keys(request)]
        allowed = True
        for key in keys:
            ok, retry_after = hit(key, limit=limit, window=window)
            if not ok:
                allowed = False
                self._wait = max(self._wait or 0, retry_after)
        return allowed

    def wait(self) -> float | None:
        return self._wait


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


class LoginThrottle(AtomicAuthThrottle):
    """Per IP, and per account identifier so a botnet cannot spread guesses over many IPs."""

    scope = "login"

    def extra_keys(self, request: Request) -> list[str]:
        data = request.data if hasattr(request.data, "get") else {}
        identifier = data.get("email") or data.get("username") or data.get("login")
        if isinstance(identifier, str) and identifier.strip():
            return [f"login:id:{_digest(identifier)}"]
        return []


class RegisterThrottle(AtomicAuthThrottle):
    scope = "register"
    default_rate = "10/hour"


class PasswordResetThrottle(AtomicAuthThrottle):
    """Also per target email, so one address cannot be flooded with reset mails."""

    scope = "password_reset"
    default_rate = "5/hour"

    def extra_keys(self, request: Request) -> list[str]:
        data = request.data if hasattr(request.data, "get") else {}
        email = data.get("email")
        if isinstance(email, str) and email.strip():
            return [f"password_reset:email:{_digest(email)}"]
        return []


class EmailResendThrottle(PasswordResetThrottle):
    """Verification email resends: the same shape and default rate as password reset."""

    scope = "email_resend"


class ReportThrottle(AtomicAuthThrottle):
    """Moderation reports: per IP and per account, so one user cannot flood the staff queue."""

    scope = "report"
    default_rate = "20/hour"

    def extra_keys(self, request: Request) -> list[str]:
        user = getattr(request, "user", None)
        return [f"report:user:{user.pk}"] if user is not None and user.is_authenticated else []
