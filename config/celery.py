"""Celery app: `celery -A config worker` and `celery -A config beat` (see README)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("scrimverse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
