from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fill core's hooks: publishing needs the plan fee, paid entries get a payment, and
        # withdrawing or cancelling refunds (ARCHITECTURE.md: core never imports billing).
        from billing.services.hooks import install

        install()
