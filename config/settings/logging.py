from .env import env

__all__ = ["LOGGING"]

# plain: for a terminal; json: one object per line for a log shipper (docs/operations.md). Both
# carry the request id (core/observability/logs.py); plain shows it only when there is one.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ValueError(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"()": "core.observability.logs.PlainFormatter"},
        "json": {"()": "core.observability.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's defaults give "django" a console handler of its own besides the root's:
        # every request line (django.channels.server under runserver) would print twice.
        "django": {"handlers": [], "propagate": True},
        # A 4xx is the access log's line already; server errors (5xx) still log with traceback.
        "django.request": {"level": "ERROR"},
        # Handshake lines carry query strings (tickets); daphne's access log stays quiet.
        "daphne": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
