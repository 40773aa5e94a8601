"""Websocket routes. The live rooms (PROTOCOL.md) plug in here."""

from channels.routing import URLRouter
from django.conf import settings

from realtime.origin import BrowserOriginValidator

websocket_urlpatterns: list = []

websocket_application = BrowserOriginValidator(
    URLRouter(websocket_urlpatterns), settings.REALTIME_ALLOWED_ORIGINS
)
