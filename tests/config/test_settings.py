"""config/settings/: the configuration the suite runs on matches the environment (the embedded
defaults, or PostgreSQL and Redis when their URLs are set)."""

import os

from django.conf import settings
from django.db import connection


def test_services_in_use_match_the_environment() -> None:
    # CI's first pass sets both URLs; this proves the suite really ran on PostgreSQL and Redis.
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
        assert settings.DATABASES["default"]["OPTIONS"]["pool"], "psycopg pool must be on"
    else:
        assert connection.vendor == "sqlite"
    backend = settings.CACHES["default"]["BACKEND"]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "config.cache_backends.SharedClientRedisCache"
        assert settings.PUBLIC_READ_CACHE
        assert layer == "channels_redis.pubsub.RedisPubSubChannelLayer"
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
        assert layer == "channels.layers.InMemoryChannelLayer"
        assert settings.CELERY_TASK_ALWAYS_EAGER
