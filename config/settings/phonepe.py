from django.core.exceptions import ImproperlyConfigured

from .env import env

__all__ = [
    "PHONEPE_BASE_URLS",
    "PHONEPE_CALLBACK_PASSWORD",
    "PHONEPE_CALLBACK_USERNAME",
    "PHONEPE_CLIENT_ID",
    "PHONEPE_CLIENT_SECRET",
    "PHONEPE_CLIENT_VERSION",
    "PHONEPE_ENV",
    "PHONEPE_LOCAL_URL",
    "PHONEPE_MAX_ATTEMPTS",
    "PHONEPE_RETRY_BACKOFF_SECONDS",
    "PHONEPE_TIMEOUT_SECONDS",
    "PHONEPE_TOKEN_REFRESH_MARGIN_SECONDS",
]

# local: the project's own sandbox (billing/phonepe/sandbox/); sandbox / production: PhonePe's.
PHONEPE_ENV = env.str("PHONEPE_ENV", default="local")
PHONEPE_LOCAL_URL = env.str("PHONEPE_LOCAL_URL", default="http://127.0.0.1:8010")
PHONEPE_CLIENT_ID = env.str("PHONEPE_CLIENT_ID", default="LOCAL_CLIENT")
PHONEPE_CLIENT_SECRET = env.str("PHONEPE_CLIENT_SECRET", default="local-secret")
PHONEPE_CLIENT_VERSION = env.int("PHONEPE_CLIENT_VERSION", default=1)
PHONEPE_CALLBACK_USERNAME = env.str("PHONEPE_CALLBACK_USERNAME", default="local-callback")
PHONEPE_CALLBACK_PASSWORD = env.str("PHONEPE_CALLBACK_PASSWORD", default="local-callback-pw")

# PhonePe's hosts per environment (docs/payments.md). "local" has no entry: both APIs live at
# PHONEPE_LOCAL_URL, read when the client is built so tests can point it at their own sandbox.
PHONEPE_BASE_URLS = {
    "sandbox": {
        "pg": "https://api-preprod.phonepe.com/apis/pg-sandbox",
        "oauth": "https://api-preprod.phonepe.com/apis/pg-sandbox",
    },
    "production": {
        "pg": "https://api.phonepe.com/apis/pg",
        "oauth": "https://api.phonepe.com/apis/identity-manager",
    },
}
if PHONEPE_ENV != "local" and PHONEPE_ENV not in PHONEPE_BASE_URLS:
    raise ImproperlyConfigured(f"PHONEPE_ENV must be local, sandbox or production: {PHONEPE_ENV!r}")

# Per HTTP attempt; PhonePe asks merchants to answer webhooks within 3 s, so we stay short too.
PHONEPE_TIMEOUT_SECONDS = env.float("PHONEPE_TIMEOUT_SECONDS", default=5.0)
# Attempts per call on connection errors, timeouts, 5xx and 429 (first try included).
PHONEPE_MAX_ATTEMPTS = env.int("PHONEPE_MAX_ATTEMPTS", default=3)
# Backoff before attempt n+1 is base * 2**(n-1) plus jitter.
PHONEPE_RETRY_BACKOFF_SECONDS = env.float("PHONEPE_RETRY_BACKOFF_SECONDS", default=0.5)
# Refresh the cached OAuth token this long before its expires_at (capped at half its lifetime).
PHONEPE_TOKEN_REFRESH_MARGIN_SECONDS = env.int("PHONEPE_TOKEN_REFRESH_MARGIN_SECONDS", default=180)
