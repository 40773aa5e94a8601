"""Who is on the other end of a websocket, in PROTOCOL.md's order: Authorization header,
then `?ticket=`, then the Django session. A credential that is present but bad marks the scope
so the consumer can accept and close with 4401 (every client can read that code)."""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken

from realtime.tickets import ticket_consume


@database_sync_to_async
def _user_from_jwt(raw: bytes):  # type: ignore[no-untyped-def]
    auth = JWTAuthentication()
    try:
        token = auth.get_validated_token(raw)
        user = auth.get_user(token)
    except (InvalidToken, AuthenticationFailed):
        return None
    return user if user.is_active else None


@database_sync_to_async
def _user_from_ticket(ticket: str):  # type: ignore[no-untyped-def]
    user_id = ticket_consume(ticket=ticket)
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


class TokenAuthMiddleware:
    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        scope = dict(scope)
        scope["auth_failed"] = False
        header = dict(scope.get("headers") or []).get(b"authorization")
        query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
        ticket = (query.get("ticket") or [""])[0]
        user = None
        if header is not None:
            parts = header.split()
            if len(parts) == 2 and parts[0].lower() == b"bearer":
                user = await _user_from_jwt(parts[1])
            scope["auth_failed"] = user is None
        elif ticket:
            user = await _user_from_ticket(ticket)
            scope["auth_failed"] = user is None
        if user is not None:
            scope["user"] = user
        elif scope["auth_failed"]:
            scope["user"] = AnonymousUser()
        return await self.inner(scope, receive, send)


def RealtimeAuthStack(inner):  # type: ignore[no-untyped-def]
    return AuthMiddlewareStack(TokenAuthMiddleware(inner))
