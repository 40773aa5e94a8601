from .env import env

__all__ = ["LOGGING"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
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
