"""core/api/games.py: the games catalog, and the game field every endpoint shares (a slug or an
id, shown as the slug)."""

from typing import Any

import pytest

from core.models import Game
from tests.factories import HostFactory, UserFactory
from tests.support.api import client_as
from tests.support.tournaments import create_body

pytestmark = pytest.mark.django_db


def test_the_catalog_lists_active_games_with_what_clients_need(client: Any) -> None:
    Game.objects.filter(slug="codm").update(is_active=False)
    response = client.get("/api/games/")
    assert response.status_code == 200
    games = {g["slug"]: g for g in response.json()}
    assert "codm" not in games and {"bgmi", "pubg-mobile", "free-fire"} <= set(games)
    bgmi = games["bgmi"]
    assert bgmi == {
        "slug": "bgmi",
        "name": "BGMI",
        "squad_size": 4,
        "max_substitutes": 1,
        "lobby_size": 25,
        "default_points_preset": "pubgm_2023",
        "default_banner": "http://testserver/static/games/bgmi.svg",
    }


@pytest.mark.parametrize("ref", ["bgmi", "by-id"])
def test_a_tournament_takes_its_game_by_slug_or_id(ref: str) -> None:
    game = Game.objects.get(slug="bgmi")
    value = game.pk if ref == "by-id" else "bgmi"
    response = client_as(HostFactory()).post(
        "/api/tournaments/", create_body(game=value), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["game"]["slug"] == "bgmi"


@pytest.mark.parametrize("value", ["chess", 999999, True, ["bgmi"], None])
def test_an_unknown_or_malformed_game_is_a_400_naming_the_field(value: Any) -> None:
    response = client_as(HostFactory()).post(
        "/api/tournaments/", create_body(game=value), format="json"
    )
    assert response.status_code == 400, response.json()
    assert "game" in response.json()["details"]


def test_a_team_takes_its_game_by_id_too() -> None:
    game = Game.objects.get(slug="free-fire")
    response = client_as(UserFactory()).post(
        "/api/accounts/teams/", {"name": "Booyah", "tag": "BY", "game": game.pk}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["game"]["slug"] == "free-fire"
