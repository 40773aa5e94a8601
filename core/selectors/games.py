"""The games catalog (seeded by a data migration; staff add games in the admin)."""

from django.db.models import QuerySet

from core.models import Game


def game_list() -> QuerySet[Game]:
    """Games open for new tournaments and teams, by name."""
    return Game.objects.filter(is_active=True).order_by("name")


def game_by_ref(ref: str | int, *, queryset: QuerySet[Game] | None = None) -> Game | None:
    """A game by its slug or its id (every endpoint accepts either)."""
    games = Game.objects.all() if queryset is None else queryset
    text = str(ref).strip()
    if text.isdigit():
        return games.filter(pk=int(text)).first()
    return games.filter(slug=text).first()
