"""core/jobs.py (and billing/jobs.py): a service names a job; the task registered under that name
runs once the transaction commits (inline in eager mode), never after a rollback; and every name
either module declares has its registered Celery task."""

from datetime import timedelta
from types import ModuleType
from typing import Any

import pytest
from celery import current_app
from django.core import mail
from django.db import transaction
from django.utils import timezone

from billing import jobs as billing_jobs
from core import jobs, tasks


def job_names(module: ModuleType) -> dict[str, str]:
    return {
        name: value
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str)
    }


@pytest.mark.parametrize("module", [jobs, billing_jobs], ids=["core", "billing"])
def test_every_job_name_is_a_registered_task(module: ModuleType) -> None:
    names = job_names(module)
    assert names  # the module declares its jobs as UPPER_CASE names
    for constant, name in names.items():
        task = current_app.tasks[name]
        assert task.name == name, constant


def test_the_names_are_the_ones_celery_has_always_used() -> None:
    assert job_names(jobs) == {
        "SEND_EMAIL": "core.tasks.send_email",
        "ACCOUNT_EXPORT_BUILD": "core.tasks.account_export_build",
        "ACCOUNT_EXPORTS_PURGE": "core.tasks.account_exports_purge",
        "MATCH_CREDENTIALS_NOTIFY": "core.tasks.match_credentials_notify",
        "TOURNAMENTS_SYNC_SCHEDULE": "core.tasks.tournaments_sync_schedule",
        "IMAGE_VARIANTS": "core.tasks.image_variants",
        "WEBHOOKS_FAN_OUT": "core.tasks.webhooks_fan_out",
        "WEBHOOKS_REGISTRATION": "core.tasks.webhooks_registration",
        "WEBHOOK_DELIVER": "core.tasks.webhook_deliver",
        "WEBHOOKS_RETRY_DUE": "core.tasks.webhooks_retry_due",
        "NOTIFICATIONS_REMINDERS": "core.tasks.notifications_reminders",
    }
    assert set(job_names(billing_jobs).values()) == {
        "billing.tasks.webhook_process_task",
        "billing.tasks.payment_refund_task",
        "billing.tasks.refunds_for_withdrawal_task",
        "billing.tasks.refunds_for_cancellation_task",
        "billing.tasks.payments_reconcile_task",
    }


def welcome(to: str) -> dict[str, Any]:
    return {"template": "welcome", "to": to, "context": {"name": "A"}}


@pytest.mark.django_db(transaction=True)
def test_the_named_task_runs_after_commit_and_not_after_a_rollback() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_after_commit(jobs.SEND_EMAIL, **welcome("rolled@example.com"))
        raise RuntimeError("the change failed")
    assert mail.outbox == []
    with transaction.atomic():
        jobs.enqueue_after_commit(jobs.SEND_EMAIL, **welcome("kept@example.com"))
        assert mail.outbox == []  # not before the commit
    assert [m.to for m in mail.outbox] == [["kept@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_task_runs_at_once() -> None:
    jobs.enqueue_after_commit(jobs.SEND_EMAIL, **welcome("now@example.com"))
    assert [m.to for m in mail.outbox] == [["now@example.com"]]


def test_enqueue_delays_or_schedules_by_eta(monkeypatch: Any) -> None:
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(tasks.send_email, "delay", lambda **kw: calls.append(("delay", kw)))
    monkeypatch.setattr(
        tasks.send_email, "apply_async", lambda **kw: calls.append(("apply_async", kw))
    )
    eta = timezone.now() + timedelta(minutes=5)
    jobs.enqueue(jobs.SEND_EMAIL, **welcome("a@example.com"))
    jobs.enqueue(jobs.SEND_EMAIL, eta=eta, **welcome("b@example.com"))
    assert calls == [
        ("delay", welcome("a@example.com")),
        ("apply_async", {"kwargs": welcome("b@example.com"), "eta": eta}),
    ]


def test_an_unknown_job_name_fails_loudly() -> None:
    with pytest.raises(KeyError):
        jobs.enqueue("core.tasks.no_such_task")
