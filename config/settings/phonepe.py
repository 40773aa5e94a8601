from .env import env

__all__ = [
    "PHONEPE_CALLBACK_PASSWORD",
    "PHONEPE_CALLBACK_USERNAME",
    "PHONEPE_CLIENT_ID",
    "PHONEPE_CLIENT_SECRET",
    "PHONEPE_CLIENT_VERSION",
    "PHONEPE_ENV",
    "PHONEPE_LOCAL_URL",
]

# local: the project's own sandbox (billing/phonepe/sandbox.py); sandbox / production: PhonePe's.
PHONEPE_ENV = env.str("PHONEPE_ENV", default="local")
PHONEPE_LOCAL_URL = env.str("PHONEPE_LOCAL_URL", default="http://127.0.0.1:8010")
PHONEPE_CLIENT_ID = env.str("PHONEPE_CLIENT_ID", default="LOCAL_CLIENT")
PHONEPE_CLIENT_SECRET = env.str("PHONEPE_CLIENT_SECRET", default="local-secret")
PHONEPE_CLIENT_VERSION = env.int("PHONEPE_CLIENT_VERSION", default=1)
PHONEPE_CALLBACK_USERNAME = env.str("PHONEPE_CALLBACK_USERNAME", default="local-callback")
PHONEPE_CALLBACK_PASSWORD = env.str("PHONEPE_CALLBACK_PASSWORD", default="local-callback-pw")
