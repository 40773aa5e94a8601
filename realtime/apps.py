from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        # core never imports realtime: it exposes hooks, and realtime fills them at start-up.
        from core import events
        from realtime import broadcast

        events.register_publisher(broadcast.publish)
