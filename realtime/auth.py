"""Who is on the other end of a websocket, in docs/protocol.md's order: Authorization header,
then `?ticket=`, then the Django session cookie. A credential that is present but bad marks the
scope so the consumer can accept and close with 4401 (every client can read that code).

One middleware instead of Channels' cookie + session + auth stack: an anonymous spectator (the
common case by far) costs no session object, no lazy user and no database hop; the session is
read only when its cookie is there (bench/README.md: memory per socket, connect storm)."""

from http.cookies import CookieError, SimpleCookie
from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken

from realtime.tickets import ticket_consume

_ANONYMOUS = AnonymousUser()


@database_sync_to_async
def _user_from_jwt(raw: bytes) -> Any:
    auth = JWTAuthentication()
    try:
        token = auth.get_validated_token(raw)
        user = auth.get_user(token)
    except (InvalidToken, AuthenticationFailed):
        return None
    return user if user.is_active else None


@database_sync_to_async
def _user_from_ticket(ticket: str) -> Any:
    user_id = ticket_consume(ticket=ticket)
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


@database_sync_to_async
def _user_from_session(session_key: str) -> Any:
    """Django's own get_user on the session (it checks the session's auth hash)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(SimpleNamespace(session=store))  # get_user reads only .session
    return user if user.is_authenticated and user.is_active else None


def _session_key(cookie_header: bytes | None) -> str | None:
    if not cookie_header:
        return None
    try:
        cookies = SimpleCookie(cookie_header.decode("latin-1"))
    except CookieError:
        return None
    morsel = cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None and morsel.value else None


async def authenticate(scope: dict) -> tuple[Any, bool]:
    """(user, failed) for a websocket handshake: the user (AnonymousUser when there is no
    credential) and whether a credential was presented and refused."""
    headers = dict(scope.get("headers") or [])
    header = headers.get(b"authorization")
    query = scope.get("query_string") or b""
    ticket = ""
    if b"ticket=" in query:
        ticket = (parse_qs(query.decode("latin-1")).get("ticket") or [""])[0]
    user, failed = None, False
    if header is not None:
        parts = header.split()
        if len(parts) == 2 and parts[0].lower() == b"bearer":
            user = await _user_from_jwt(parts[1])
        failed = user is None
    elif ticket:
        user = await _user_from_ticket(ticket)
        failed = user is None
    else:
        session_key = _session_key(headers.get(b"cookie"))
        if session_key is not None:
            # An expired or foreign session is just an anonymous spectator, not a failure.
            user = await _user_from_session(session_key)
    return user or _ANONYMOUS, failed


class RealtimeAuthMiddleware:
    """`authenticate` as ASGI middleware (scope["user"], scope["auth_failed"]), for /ws/me/."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        user, failed = await authenticate(scope)
        scope = {**scope, "user": user, "auth_failed": failed}
        return await self.inner(scope, receive, send)
