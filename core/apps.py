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
        from core.observability import task_signals

        read_cache.install()
        # Task outcomes in the metrics, and the enqueueing request's id in a task's log lines, in
        # every process that sends or runs tasks. Here, once settings are loaded: the metrics'
        # storage (PROMETHEUS_MULTIPROC_DIR) is chosen when prometheus-client is first imported.
        task_signals.connect()
