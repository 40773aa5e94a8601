"""Every Prometheus metric of the project, defined once (docs/operations.md lists them).

prometheus-client picks its storage when it is imported: with PROMETHEUS_MULTIPROC_DIR set
(production: several uvicorn workers and Celery processes on one host) each process writes its
values to memory-mapped files in that directory and /metrics sums them; unset (the embedded
setup, the tests) values live in this process. Gauges of connections and rooms count live
processes only ("livesum"): the files of a process that died are dropped at the next start
(`reap_dead_processes`).

Children of labelled metrics that the hot paths use are bound here once: `labels()` takes a
lock and a dict lookup per call.
"""

import os
import re
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Seconds; from a millisecond (a few local sockets) to seconds (a final's audience, a slow box).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

HTTP_REQUESTS = Counter(
    "scrimverse_http_requests",
    "HTTP requests answered, by URL pattern (never the raw path), method and status.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "scrimverse_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
WS_CONNECTIONS = Gauge(
    "scrimverse_ws_connections",
    "Open websockets: room (spectators), host (room sockets that may command), me (/ws/me/).",
    ["kind"],
    multiprocess_mode="livesum",
)
WS_ROOM, WS_HOST, WS_ME = (WS_CONNECTIONS.labels(kind) for kind in ("room", "host", "me"))
ROOMS = Gauge(
    "scrimverse_rooms",
    "Rooms with sockets, summed over processes (a room served by two processes counts twice).",
    multiprocess_mode="livesum",
)
EVENTS_PUBLISHED = Counter(
    "scrimverse_events_published", "Committed room events handed to the channel layer."
)
FANOUT_SECONDS = Histogram(
    "scrimverse_broadcast_fanout_seconds",
    "From the publisher's call after commit to the frames written to the last local socket of "
    "the room; one observation per broadcast per process.",
    buckets=LATENCY_BUCKETS,
)
SLOW_CONSUMER_CLOSES = Counter(
    "scrimverse_slow_consumer_closes", "Sockets closed with 4408: their backlog grew too long."
)
CATCH_UPS = Counter(
    "scrimverse_room_catch_ups",
    "How a room socket was brought up to date: resume (replay after since) or snapshot.",
    ["via"],
)
CATCH_UP_RESUME, CATCH_UP_SNAPSHOT = CATCH_UPS.labels("resume"), CATCH_UPS.labels("snapshot")
CHANNEL_LAYER_ERRORS = Counter(
    "scrimverse_channel_layer_errors",
    "Channel-layer calls that failed (the broker is away), by operation.",
    ["operation"],
)
CELERY_TASKS = Counter(
    "scrimverse_celery_tasks", "Celery task runs by task name and outcome.", ["task", "outcome"]
)
CELERY_TASK_SECONDS = Histogram(
    "scrimverse_celery_task_duration_seconds",
    "Time a Celery task ran, by task name.",
    ["task"],
    buckets=LATENCY_BUCKETS,
)
PAYMENT_TRANSITIONS = Counter(
    "scrimverse_payment_transitions",
    "Committed payment state changes, by the state entered.",
    ["state"],
)


def multiproc_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def registry(directory: str | None = None) -> CollectorRegistry:
    """Every metric summed over the processes writing to `directory` (by default
    PROMETHEUS_MULTIPROC_DIR), or this process's own when there is none."""
    directory = directory or multiproc_dir()
    if directory is None:
        return REGISTRY
    summed = CollectorRegistry()
    multiprocess.MultiProcessCollector(summed, path=directory)
    return summed


def exposition(directory: str | None = None) -> tuple[bytes, str]:
    """The text format of `registry(directory)`, and its content type."""
    return generate_latest(registry(directory)), CONTENT_TYPE_LATEST


def serve_worker_metrics(port: int, address: str) -> None:
    """A Celery worker has no Django view: its main process serves the same text on a port of
    its own (summing its pool's processes through the multiprocess directory)."""
    start_http_server(port, addr=address, registry=registry())


_LIVE_GAUGE_FILE = re.compile(r"gauge_live\w*_(\d+)\.db")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def reap_dead_processes(directory: str | None = None) -> list[int]:
    """Drop the live gauges of processes that are gone (a worker killed, a restart), so their
    sockets no longer count; their counters stay, as a counter must. Returns the pids reaped."""
    directory = directory or multiproc_dir()
    if directory is None:
        return []
    pids = set()
    for path in Path(directory).glob("gauge_live*.db"):
        match = _LIVE_GAUGE_FILE.fullmatch(path.name)
        if match and not _alive(int(match[1])):
            pids.add(int(match[1]))
    for pid in sorted(pids):
        multiprocess.mark_process_dead(pid, directory)
    return sorted(pids)
