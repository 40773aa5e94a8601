from .env import REDIS_URL

__all__ = ["CACHES", "REDIS_URL"]

if REDIS_URL:
    # Django's own Redis backend: incr/add map to INCRBY/SET NX, which the throttles rely on.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sv",
            "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
