"""Work a service asks a Celery worker to do after commit, by the task's name.

Tasks are a face, like the API: a task calls a service. So a service never imports a task
module (that is the import cycle this module exists to avoid); it names the job, and the task
module registers its task under that name. The names below (and billing's, in billing/jobs.py)
are the whole contract between the two sides; tests/core/test_jobs.py checks that every name
has its task.

Enqueued through the task object (not `send_task`), so eager mode (the embedded defaults and the
tests) runs the job inline exactly as a worker would.
"""

from datetime import datetime
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction

# The names Celery has always used for these tasks (queued messages and the beat schedule carry
# them), so they stay what they were.
SEND_EMAIL = "core.tasks.send_email"
MATCH_CREDENTIALS_NOTIFY = "core.tasks.match_credentials_notify"
TOURNAMENTS_SYNC_SCHEDULE = "core.tasks.tournaments_sync_schedule"
IMAGE_VARIANTS = "core.tasks.image_variants"
WEBHOOKS_FAN_OUT = "core.tasks.webhooks_fan_out"
WEBHOOKS_REGISTRATION = "core.tasks.webhooks_registration"
WEBHOOK_DELIVER = "core.tasks.webhook_deliver"
WEBHOOKS_RETRY_DUE = "core.tasks.webhooks_retry_due"
NOTIFICATIONS_REMINDERS = "core.tasks.notifications_reminders"
ACCOUNT_EXPORT_BUILD = "core.tasks.account_export_build"
ACCOUNT_EXPORTS_PURGE = "core.tasks.account_exports_purge"


def enqueue_after_commit(name: str, *, eta: datetime | None = None, **kwargs: Any) -> None:
    """Run the named task once the current transaction commits (at once outside one); a
    rolled-back transaction enqueues nothing."""
    transaction.on_commit(partial(enqueue, name, eta=eta, **kwargs))


def enqueue_after_commit_or_log(name: str, **kwargs: Any) -> None:
    """As enqueue_after_commit, for work a sweep makes anyway (a webhook send): a broker that
    refuses it is logged, not raised into the request whose change already committed."""

    def send() -> None:  # a named function: Django logs a robust callback's failure by name
        enqueue(name, **kwargs)

    transaction.on_commit(send, robust=True)


def enqueue(name: str, *, eta: datetime | None = None, **kwargs: Any) -> None:
    """Run the named task now (a worker picks it up; inline in eager mode)."""
    task = current_app.tasks[name]  # task modules are imported at start-up (CoreConfig.ready)
    if eta is None:
        task.delay(**kwargs)
    else:
        task.apply_async(kwargs=kwargs, eta=eta)
