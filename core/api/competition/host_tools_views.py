"""The host's match-day tools (docs/api.md "Host tools"): matches in bulk, a match moved or
cancelled with a reason, a group's room credentials released."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error
from core.selectors import competition as sel
from core.selectors.tournaments import tournament_competition_get
from core.services import host_tools

from . import matchday_serializers as ms
from . import serializers as s
from .common import CLOSED, HOST_ONLY


class BulkMatchesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ms.BulkMatchesSerializer,
        responses={
            201: s.MatchSerializer(many=True),
            **HOST_ONLY,
            **error(
                409,
                f"`round_state`: the round is completed or has no groups; `scrim_limit`: past a "
                f"scrim's 6 matches; {CLOSED}",
            ),
        },
        summary="Create a round's matches in one go (per group: count, maps, start, interval)",
    )
    def post(self, request: Request, tournament_id: int, round_id: int) -> Response:
        tournament = tournament_competition_get(viewer=request.user, pk=tournament_id)
        round_ = sel.round_get(tournament=tournament, round_id=round_id)
        body = ms.BulkMatchesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = host_tools.matches_bulk_create(
            actor=request.user, tournament=tournament, round_=round_, **body.validated_data
        )
        return Response(s.MatchSerializer(made, many=True).data, status=201)


class MatchRescheduleView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ms.RescheduleSerializer,
        responses={
            200: s.MatchSerializer,
            **HOST_ONLY,
            **error(409, f"`conflict`: only a scheduled match moves; {CLOSED}"),
        },
        summary="Move a match, with a reason (event and notification)",
    )
    def post(self, request: Request, match_id: int) -> Response:
        body = ms.RescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = host_tools.match_reschedule(
            actor=request.user, match_id=match_id, **body.validated_data
        )
        return Response(s.MatchSerializer(match).data)


class MatchCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ms.CancelMatchSerializer,
        responses={
            200: s.MatchSerializer,
            **HOST_ONLY,
            **error(
                409,
                f"`conflict`: already completed or cancelled; `round_state`: the round is "
                f"completed; {CLOSED}",
            ),
        },
        summary="Cancel a match, with a reason (event and notification)",
    )
    def post(self, request: Request, match_id: int) -> Response:
        body = ms.CancelMatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = host_tools.match_cancel(
            actor=request.user, match_id=match_id, reason=body.validated_data["reason"]
        )
        return Response(s.MatchSerializer(match).data)


class GroupReleaseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ms.ReleaseSerializer,
        responses={
            200: s.MatchSerializer(many=True),
            **HOST_ONLY,
            **error(
                409,
                f"`conflict`: no match of the group to be played has room credentials; "
                f"`round_state`: the round is completed; {CLOSED}",
            ),
        },
        summary="Release a group's room credentials to its teams, now or at a time",
    )
    def post(self, request: Request, tournament_id: int, group_id: int) -> Response:
        tournament = tournament_competition_get(viewer=request.user, pk=tournament_id)
        group = sel.group_get(tournament=tournament, group_id=group_id)
        body = ms.ReleaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = host_tools.group_credentials_release(
            actor=request.user, tournament=tournament, group=group, at=body.validated_data["at"]
        )
        return Response(s.MatchSerializer(made, many=True).data)
