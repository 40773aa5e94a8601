"""Thin views: parse → service/selector → serialize. Rules live in core/services and selectors."""

from dataclasses import asdict

from django.db.models import QuerySet
from django.http import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from core.api import read_cache
from core.api.pagination import PageNumberPagination
from core.models import Match, Tournament
from core.selectors import competition as sel
from core.selectors.standings import (
    GROUP,
    ROUND,
    TOURNAMENT,
    Scope,
    standings_rows,
    top_fraggers,
)
from core.selectors.tournaments import tournament_get
from core.services import announcements, competition, matches, notifications, results, winners

from . import serializers as s

# A retried write with the same key (and the same user) answers its first outcome.
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, description="≤ 64 chars"
)


def _idempotency_key(request: Request) -> str | None:
    return request.headers.get("Idempotency-Key") or None


def _tournament(request: Request, tournament_id: int) -> Tournament:
    return tournament_get(viewer=request.user, pk=tournament_id)


def _paginated(
    view: APIView, request: Request, qs: QuerySet, serializer_class: type[Serializer]
) -> Response:
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class RoundListView(APIView):
    @extend_schema(responses=s.RoundSerializer(many=True), summary="Rounds of a tournament")
    def get(self, request: Request, tournament_id: int) -> Response:
        rounds = sel.round_list(tournament=_tournament(request, tournament_id))
        return Response(s.RoundSerializer(rounds, many=True).data)

    @extend_schema(
        request=s.RoundSerializer, responses={201: s.RoundSerializer}, summary="Add a round"
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        data = s.RoundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = competition.round_create(
            actor=request.user,
            tournament=_tournament(request, tournament_id),
            **data.validated_data,
        )
        return Response(s.RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class RoundCompleteView(APIView):
    @extend_schema(
        request=None,
        responses=s.RoundSerializer,
        summary="Complete a round; advance its qualified teams",
    )
    def post(self, request: Request, tournament_id: int, round_id: int) -> Response:
        tournament = _tournament(request, tournament_id)
        round_ = sel.round_get(tournament=tournament, round_id=round_id)
        done = competition.round_complete(actor=request.user, tournament=tournament, round_=round_)
        return Response(s.RoundSerializer(done).data)


class GroupListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("round", int)],
        responses=s.GroupSerializer(many=True),
        summary="Groups (with their teams)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        groups = sel.group_list(
            tournament=_tournament(request, tournament_id),
            round_id=request.query_params.get("round"),
        )
        return Response(s.GroupSerializer(groups, many=True).data)

    @extend_schema(
        request=s.GroupCreateSerializer,
        responses={201: s.GroupSerializer(many=True)},
        summary="Create a group by hand, or `auto_seed` N groups from the round's entrants",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        data = s.GroupCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        tournament = _tournament(request, tournament_id)
        round_ = sel.round_get(tournament=tournament, round_id=v["round"])
        if v["auto_seed"]:
            created = competition.groups_auto_seed(
                actor=request.user,
                tournament=tournament,
                round_=round_,
                groups=v["groups"],
                seed=v.get("seed"),
            )
        else:
            created = [
                competition.group_create(
                    actor=request.user,
                    tournament=tournament,
                    round_=round_,
                    name=v["name"],
                    team_ids=v.get("teams", []),
                )
            ]
        groups = sel.group_list(tournament=tournament).filter(pk__in=[g.pk for g in created])
        return Response(s.GroupSerializer(groups, many=True).data, status=status.HTTP_201_CREATED)


class MatchListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("round", int), OpenApiParameter("group", int)],
        responses=s.MatchSerializer(many=True),
        summary="Matches of a tournament",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        qs = sel.match_list(
            tournament=_tournament(request, tournament_id),
            round_id=request.query_params.get("round"),
            group_id=request.query_params.get("group"),
        )
        return Response(s.MatchSerializer(qs, many=True).data)

    @extend_schema(
        request=s.MatchCreateSerializer,
        responses={201: s.MatchSerializer},
        summary="Add a match to a group",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        data = s.MatchCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        tournament = _tournament(request, tournament_id)
        match = matches_create(request, tournament, v)
        return Response(s.MatchSerializer(match).data, status=status.HTTP_201_CREATED)


def matches_create(request: Request, tournament: Tournament, v: dict) -> Match:
    group = sel.group_get(tournament=tournament, group_id=v["group"])
    return competition.match_create(
        actor=request.user,
        tournament=tournament,
        group=group,
        number=v.get("number"),
        map_name=v.get("map", ""),
        scheduled_at=v.get("scheduled_at"),
    )


class MatchDetailView(APIView):
    @extend_schema(responses=s.MatchSerializer, summary="One match")
    def get(self, request: Request, match_id: int) -> Response:
        match = sel.match_get(pk=match_id)
        tournament_get(viewer=request.user, pk=match.tournament_id)  # visibility
        return Response(s.MatchSerializer(match).data)

    @extend_schema(
        request=s.ResultSubmitSerializer,
        responses=s.ResultOutcomeSerializer,
        parameters=[IDEMPOTENCY_KEY],
        summary="Submit the whole result of a match (docs/protocol.md result.submit rules)",
    )
    def put(self, request: Request, match_id: int) -> Response:
        data = s.ResultSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = results.match_result_submit(
            actor=request.user,
            match_id=match_id,
            submission=data.submission(),
            request_id=_idempotency_key(request),
        )
        return Response(asdict(outcome))

    @extend_schema(
        request=s.MatchPatchSerializer,
        responses=s.MatchSerializer,
        parameters=[IDEMPOTENCY_KEY],
        summary="Status, schedule, room credentials",
    )
    def patch(self, request: Request, match_id: int) -> Response:
        data = s.MatchPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = matches.match_update(
            actor=request.user,
            match_id=match_id,
            changes=data.validated_data,
            request_id=_idempotency_key(request),
        )
        return Response(s.MatchSerializer(updated.match).data)


class MatchCredentialsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=s.CredentialsSerializer,
        summary="Custom-room id and password (host; group players after release)",
    )
    def get(self, request: Request, match_id: int) -> Response:
        data = matches.match_credentials_get(actor=request.user, match=sel.match_get(pk=match_id))
        return Response(s.CredentialsSerializer(data).data)


class StandingsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("round", int), OpenApiParameter("group", int)],
        responses=s.StandingsSerializer,
        summary="Standings of the tournament, a round (?round=) or a group (?group=)",
    )
    def get(self, request: Request, tournament_id: int) -> HttpResponseBase:
        return read_cache.cached_response(request, lambda: self.build(request, tournament_id))

    @staticmethod
    def build(request: Request, tournament_id: int) -> tuple[dict, bool]:
        tournament = _tournament(request, tournament_id)
        if group_id := request.query_params.get("group"):
            group = sel.group_get(tournament=tournament, group_id=group_id)
            scope = Scope(GROUP, group.pk, tournament.pk, group.round_id)
        elif round_id := request.query_params.get("round"):
            round_ = sel.round_get(tournament=tournament, round_id=round_id)
            scope = Scope(ROUND, round_.pk, tournament.pk, round_.pk)
        else:
            scope = Scope(TOURNAMENT, tournament.pk, tournament.pk)
        body = {"scope": scope.kind, "id": scope.id, "rows": standings_rows(scope)}
        # A draft's standings are its host's alone: never shared.
        return body, tournament.status != Tournament.Status.DRAFT


class TopFraggersView(APIView):
    @extend_schema(
        responses=s.TopFraggerSerializer(many=True),
        summary="The tournament's top fraggers (per-player kills, when hosts submit them)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        tournament = _tournament(request, tournament_id)
        rows = top_fraggers(tournament_id=tournament.pk)
        return Response(s.TopFraggerSerializer(rows, many=True).data)


class SelectWinnerView(APIView):
    @extend_schema(
        request=s.SelectWinnerSerializer,
        responses=s.RoundSerializer,
        summary="Crown the winner and complete",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        data = s.SelectWinnerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        final = winners.tournament_select_winner(
            actor=request.user,
            tournament=_tournament(request, tournament_id),
            team_id=data.validated_data.get("team"),
        )
        return Response(s.RoundSerializer(final).data)


class AnnouncementListView(APIView):
    @extend_schema(
        responses=s.AnnouncementSerializer(many=True), summary="Announcements, newest first"
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        qs = sel.announcement_list(tournament=_tournament(request, tournament_id))
        return _paginated(self, request, qs, s.AnnouncementSerializer)

    @extend_schema(
        request=s.AnnouncementSerializer,
        responses={201: s.AnnouncementSerializer},
        parameters=[IDEMPOTENCY_KEY],
        summary="Announce",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        data = s.AnnouncementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = announcements.announcement_create(
            actor=request.user,
            tournament_id=_tournament(request, tournament_id).pk,
            message=data.validated_data["message"],
            request_id=_idempotency_key(request),
        )
        return Response(
            s.AnnouncementSerializer(created.announcement).data, status=status.HTTP_201_CREATED
        )


class LeaderboardView(APIView):
    permission_classes = []

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=["teams", "players"]),
            OpenApiParameter("game", str, description="game slug or id"),
        ],
        responses=s.TeamLeaderboardSerializer(many=True),
        summary="Career leaderboard of teams (default) or players",
    )
    def get(self, request: Request) -> Response:
        game = request.query_params.get("game")
        if request.query_params.get("kind") == "players":
            return _paginated(
                self, request, sel.player_leaderboard(game=game), s.PlayerLeaderboardSerializer
            )
        return _paginated(
            self, request, sel.team_leaderboard(game=game), s.TeamLeaderboardSerializer
        )


class NotificationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool)],
        responses=s.NotificationSerializer(many=True),
        summary="My notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.get("unread") in ("1", "true")
        return _paginated(
            self,
            request,
            sel.notification_list(user=request.user, unread_only=unread),
            s.NotificationSerializer,
        )


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
