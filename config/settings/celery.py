from .env import REDIS_URL, env

__all__ = [
    "CELERY_BEAT_SCHEDULE",
    "CELERY_BROKER_TRANSPORT_OPTIONS",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ACKS_LATE",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_TASK_EAGER_PROPAGATES",
    "CELERY_TASK_REJECT_ON_WORKER_LOST",
    "CELERY_TIMEZONE",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
]

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# No broker configured: run tasks inline so a newcomer needs no worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged after it ran, so a killed worker's task is redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task taken by a worker that died without acknowledging it (SIGKILL, a lost machine) goes to
# another worker after this long. Longer than any task of ours runs; short enough that an email
# or a refund is not an hour late.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=300),
    # How often a worker looks for such tasks (kombu scans every interval x throttle seconds;
    # its default of 10 x 10 would leave an abandoned task waiting up to ~100 s more).
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL_SECONDS", default=10),
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Periodic work; each feature adds its entry here.
CELERY_BEAT_SCHEDULE: dict = {
    # Registration windows open/close on time and lapsed payment holds free their seats.
    "tournaments-sync-schedule": {
        "task": "core.tasks.tournaments_sync_schedule",
        "schedule": 60.0,
    },
    # Open PhonePe orders polled on a growing schedule; due refunds retried (billing/tasks.py).
    "billing-payments-reconcile": {
        "task": "billing.tasks.payments_reconcile_task",
        "schedule": 15.0,
    },
    # Webhook deliveries whose retry is due (core/services/webhook_deliveries.py).
    "webhooks-retry-due": {
        "task": "core.tasks.webhooks_retry_due",
        "schedule": 15.0,
    },
    # Reminders selected from the data: check-in open / closing in 10 min, match in 15 min
    # (core/services/reminders.py); once per user by a unique constraint.
    # Account export archives deleted once their one-day link expired.
    "account-exports-purge": {
        "task": "core.tasks.account_exports_purge",
        "schedule": 3600.0,
    },
    "notifications-reminders": {
        "task": "core.tasks.notifications_reminders",
        "schedule": 60.0,
    },
}
