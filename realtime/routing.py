"""Websocket routes (PROTOCOL.md, Endpoints)."""

from channels.routing import URLRouter
from django.conf import settings
from django.urls import path

from realtime.auth import RealtimeAuthMiddleware
from realtime.consumers.me import MeConsumer
from realtime.consumers.room import RoomConsumer
from realtime.origin import BrowserOriginValidator

websocket_urlpatterns = [
    path("ws/tournaments/<int:tournament_id>/", RoomConsumer.as_asgi()),
    path("ws/me/", MeConsumer.as_asgi()),
]

websocket_application = BrowserOriginValidator(
    RealtimeAuthMiddleware(URLRouter(websocket_urlpatterns)), settings.REALTIME_ALLOWED_ORIGINS
)
