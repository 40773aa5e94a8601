"""core/models/games.py: the games catalog the data migration writes."""

import pytest

from core.models import Game


@pytest.mark.django_db
def test_games_catalog_is_migrated() -> None:
    games = {g.slug: g for g in Game.objects.all()}
    assert {"bgmi", "pubg-mobile", "free-fire", "codm"} <= set(games)
    assert games["bgmi"].lobby_size == 25 and games["free-fire"].lobby_size == 12
    assert games["free-fire"].default_points_preset == "freefire"
