from .env import REDIS_URL, env

__all__ = ["CACHES", "PUBLIC_READ_CACHE", "PUBLIC_READ_CACHE_SECONDS", "REDIS_URL"]

if REDIS_URL:
    # Django's own Redis backend (one client per pool, see config/cache_backends.py): incr/add map
    # to INCRBY/SET NX, which the throttles rely on.
    CACHES = {
        "default": {
            "BACKEND": "config.cache_backends.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sv",
            "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public tournament lists, detail and standings served from the cache until a write or the clock
# changes them (core/api/read_cache.py). Off by default with the per-process memory cache: a
# write in one process could not reach entries held by another.
PUBLIC_READ_CACHE = env.bool("PUBLIC_READ_CACHE", default=bool(REDIS_URL))
# Longest an entry lives whatever happens (bounds a write made outside Django, e.g. psql).
PUBLIC_READ_CACHE_SECONDS = env.int("PUBLIC_READ_CACHE_SECONDS", default=300)
