"""Billing writes: payments (payments.py), refunds (refunds.py), webhooks (webhooks.py),
reconciliation (reconcile.py) and the hooks core calls (hooks.py)."""
