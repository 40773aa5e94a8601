"""A local stand-in for PhonePe PG v2 (docs/payments.md "The local sandbox"): a standalone ASGI app.

Run it beside the server (it needs no Django settings; configure it with the same environment
variables as the project: PHONEPE_CLIENT_ID, PHONEPE_CLIENT_SECRET, PHONEPE_CALLBACK_URL, ...):

    .venv/bin/python -m billing.phonepe.sandbox            # http://127.0.0.1:8010
    .venv/bin/python -m daphne -b 127.0.0.1 -p 8010 billing.phonepe.sandbox:app
"""

from .app import SandboxApp, create_app
from .config import SandboxConfig

app = create_app()

__all__ = ["SandboxApp", "SandboxConfig", "app", "create_app"]
