from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        # Imported here, not at the top: these reach core's models, which load only once the
        # app registry is ready. core never imports realtime: it exposes hooks
        # (core/hooks.py), and realtime fills them at start-up.
        from core import hooks
        from realtime import broadcast

        hooks.install(
            publish_events=broadcast.publish,
            push_notification=broadcast.push_notification,
            close_user_sockets=broadcast.close_user_sockets,
            readiness_checks=(
                *hooks.current().readiness_checks,
                ("channel_layer", broadcast.check_layer),
            ),
        )
