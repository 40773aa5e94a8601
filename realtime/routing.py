"""Websocket routes (docs/protocol.md, Endpoints).

/ws/tournaments/<id>/ is served by RoomConsumer directly on the connection (realtime/consumers/
raw.py says why): the origin and the credential are checked here, once, with the same code as
the middleware stack that serves /ws/me/ (a Channels consumer: it needs a channel of its own).
"""

import re

from channels.routing import URLRouter
from django.conf import settings
from django.urls import path

from realtime.auth import RealtimeAuthMiddleware, authenticate
from realtime.consumers.me import MeConsumer
from realtime.consumers.raw import Receive, Send, deny
from realtime.consumers.room import RoomConsumer
from realtime.origin import BrowserOriginValidator

websocket_urlpatterns = [path("ws/me/", MeConsumer.as_asgi())]

_origins = BrowserOriginValidator(None, settings.REALTIME_ALLOWED_ORIGINS)
_channels_application = BrowserOriginValidator(
    RealtimeAuthMiddleware(URLRouter(websocket_urlpatterns)), settings.REALTIME_ALLOWED_ORIGINS
)
_ROOM_PATH = re.compile(r"/ws/tournaments/([0-9]+)/")


async def websocket_application(scope: dict, receive: Receive, send: Send) -> None:
    path_ = scope.get("path") or ""
    root = scope.get("root_path") or ""
    if root and path_.startswith(root):
        path_ = path_[len(root) :]
    match = _ROOM_PATH.fullmatch(path_)
    if match is None:
        return await _channels_application(scope, receive, send)
    if not _origins.allows(scope):
        return await deny(receive, send)
    user, failed = await authenticate(scope)
    room = RoomConsumer(scope, send, tournament_id=int(match[1]), user=user, auth_failed=failed)
    await room.run(receive)
