"""PostgreSQL restarted under load (docs/quality.md, "Faults"): requests in flight at the restart
may fail, each with 503 `unavailable` in the error shape (never a 500 or an HTML page), and the
service recovers by itself within seconds: psycopg's pool replaces the dead connections.

Real processes: a private PostgreSQL cluster (the run's own database is not touched), migrated
and seeded, and the production server (uvicorn) on it; the test is the load generator."""

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.postgres import PrivateCluster
from tests.support.servers import ROOT, AsgiServer

pytestmark = pytest.mark.postgres

LOAD_SECONDS = 14.0
RESTART_AFTER = 3.0
RECOVERED_WITHIN = 6.0


@pytest.fixture
def server_on_a_private_cluster() -> Iterator[tuple[AsgiServer, PrivateCluster]]:
    cluster = PrivateCluster().start()
    try:
        cluster.wait_ready()
        env = {
            "DATABASE_URL": cluster.url,
            "DB_POOL_TIMEOUT": "2",  # a request waits for a connection at most this long
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
        run = {"cwd": ROOT, "env": AsgiServer(env).env, "capture_output": True, "text": True}
        for command in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
            done = subprocess.run([sys.executable, "manage.py", *command], **run)
            assert done.returncode == 0, done.stderr[-2000:]
        server = AsgiServer({**env, "REDIS_URL": ""}, server="uvicorn").start()
        try:
            yield server, cluster
        finally:
            server.stop()
    finally:
        cluster.remove()


def _load(base: str, results: list[tuple[float, float, int, Any]], stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=10) as http:
        while not stop.is_set():
            started = time.monotonic()
            try:
                response = http.get("/api/tournaments/")
                body = response.json() if response.headers.get("content-type", "").startswith(
                    "application/json") else response.text[:200]  # fmt: skip
                results.append((started, time.monotonic(), response.status_code, body))
            except httpx.TransportError as exc:  # the server itself must never drop us
                results.append((started, time.monotonic(), 0, repr(exc)))
            time.sleep(0.02)


def test_a_restart_costs_only_requests_in_flight_and_recovers_by_itself(
    server_on_a_private_cluster: tuple[AsgiServer, PrivateCluster],
) -> None:
    server, cluster = server_on_a_private_cluster
    results: list[tuple[float, float, int, Any]] = []
    stop = threading.Event()
    loaders = [threading.Thread(target=_load, args=(server.http, results, stop)) for _ in range(3)]
    for loader in loaders:
        loader.start()
    time.sleep(RESTART_AFTER)
    restarted_at = time.monotonic()
    cluster.restart()
    back_at = time.monotonic()
    time.sleep(LOAD_SECONDS - RESTART_AFTER)
    stop.set()
    for loader in loaders:
        loader.join(15)

    statuses = {status for *_, status, _ in results}
    assert statuses <= {200, 503}, [r for r in results if r[2] not in (200, 503)][:3]
    failed = [body for *_, status, body in results if status == 503]
    assert all(isinstance(b, dict) and b["code"] == "unavailable" for b in failed), failed[:3]
    # The load ran through the restart: some requests were in flight while it happened.
    assert any(started < back_at and ended > restarted_at for started, ended, *_ in results)
    before = [s for _, ended, s, _ in results if ended < restarted_at]
    assert before and set(before) == {200}
    # Within seconds of the cluster being back, every request succeeds again.
    settled = [s for started, _, s, _ in results if started > back_at + RECOVERED_WITHIN]
    assert len(settled) > 20 and set(settled) == {200}, (len(failed), settled[:5])
    print(f"{len(results)} requests, {len(failed)} answered 503 around the restart")
