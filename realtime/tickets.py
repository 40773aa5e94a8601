"""One-use websocket tickets (docs/protocol.md, Authentication): browsers cannot set headers, so a
JWT-authenticated client trades its token for a short-lived ticket to put in the URL."""

import hashlib
import logging
import secrets

from django.core.cache import cache

from core.api import degraded
from core.errors import Unavailable

log = logging.getLogger(__name__)

TICKET_TTL_SECONDS = 30


def _key(ticket: str) -> str:
    # Only a hash is stored: a cache dump never yields a usable ticket.
    return "rt:ticket:" + hashlib.sha256(ticket.encode()).hexdigest()


def ticket_issue(*, user_id: int) -> str:
    """A new ticket; Unavailable (503) while the shared cache that holds tickets is down."""
    ticket = secrets.token_urlsafe(32)
    try:
        cache.set(_key(ticket), user_id, TICKET_TTL_SECONDS)
    except Exception:
        degraded.report(log, "tickets", "websocket ticket not issued: the cache is down")
        raise Unavailable(
            "Websocket tickets are unavailable right now; try again shortly."
        ) from None
    return ticket


def ticket_consume(*, ticket: str) -> int | None:
    """The ticket's user id, once: DELETE is the atomic gate, so of two racing handshakes with
    the same ticket only the one whose delete removed the key wins."""
    if not ticket or len(ticket) > 200:
        return None
    key = _key(ticket)
    try:
        user_id = cache.get(key)
        if user_id is None or not cache.delete(key):
            return None
    except Exception:  # the cache is down: the ticket cannot be checked (the socket gets 4401)
        degraded.report(log, "tickets", "websocket ticket not checked: the cache is down")
        return None
    return int(user_id)
