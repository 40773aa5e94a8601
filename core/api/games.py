"""GET /api/games/: the catalog a client needs before it creates a tournament or a team (every
endpoint that takes a game accepts its slug or its id), and the serializer field that does so."""

from typing import Any

from django.templatetags.static import static
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Game
from core.selectors.games import game_by_ref, game_list


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "minLength": 1, "example": "bgmi"},
            {"type": "integer", "minimum": 1},
        ],
        "description": "the game's slug (or its id)",
    }
)
class GameField(serializers.RelatedField):
    """A game given by slug ("bgmi") or id; shown as its slug."""

    default_error_messages = {
        "does_not_exist": "No game {value!r}: see GET /api/games/ for the slugs.",
        "invalid": "A game is its slug (e.g. bgmi) or its id.",
    }

    def to_internal_value(self, data: Any) -> Game:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        game = game_by_ref(data, queryset=self.get_queryset())
        if game is None:
            self.fail("does_not_exist", value=data)
        return game

    def to_representation(self, value: Game) -> str:
        return value.slug


class GameSerializer(serializers.ModelSerializer):
    default_banner = serializers.SerializerMethodField()

    class Meta:
        model = Game
        fields = [
            "slug",
            "name",
            "squad_size",
            "max_substitutes",
            "lobby_size",
            "default_points_preset",
            "default_banner",
        ]

    def get_default_banner(self, game: Game) -> str | None:
        if not game.banner:
            return None
        request = self.context.get("request")
        url = static(game.banner)
        return request.build_absolute_uri(url) if request is not None else url


class GameListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses=GameSerializer(many=True),
        summary="Games open for tournaments and teams",
        description="Every endpoint that takes a game accepts its `slug` (or its id).",
    )
    def get(self, request: Request) -> Response:
        games = GameSerializer(game_list(), many=True, context={"request": request})
        return Response(games.data)
