"""Celery's signals, for the operators: a task's outcome and duration in the metrics, and the
request id carried from the enqueueing request into the task's log lines.

The id travels as a message header: `before_task_publish` adds it where the task is sent (a web
process), `task_prerun` binds it where the task runs (a worker) from `task.request.headers`,
which is where Celery puts custom headers on a worker and in eager mode alike. A task sent
without one (the beat schedule) gets an id of its own, so its lines still group together.
"""

import time
from contextvars import Token
from typing import Any

from celery import signals
from django.conf import settings
from django.utils.log import configure_logging

from core.observability import logs, metrics

HEADER = "scrimverse_request_id"

# task id -> what task_postrun undoes (eager tasks nest: keyed, not a single slot).
_running: dict[str, tuple[Token, Token, float]] = {}


def _add_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = logs.current_request_id()
    if headers is not None and request_id and HEADER not in headers:
        headers[HEADER] = request_id


def _request_id_of(task: Any) -> str:
    request = task.request
    sent = logs.acceptable_request_id((getattr(request, "headers", None) or {}).get(HEADER))
    if sent is None:
        sent = logs.acceptable_request_id(getattr(request, HEADER, None))
    if sent is None and getattr(request, "is_eager", False):
        sent = logs.current_request_id()  # inline: still inside the request that sent it
    return sent or logs.new_request_id()


def _task_started(task_id: str, task: Any, **_: Any) -> None:
    tokens = (logs.bind_request_id(_request_id_of(task)), logs.bind_task(task.name))
    _running[task_id] = (*tokens, time.perf_counter())


def _task_finished(task_id: str, task: Any, state: str | None = None, **_: Any) -> None:
    metrics.CELERY_TASKS.labels(task.name, (state or "unknown").lower()).inc()
    started = _running.pop(task_id, None)
    if started is None:
        return
    request_token, task_token, began = started
    metrics.CELERY_TASK_SECONDS.labels(task.name).observe(time.perf_counter() - began)
    logs.unbind_task(task_token)
    logs.unbind_request_id(request_token)


def _keep_django_logging(**_: Any) -> None:
    """A worker would otherwise replace the root logger's handlers with its own format: its
    lines then lose the JSON format and the request id. Answering this signal tells Celery
    logging is configured; it is, from settings.LOGGING, as in the web processes."""
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def _worker_process_started(**_: Any) -> None:
    metrics.reap_dead_processes()


def _worker_started(**_: Any) -> None:
    metrics.reap_dead_processes()
    if settings.WORKER_METRICS_PORT:
        metrics.serve_worker_metrics(settings.WORKER_METRICS_PORT, settings.WORKER_METRICS_ADDRESS)


def connect() -> None:
    """Connect the handlers (config/celery.py, in every process that sends or runs tasks)."""
    signals.before_task_publish.connect(_add_request_id, weak=False, dispatch_uid="obs-publish")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="obs-prerun")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="obs-postrun")
    signals.setup_logging.connect(_keep_django_logging, weak=False, dispatch_uid="obs-logging")
    signals.worker_init.connect(_worker_started, weak=False, dispatch_uid="obs-worker")
    signals.worker_process_init.connect(
        _worker_process_started, weak=False, dispatch_uid="obs-worker-init"
    )
