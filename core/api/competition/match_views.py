"""/api/matches/<id>/: one match, its result, its room credentials."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error
from core.selectors import competition as sel
from core.selectors.tournaments import tournament_competition_get
from core.services import matches, results

from . import serializers as s
from .common import CLOSED, HOST_ONLY, IDEMPOTENCY_KEY, PRIVATE, RETRIED, idempotency_key


class MatchDetailView(APIView):
    @extend_schema(responses={200: s.MatchSerializer, **PRIVATE}, summary="One match")
    def get(self, request: Request, match_id: int) -> Response:
        match = sel.match_get(pk=match_id)
        tournament_competition_get(viewer=request.user, pk=match.tournament_id)  # visibility
        return Response(s.MatchSerializer(match).data)

    @extend_schema(
        request=s.ResultSubmitSerializer,
        responses={
            200: s.ResultOutcomeSerializer,
            **HOST_ONLY,
            **error(
                409,
                f"`conflict`: a stale `version`, a cancelled match, {RETRIED}; "
                f"`round_state`: the round is completed; {CLOSED}",
            ),
        },
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
            request_id=idempotency_key(request),
        )
        return Response(asdict(outcome))

    @extend_schema(
        request=s.MatchPatchSerializer,
        responses={
            200: s.MatchSerializer,
            **HOST_ONLY,
            **error(
                409,
                f"`conflict`: a status move that is not allowed, {RETRIED}; "
                f"`round_state`: the round is completed; {CLOSED}",
            ),
        },
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
            request_id=idempotency_key(request),
        )
        return Response(s.MatchSerializer(updated.match).data)


class MatchCredentialsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: s.CredentialsSerializer,
            **error(
                403,
                "`credentials_not_released` (`details.release_at`); `forbidden`: "
                "neither the host, staff nor a player of the match's group",
            ),
            **error(404, "`not_found`: no such match, or no room id set yet"),
        },
        summary="Custom-room id and password (host; group players after release)",
    )
    def get(self, request: Request, match_id: int) -> Response:
        data = matches.match_credentials_get(actor=request.user, match=sel.match_get(pk=match_id))
        return Response(s.CredentialsSerializer(data).data)
