"""Match-day endpoints (docs/api.md "Match day"): check-in, disputes, a match's history."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error
from core.api.tournaments.serializers import RegistrationSerializer
from core.errors import NotFound
from core.models import Team
from core.permissions import require_host_or_staff
from core.selectors import competition as sel
from core.selectors import matchday
from core.selectors.tournaments import registration_detail, tournament_competition_get
from core.services import checkin, disputes

from . import matchday_serializers as s
from .common import HOST_ONLY

CHECKIN_REFUSED = error(
    409, "`checkin_closed`: no check-in window, not open yet, or closed (`details`)"
)
CAPTAIN_ONLY = error(403, "`forbidden`: not the team's captain")
NO_REGISTRATION = error(404, "`not_found`: no such tournament or team, or no confirmed team")
CHECKIN_ANSWERS = {
    200: RegistrationSerializer,
    **CAPTAIN_ONLY,
    **NO_REGISTRATION,
    **CHECKIN_REFUSED,
}


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    return team


class _CheckInWrite(APIView):
    permission_classes = [IsAuthenticated]
    undo = False

    def post(self, request: Request, tournament_id: int) -> Response:
        tournament = tournament_competition_get(viewer=request.user, pk=tournament_id)
        body = s.CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = checkin.registration_check_in(
            actor=request.user,
            tournament=tournament,
            team=_team(body.validated_data.get("team")),
            undo=self.undo,
        )
        fresh = registration_detail(pk=registration.pk)
        return Response(RegistrationSerializer(fresh, context={"viewer": request.user}).data)


class CheckInView(_CheckInWrite):
    @extend_schema(
        responses={200: s.CheckInBoardSerializer, **error(403, "`forbidden`: host and staff")},
        summary="Who has checked in (host, staff)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        tournament = tournament_competition_get(viewer=request.user, pk=tournament_id)
        require_host_or_staff(request.user, tournament.host_id, "The check-in board")
        board = matchday.checkin_board(tournament=tournament)
        return Response(s.CheckInBoardSerializer(board).data)

    @extend_schema(
        request=s.CheckInSerializer,
        responses={
            200: RegistrationSerializer,
            **CAPTAIN_ONLY,
            **NO_REGISTRATION,
            **CHECKIN_REFUSED,
        },
        summary="Check your confirmed team in",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        return super().post(request, tournament_id)


class CheckInUndoView(_CheckInWrite):
    undo = True

    @extend_schema(
        request=s.CheckInSerializer,
        responses={
            200: RegistrationSerializer,
            **CAPTAIN_ONLY,
            **NO_REGISTRATION,
            **CHECKIN_REFUSED,
        },
        summary="Undo your team's check-in",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        return super().post(request, tournament_id)


class MatchDisputesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: s.DisputeSerializer(many=True),
            **error(403, "`forbidden`: for the host, staff and the teams that disputed"),
        },
        summary="A match's disputes",
    )
    def get(self, request: Request, match_id: int) -> Response:
        match = sel.match_get(pk=match_id)
        rows = matchday.match_disputes(viewer=request.user, match=match)
        return Response(s.DisputeSerializer(rows, many=True).data)

    @extend_schema(
        request=s.DisputeOpenSerializer,
        responses={
            201: s.DisputeSerializer,
            **error(403, "`forbidden`: not a captain of a team in this match"),
            **error(
                409,
                "`dispute_closed`: no final result, the window is over (`details.closed_at`), "
                "the round is completed or the tournament not live; `conflict`: your team "
                "already has an open dispute on this match",
            ),
        },
        summary="Dispute a match's final result (a captain of a team in it)",
    )
    def post(self, request: Request, match_id: int) -> Response:
        body = s.DisputeOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = disputes.dispute_open(
            actor=request.user,
            match_id=match_id,
            reason=body.validated_data["reason"],
            evidence=body.evidence_list(),
            team_id=body.validated_data.get("team"),
        )
        return Response(s.DisputeSerializer(dispute).data, status=201)


class DisputeResolveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.DisputeResolveSerializer,
        responses={
            200: s.DisputeSerializer,
            **HOST_ONLY,
            **error(
                409,
                "`dispute_closed`: already resolved; the correction's own refusals as "
                "PUT /api/matches/<id>/ (`conflict`, `round_state`)",
            ),
        },
        summary="Accept (and correct the result) or reject a dispute",
    )
    def post(self, request: Request, match_id: int, dispute_id: int) -> Response:
        body = s.DisputeResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = disputes.dispute_resolve(
            actor=request.user,
            match_id=match_id,
            dispute_id=dispute_id,
            accept=body.validated_data["action"] == "accept",
            reason=body.validated_data["reason"],
            correction=body.correction(),
        )
        return Response(s.DisputeSerializer(dispute).data)


class MatchHistoryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: s.ResultChangeSerializer(many=True),
            **error(403, "`forbidden`: for the tournament's host and staff"),
        },
        summary="Every result change of a match: who, when, from where, before and after",
    )
    def get(self, request: Request, match_id: int) -> Response:
        match = sel.match_get(pk=match_id)
        require_host_or_staff(request.user, match.tournament.host_id, "A match's history")
        rows = matchday.match_history(match_id=match.pk)
        return Response(s.ResultChangeSerializer(rows, many=True).data)
