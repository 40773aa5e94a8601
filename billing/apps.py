from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: models (and so services) load only once the app
        # registry is ready. Then core's hooks are filled (core never imports billing:
        # docs/architecture.md), and the tasks register under the names billing/jobs.py gives.
        from billing import tasks  # noqa: F401
        from billing.services.hooks import install

        install()
