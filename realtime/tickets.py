"""One-use websocket tickets (docs/protocol.md, Authentication): browsers cannot set headers, so a
JWT-authenticated client trades its token for a short-lived ticket to put in the URL."""

import hashlib
import secrets

from django.core.cache import cache

TICKET_TTL_SECONDS = 30


def _key(ticket: str) -> str:
    # Only a hash is stored: a cache dump never yields a usable ticket.
    return "rt:ticket:" + hashlib.sha256(ticket.encode()).hexdigest()


def ticket_issue(*, user_id: int) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(_key(ticket), user_id, TICKET_TTL_SECONDS)
    return ticket


def ticket_consume(*, ticket: str) -> int | None:
    """The ticket's user id, once: DELETE is the atomic gate, so of two racing handshakes with
    the same ticket only the one whose delete removed the key wins."""
    if not ticket or len(ticket) > 200:
        return None
    key = _key(ticket)
    user_id = cache.get(key)
    if user_id is None or not cache.delete(key):
        return None
    return int(user_id)
