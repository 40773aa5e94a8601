"""Calls started at the same moment on their own threads, for race tests on PostgreSQL."""

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run every call on its own thread, released together by a barrier; each thread closes its
    own database connection. Returns each call's result, or the repr of what it raised (a crash
    is a result the assertions must see), in the order they finished."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = call()
        except Exception as exc:
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert len(results) == len(calls), "a thread did not finish"
    return results
