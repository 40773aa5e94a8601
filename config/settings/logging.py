from .env import env

__all__ = ["LOGGING"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Handshake lines carry query strings (tickets); daphne's access log stays quiet.
        "daphne": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
