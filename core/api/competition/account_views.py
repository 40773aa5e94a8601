"""/api/accounts/leaderboard/ and /api/accounts/notifications/: parse → selector/service →
serialize."""

from django.db.models import QuerySet
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from core.api.pagination import PageNumberPagination
from core.api.params import (
    bool_parameter,
    choice_parameter,
    query_bool,
    query_choice,
    query_ref,
    ref_parameter,
)
from core.api.stats import serializers as stats_s
from core.selectors import competition as sel
from core.selectors import stats as stats_sel
from core.services import notifications

from . import account_serializers as s

LEADERBOARD_KINDS = ("teams", "players")
PERIODS = ("30d", "all")
LEADERBOARD_ENTRY = PolymorphicProxySerializer(
    component_name="LeaderboardEntry",
    serializers=[
        s.TeamLeaderboardSerializer,
        s.PlayerLeaderboardSerializer,
        stats_s.TeamMatchBoardSerializer,
        stats_s.PlayerMatchBoardSerializer,
    ],
    resource_type_field_name=None,
    many=True,
)


class _PaginatedView(APIView):
    pagination_class = PageNumberPagination

    def paginated(self, qs: QuerySet, serializer_class: type[Serializer]) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


class LeaderboardView(_PaginatedView):
    permission_classes = []

    @extend_schema(
        parameters=[
            choice_parameter(
                "kind", LEADERBOARD_KINDS, "teams (default) or players", default="teams"
            ),
            ref_parameter("game", "game slug or id"),
            choice_parameter(
                "period",
                PERIODS,
                "by final matches: 30d (completed in the last 30 days) or all; absent: the "
                "career board (completed tournaments)",
            ),
        ],
        responses=LEADERBOARD_ENTRY,
        summary="Career leaderboard of teams (default) or players",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        kind = query_choice(params, "kind", LEADERBOARD_KINDS, default="teams")
        game = query_ref(params, "game")
        period = query_choice(params, "period", PERIODS)
        if period:
            return self._by_matches(kind, game, period)
        if kind == "players":
            return self.paginated(sel.player_leaderboard(game=game), s.PlayerLeaderboardSerializer)
        return self.paginated(sel.team_leaderboard(game=game), s.TeamLeaderboardSerializer)

    def _by_matches(self, kind: str | None, game: str | None, period: str) -> Response:
        if kind == "players":
            rows = stats_sel.player_match_leaderboard(game=game, period=period)
            return self.paginated(rows, stats_s.PlayerMatchBoardSerializer)
        rows = stats_sel.team_match_leaderboard(game=game, period=period)
        return self.paginated(rows, stats_s.TeamMatchBoardSerializer)


class NotificationListView(_PaginatedView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[bool_parameter("unread", "only the unread ones (default: all)")],
        responses=s.NotificationSerializer(many=True),
        summary="My notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        unread = query_bool(request.query_params, "unread", default=False)
        qs = sel.notification_list(user=request.user, unread_only=bool(unread))
        return self.paginated(qs, s.NotificationSerializer)


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses=s.NotificationSerializer, summary="Mark one notification read"
    )
    def post(self, request: Request, notification_id: int) -> Response:
        n = notifications.notification_mark_read(
            actor=request.user, notification_id=notification_id
        )
        return Response(s.NotificationSerializer(n).data)


class NotificationReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses=s.CountSerializer, summary="Mark all my notifications read"
    )
    def post(self, request: Request) -> Response:
        return Response({"updated": notifications.notifications_mark_all_read(actor=request.user)})
