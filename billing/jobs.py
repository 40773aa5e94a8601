"""Billing's Celery jobs by name (core/jobs.py says why services name a job instead of importing
the task). billing/tasks.py registers each task under its name; the names are the ones Celery has
always used for these tasks."""

WEBHOOK_PROCESS = "billing.tasks.webhook_process_task"
PAYMENT_REFUND = "billing.tasks.payment_refund_task"
REFUNDS_FOR_WITHDRAWAL = "billing.tasks.refunds_for_withdrawal_task"
REFUNDS_FOR_CANCELLATION = "billing.tasks.refunds_for_cancellation_task"
PAYMENTS_RECONCILE = "billing.tasks.payments_reconcile_task"
