"""Rebuild the match statistics (core/services/stats.py) from the stored results: for data
entered before the statistics existed, or to repair them. Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from core.services.stats import stats_rebuild


class Command(BaseCommand):
    help = "Recompute every player's and team's match statistics from the final results."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"statistics rebuilt from {stats_rebuild()} final match(es)")
