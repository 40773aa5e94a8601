"""The email task: retried on SMTP errors (bounded, with backoff), acknowledged late."""

import smtplib

import pytest
from django.core import mail

from config.celery import app as celery_app
from core import tasks


@pytest.mark.django_db
def test_smtp_errors_are_retried_then_the_email_is_sent_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = tasks.deliver_email
    attempts = []

    def flaky(**kwargs):  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) < 3:
            raise smtplib.SMTPServerDisconnected("try again")
        real(**kwargs)

    monkeypatch.setattr(tasks, "deliver_email", flaky)
    # Propagating would raise celery's Retry to the caller; a worker re-runs the task instead,
    # and so does eager mode when it does not propagate.
    celery_app.conf.task_eager_propagates = False
    try:
        tasks.send_email.delay(template="welcome", to="a@example.com", context={"name": "A"})
    finally:
        celery_app.conf.task_eager_propagates = True
    assert len(attempts) == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.com"]


def test_the_task_is_acked_late_with_bounded_backoff() -> None:
    task = tasks.send_email
    assert task.acks_late is True
    assert task.max_retries == 8 and task.retry_backoff
    assert smtplib.SMTPException in task.autoretry_for
