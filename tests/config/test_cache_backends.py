"""config/cache_backends.py: on Redis, the per-request cache backends share one client, and
counters are atomic."""

import pytest
from django.core.cache import cache, caches


@pytest.mark.redis
def test_redis_cache_backends_share_one_client_per_process() -> None:
    """Under ASGI Django makes a cache backend per request (a context-local): they must not each
    open a pool and a TCP connection (config/cache_backends.py)."""
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second
    assert first._cache.get_client() is second._cache.get_client()
    second.set("shared-client", 1, 30)
    assert first.get("shared-client") == 1


@pytest.mark.redis
def test_redis_cache_counts_atomically() -> None:
    cache.add("counter", 0, 30)
    assert [cache.incr("counter") for _ in range(3)] == [1, 2, 3]
