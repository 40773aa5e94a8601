"""core/observability/task_signals.py: a task's log lines carry the request id of the request
that enqueued it, through the message header on a real (in-thread) worker and inline in eager
mode; task outcomes are counted."""

import io
import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from config.celery import app as project_app
from core.observability import logs
from core.observability.metrics import exposition
from core.observability.task_signals import HEADER
from tests.factories import UserFactory
from tests.support.metrics import parse, value

TASKS = "scrimverse_celery_tasks_total"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Every line of the root logger, as the JSON format writes them (LOG_FORMAT=json)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(previous)


def lines_of(out: io.StringIO, logger: str) -> list[dict[str, Any]]:
    return [
        line for line in map(json.loads, out.getvalue().splitlines()) if line["logger"] == logger
    ]


# A separate app, so the project's stays eager; over an in-memory broker.
worker_side = Celery(
    "observability-test",
    broker="memory://",
    backend="cache+memory://",
    fixups=[],
    set_as_current=False,  # shared tasks (the project's) resolve to the current app
)
worker_side.conf.worker_hijack_root_logger = False


@worker_side.task(name="observability_test.work")
def work(fail: bool = False) -> str | None:
    logging.getLogger("observability_test").warning("working")
    if fail:
        raise ValueError("as asked")
    return logs.current_request_id()


@pytest.fixture
def worker_app() -> Iterator[Celery]:
    """A real worker on a thread of its own: its context starts empty, so nothing of the
    test's context reaches the task but what the message carries."""
    try:
        with start_worker(worker_side, perform_ping_check=False, loglevel="WARNING"):
            yield worker_side
    finally:
        # Starting made the worker's app the current one, through which the project's shared
        # tasks resolve: give the project its own back.
        project_app.set_current()
        project_app.set_default()


def test_a_worker_task_logs_with_the_request_id_that_enqueued_it(
    worker_app: Celery, json_lines: io.StringIO
) -> None:
    published: list[dict[str, Any]] = []

    def record_headers(headers: dict[str, Any] | None = None, **_: Any) -> None:
        published.append(dict(headers or {}))

    from celery import signals

    signals.before_task_publish.connect(record_headers, weak=False)
    token = logs.bind_request_id("req-from-the-web-1")
    try:
        result = work.delay()
    finally:
        logs.unbind_request_id(token)
        signals.before_task_publish.disconnect(record_headers)
    assert published[-1][HEADER] == "req-from-the-web-1"  # it travels in the message
    assert result.get(timeout=10) == "req-from-the-web-1"
    [line] = lines_of(json_lines, "observability_test")
    assert line["request_id"] == "req-from-the-web-1"
    assert line["task"] == "observability_test.work"

    # Sent with no request bound (the beat schedule): an id of its own, not the last task's.
    own = work.delay().get(timeout=10)
    assert own and own != "req-from-the-web-1"
    assert lines_of(json_lines, "observability_test")[-1]["request_id"] == own


def test_task_outcomes_are_counted(worker_app: Celery) -> None:
    before = parse(exposition()[0].decode())
    work.delay().get(timeout=10)
    with pytest.raises(ValueError, match="as asked"):
        work.delay(fail=True).get(timeout=10)
    after = parse(exposition()[0].decode())
    labels = {"task": "observability_test.work"}
    for outcome in ("success", "failure"):
        moved = value(after, TASKS, **labels, outcome=outcome)
        assert moved - value(before, TASKS, **labels, outcome=outcome) == 1
    seconds = "scrimverse_celery_task_duration_seconds_count"
    assert value(after, seconds, **labels) - value(before, seconds, **labels) == 2


@pytest.mark.django_db(transaction=True)  # the email is enqueued on a real commit
def test_an_eager_task_enqueued_by_a_request_logs_with_its_id(
    client: Any, json_lines: io.StringIO
) -> None:
    user = UserFactory(email="reset-me@example.com")
    before = parse(exposition()[0].decode())
    response = client.post(
        "/api/accounts/password-reset/",
        {"email": user.email},
        content_type="application/json",
        headers={"X-Request-ID": "req-reset-42"},
    )
    assert response.status_code == 200 and response["X-Request-ID"] == "req-reset-42"
    [sent] = lines_of(json_lines, "core.tasks")
    assert "email sent" in sent["message"]
    assert (sent["request_id"], sent["task"]) == ("req-reset-42", "core.tasks.send_email")
    after = parse(exposition()[0].decode())
    labels = {"task": "core.tasks.send_email", "outcome": "success"}
    assert value(after, TASKS, **labels) - value(before, TASKS, **labels) == 1
    assert logs.current_request_id() is None  # nothing stays bound after the request


def test_a_worker_serves_its_metrics_on_its_own_port_when_asked(settings: Any) -> None:
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.WORKER_METRICS_PORT = port
    try:
        with start_worker(worker_side, perform_ping_check=False, loglevel="WARNING"):
            work.delay().get(timeout=10)
            text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        project_app.set_current()
        project_app.set_default()
    labels = {"task": "observability_test.work", "outcome": "success"}
    assert value(parse(text), TASKS, **labels) >= 1
