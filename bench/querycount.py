"""Counts every SQL statement the server process runs, on every connection (each worker thread
has its own), with Django's execute_wrapper. Installed only by bench/asgi.py.

Why not the database's own counters: pg_stat_statements is not available, pg_stat_database
counts transactions (not queries) for every client of the cluster, and SQLite has neither."""

import threading
from collections import Counter
from typing import Any

_lock = threading.Lock()
_seen = 0
_by_statement: Counter[str] = Counter()


def _wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    global _seen
    with _lock:
        _seen += 1
        _by_statement[sql[:160]] += 1
    return execute(sql, params, many, context)


def total() -> int:
    return _seen


def top(k: int = 5) -> list[tuple[str, int]]:
    """The most frequent statements (their first 160 characters): what to fix when not constant."""
    with _lock:
        return _by_statement.most_common(k)


def install() -> None:
    from django.db.backends.signals import connection_created

    def on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.append(_wrapper)

    connection_created.connect(on_connection, weak=False)
