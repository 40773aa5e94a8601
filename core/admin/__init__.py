"""The Django admin, one module per area (Django imports this package at start-up)."""

from core.admin import accounts, analytics, competition, matchday, moderation, ratings

__all__ = ["accounts", "analytics", "competition", "matchday", "moderation", "ratings"]
