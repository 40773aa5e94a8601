"""Teams REST API (/api/accounts/teams/): parse, call a selector or service, serialize.

Who may act is decided by the services (captain checks, membership checks); these views only
require a signed-in user for writes.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.input_guard import PARSERS
from core.api.params import (
    bool_parameter,
    query_bool,
    query_ref,
    query_text,
    ref_parameter,
    text_parameter,
)
from core.api.schema import error, upload_request
from core.api.stats.serializers import TeamMatchHistorySerializer
from core.errors import NotAuthenticated
from core.selectors import stats as stats_selectors
from core.selectors import teams as selectors
from core.services import teams as services

from . import serializers as s

TAGS = ["teams"]
CAPTAIN_ONLY = error(403, "`forbidden`: only the team's captain")
LOCKED = "`conflict`: the team holds a seat in a live tournament (`is_locked`)"


class Paginated(GenericAPIView):
    filter_backends: list = []  # filtering lives in the selectors

    def paginated(self, queryset: QuerySet, serializer_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class TeamListCreateView(Paginated):
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = PARSERS
    serializer_class = s.TeamListSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_list",
        parameters=[
            text_parameter("search", "Part of the team's name or tag"),
            ref_parameter("game", "Game slug"),
            bool_parameter("mine", "Only the caller's teams (signed in; 401 otherwise)"),
        ],
        responses=s.TeamListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params, member = request.query_params, None
        if query_bool(params, "mine"):
            if not request.user.is_authenticated:
                raise NotAuthenticated("Sign in to list your teams.")
            member = request.user
        queryset = selectors.team_list(
            search=query_text(params, "search"),
            game_slug=query_ref(params, "game") or "",
            member=member,
        )
        return self.paginated(queryset, s.TeamListSerializer)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_create",
        request=upload_request(s.TeamCreateSerializer),
        responses={
            201: s.TeamDetailSerializer,
            **error(403, "`forbidden`: only player accounts make teams"),
            **error(
                409,
                "`conflict`: a team of that name exists in the game, or the caller is already "
                "on a team of that game",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        body = s.TeamCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = services.team_create(actor=request.user, **body.validated_data)
        return _detail_response(request, team.pk, status.HTTP_201_CREATED)


def _detail_response(request: Request, team_id: int, http_status: int = 200) -> Response:
    team = selectors.team_detail(team_id=team_id)
    data = s.TeamDetailSerializer(team, context={"request": request}).data
    return Response(data, status=http_status)


class TeamDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = PARSERS

    @extend_schema(tags=TAGS, operation_id="teams_retrieve", responses=s.TeamDetailSerializer)
    def get(self, request: Request, team_id: int) -> Response:
        return _detail_response(request, team_id)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_partial_update",
        request=upload_request(s.TeamWriteSerializer),
        responses={
            200: s.TeamDetailSerializer,
            **CAPTAIN_ONLY,
            **error(409, "`conflict`: a team of that name exists in the game"),
        },
    )
    def patch(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.TeamWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.team_update(actor=request.user, team=team, **body.validated_data)
        return _detail_response(request, team_id)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_destroy",
        responses={
            204: None,
            **CAPTAIN_ONLY,
            **error(409, "`conflict`: the team holds a seat in a tournament that is not over"),
        },
    )
    def delete(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        services.team_delete(actor=request.user, team=team)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamMatchesView(Paginated):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = TeamMatchHistorySerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_matches",
        responses=TeamMatchHistorySerializer(many=True),
        summary="The team's final matches, newest first (paginated; corrections shown as counted)",
    )
    def get(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        history = stats_selectors.team_match_history(team_id=team.pk)
        return self.paginated(history, TeamMatchHistorySerializer)


class LeaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_leave",
        request=None,
        responses={
            200: s.LeaveResultSerializer,
            **error(403, "`forbidden`: not on the team"),
            **error(409, f"`conflict`: a captain must transfer the captaincy first; {LOCKED}"),
        },
        description="Leave the team. The captain must transfer the captaincy first, unless they "
        "are the last member: then the team is deleted.",
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        deleted = services.team_leave(actor=request.user, team=team)
        return Response({"team_deleted": deleted})


class RemoveMemberView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_remove_member",
        request=s.MemberTargetSerializer,
        responses={200: s.TeamDetailSerializer, **CAPTAIN_ONLY, **error(409, LOCKED)},
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.MemberTargetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.team_member_remove(
            actor=request.user, team=team, user_id=body.validated_data["user"]
        )
        return _detail_response(request, team_id)


class TransferCaptaincyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_transfer_captaincy",
        request=s.MemberTargetSerializer,
        responses={200: s.TeamDetailSerializer, **CAPTAIN_ONLY, **error(409, LOCKED)},
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.MemberTargetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.team_captaincy_transfer(
            actor=request.user, team=team, user_id=body.validated_data["user"]
        )
        return _detail_response(request, team_id)
