"""Webhook signatures and the retry schedule (docs/webhooks.md): pure, no Django.

The signature is the scheme Stripe uses: `X-Scrimverse-Signature: t=<unix seconds>,v1=<hex>`,
where the hex is HMAC-SHA256 of `f"{t}.{body}"` under the endpoint's secret. A receiver
recomputes it over the raw body and refuses a timestamp older than its tolerance (replays).
"""

import hashlib
import hmac
from datetime import timedelta

SIGNATURE_HEADER = "X-Scrimverse-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
# Waits after the 1st, 2nd, … failed attempt; the last one repeats until the delivery is a day
# old (docs/webhooks.md, "Retries").
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 1200, 1800, 3600)
GIVE_UP_AFTER = timedelta(days=1)


def signature(secret: str, timestamp: int, body: str) -> str:
    signed = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: str) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(
    header: str,
    *,
    secret: str,
    body: str,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver runs: the header's v1 matches and its t is within `tolerance` of now."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts.get("t", [""])[0])
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, v) for v in parts.get("v1", []))


def backoff(failed_attempts: int) -> timedelta:
    """The wait after the n-th failed attempt (n from 1)."""
    index = min(max(failed_attempts, 1), len(BACKOFF_SECONDS)) - 1
    return timedelta(seconds=BACKOFF_SECONDS[index])


def retry_after_seconds(body: object, headers: dict[str, str]) -> float | None:
    """How long a 429 asks us to wait: Discord's JSON `retry_after` (seconds, a float), else the
    `Retry-After` header, else `X-RateLimit-Reset-After`; None when none is readable."""
    candidates: list[object] = []
    if isinstance(body, dict):
        candidates.append(body.get("retry_after"))
    lowered = {k.lower(): v for k, v in headers.items()}
    candidates += [lowered.get("retry-after"), lowered.get("x-ratelimit-reset-after")]
    for value in candidates:
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if seconds >= 0 and seconds == seconds and seconds != float("inf"):
            return seconds
    return None
