"""Django's Redis cache with its connection pool and redis-py client shared by the process.

Under ASGI, Django keeps cache backends in a context-local (asgiref Local, not thread-critical),
so every request builds a new RedisCache, a new RedisCacheClient, a new connection pool and so a
new TCP connection and HELLO handshake (plus redis-py's driver-version lookup through
importlib.metadata). And get_client() builds a new `redis.Redis` per operation, whose constructor
fills a table of ~170 response callbacks. Together: over 2 ms per request on this machine, more
than everything else a cached API read does (bench/README.md, "REST").

redis-py documents clients and pools as thread-safe (a pool re-creates its connections after a
fork), so one client per server and option set, kept for the life of the process, does the same
work without the rebuilds.
"""

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[tuple, Any] = {}
_lock = threading.Lock()


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._identity = (tuple(servers), repr(sorted(options.items())))

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        ident = (*self._identity, index)
        client = _clients.get(ident)
        if client is None:
            with _lock:
                client = _clients.get(ident)
                if client is None:
                    pool = self._get_connection_pool(write)
                    client = _clients[ident] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
