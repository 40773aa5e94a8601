"""The sandbox's settings: environment variables at start, changeable by tests at run time.

The variable names are the Django project's own (PHONEPE_CLIENT_ID, ...), so one .env or one set
of exports configures both sides, but nothing here imports Django.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

WEBHOOK_MODES = ("now", "twice", "late", "never")
REFUND_MODES = ("complete", "pending", "fail")


@dataclass
class SandboxConfig:
    client_id: str = "LOCAL_CLIENT"
    client_secret: str = "local-secret"  # noqa: S105 - the dev default, same as settings
    client_version: int = 1
    merchant_id: str = "SANDBOXMERCHANT"
    callback_url: str = "http://127.0.0.1:8000/api/payments/callback/"
    callback_username: str = "local-callback"
    callback_password: str = "local-callback-pw"  # noqa: S105 - the dev default
    # Where browsers reach the checkout page; empty = the Host the pay call came in on.
    public_url: str = ""
    token_ttl: int = 3600
    # What settling an order (checkout buttons, or a control without "webhook") does:
    # now = one webhook at once, twice = two at once, late = one after webhook_delay s, never.
    webhook_mode: str = "now"
    webhook_delay: float = 2.0
    webhook_timeout: float = 5.0
    # What a new refund does: complete at once, stay pending (tests settle it), or fail.
    refund_mode: str = "complete"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> SandboxConfig:
        environ = os.environ if environ is None else environ
        defaults = cls()

        def get(name: str, default: Any) -> Any:
            raw = environ.get(name)
            return default if raw in (None, "") else type(default)(raw)

        return cls(
            client_id=get("PHONEPE_CLIENT_ID", defaults.client_id),
            client_secret=get("PHONEPE_CLIENT_SECRET", defaults.client_secret),
            client_version=get("PHONEPE_CLIENT_VERSION", defaults.client_version),
            merchant_id=get("PHONEPE_SANDBOX_MERCHANT_ID", defaults.merchant_id),
            callback_url=get("PHONEPE_CALLBACK_URL", defaults.callback_url),
            callback_username=get("PHONEPE_CALLBACK_USERNAME", defaults.callback_username),
            callback_password=get("PHONEPE_CALLBACK_PASSWORD", defaults.callback_password),
            public_url=get("PHONEPE_SANDBOX_PUBLIC_URL", defaults.public_url),
            token_ttl=get("PHONEPE_SANDBOX_TOKEN_TTL", defaults.token_ttl),
            webhook_mode=get("PHONEPE_SANDBOX_WEBHOOK_MODE", defaults.webhook_mode),
            webhook_delay=get("PHONEPE_SANDBOX_WEBHOOK_DELAY", defaults.webhook_delay),
            refund_mode=get("PHONEPE_SANDBOX_REFUND_MODE", defaults.refund_mode),
        )

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a control request's changes, checking names and types."""
        known = {f.name: f for f in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r}")
            current = getattr(self, name)
            if isinstance(current, float) and isinstance(value, int):
                value = float(value)
            if type(value) is not type(current):
                raise ValueError(f"{name} must be {type(current).__name__}")
            if name == "webhook_mode" and value not in WEBHOOK_MODES:
                raise ValueError(f"webhook_mode must be one of {WEBHOOK_MODES}")
            if name == "refund_mode" and value not in REFUND_MODES:
                raise ValueError(f"refund_mode must be one of {REFUND_MODES}")
        for name, value in changes.items():
            current = getattr(self, name)
            setattr(self, name, float(value) if isinstance(current, float) else value)

    def public(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["client_secret"] = "***"  # noqa: S105
        data["callback_password"] = "***"  # noqa: S105
        return data
