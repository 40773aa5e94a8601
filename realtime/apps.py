from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        # core never imports realtime: it exposes hooks, and realtime fills them at start-up.
        from core import events
        from core.services import notifications
        from realtime import broadcast

        events.register_publisher(broadcast.publish)
        notifications.register_notification_pusher(broadcast.push_notification)
