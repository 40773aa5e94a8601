"""A Celery worker SIGKILLed while it sends an email (docs/quality.md, "Faults"): the task was
acknowledged late, so the broker hands it to the next worker, and the email's idempotency key
makes that delivery the only one the mail server ever completes.

Real processes: a private redis-server as the broker, `celery worker` processes on this run's
test database, and a real SMTP server (aiosmtpd) that holds the first message until the worker
sending it has been killed."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis as redis_py
from aiosmtpd.controller import Controller
from celery import Celery

from core.models import SentEmail
from tests.support.servers import ROOT, RedisServer, database_url_of_this_run, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class HoldFirstMessage:
    """An SMTP handler that keeps the first DATA waiting (its sender is killed meanwhile) and
    accepts every later one."""

    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.first_arrived = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.seen == 1:
            self.first_arrived.set()
            await asyncio.sleep(30)  # far beyond the kill: this delivery never completes
            return "451 Try again later"
        content = envelope.content.decode("utf8", errors="replace")
        self.accepted.append(content)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[HoldFirstMessage, int]]:
    handler = HoldFirstMessage()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _worker(redis: RedisServer, smtp_port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_this_run(),
        "REDIS_URL": redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT_SECONDS": "3",  # a dead worker's task moves on after 3 s
        "CELERY_RESTORE_INTERVAL_SECONDS": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "60",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
               "-c", "1", "--without-gossip", "--without-mingle", "-l", "info"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _wait_until_consumed(redis: RedisServer, timeout: float = 30) -> None:
    """Until the queue is empty and nothing taken is unacknowledged: every delivery is done."""
    client = redis_py.Redis.from_url(redis.url)
    deadline = time.monotonic() + timeout
    while client.llen("celery") or client.hlen("unacked"):
        assert time.monotonic() < deadline, "the worker did not take its tasks"
        time.sleep(0.2)
    time.sleep(0.5)  # the last one's SMTP conversation, had it been sent


def test_a_killed_worker_s_email_is_sent_once_by_the_next(
    redis_server: RedisServer, smtp: tuple[HoldFirstMessage, int]
) -> None:
    handler, port = smtp
    key = uuid.uuid4().hex
    producer = Celery(broker=redis_server.url)
    email = {"key": key, "template": "welcome", "to": "asha@example.com", "context": {"name": "A"}}
    producer.send_task("core.tasks.send_email", kwargs=email)
    first = _worker(redis_server, port)
    try:
        assert handler.first_arrived.wait(60), "the first worker never started sending"
        os.kill(first.pid, signal.SIGKILL)  # mid-send: the task is not acknowledged
        first.wait(10)
        second = _worker(redis_server, port)
        try:
            deadline = time.monotonic() + 60
            while not handler.accepted and time.monotonic() < deadline:
                time.sleep(0.2)
            assert len(handler.accepted) == 1, "the email was not sent by the next worker"
            # The same task delivered once more (an ack lost after the send): nothing is sent.
            producer.send_task("core.tasks.send_email", kwargs=email)
            _wait_until_consumed(redis_server)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
    finally:
        if first.poll() is None:
            first.kill()
    assert len(handler.accepted) == 1
    assert f"Message-ID: <{key}@scrimverse.mail>" in handler.accepted[0]
    assert SentEmail.objects.get(key=key).sent_at is not None
