"""Optional error reports to Sentry: on only when SENTRY_DSN is set (config/settings)."""

from typing import Any


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    # Imported here: a process without a DSN never pays for loading the SDK and its integrations.
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "traces_sample_rate": traces_sample_rate,
        # Players' emails, phone numbers and IPs stay out of a third party's hands.
        "send_default_pii": False,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
    }
    sentry_sdk.init(**options)
