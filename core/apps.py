from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: both reach the models, which load only once the app
        # registry is ready. The tasks register under the names services enqueue them by
        # (core/jobs.py), so every process must know them before its first commit.
        from core import tasks  # noqa: F401
        from core.api import read_cache

        read_cache.install()
