"""Running without an optimisation: the shared cache (Redis) is one for everything but the
channel layer. When it fails, callers fall back to the database and say so here, at most once a
minute per kind of failure, so an outage is visible in the log without flooding it."""

import logging
import threading
import time

EVERY_SECONDS = 60.0

_last: dict[str, float] = {}
_lock = threading.Lock()


def report(log: logging.Logger, kind: str, message: str, *args: object) -> None:
    """Log `message` as a warning (with the exception being handled, if any) unless `kind` was
    reported less than a minute ago."""
    now = time.monotonic()
    with _lock:
        if now - _last.get(kind, -EVERY_SECONDS) < EVERY_SECONDS:
            return
        _last[kind] = now
    log.warning(message, *args, exc_info=True)


def reset() -> None:
    """Forget what was reported (tests: each starts as a fresh process would)."""
    with _lock:
        _last.clear()
