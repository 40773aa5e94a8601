"""/api/tournaments/<id>/mvp/: parse → selector → serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.competition.common import PRIVATE
from core.selectors import stats as sel
from core.selectors.tournaments import tournament_competition_get

from . import serializers as s


class TournamentMvpView(APIView):
    @extend_schema(
        responses={200: s.MvpSerializer, **PRIVATE},
        summary="The tournament's MVP (the top fragger; the rule is in the body)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        tournament = tournament_competition_get(viewer=request.user, pk=tournament_id)
        mvp = sel.tournament_mvp(tournament_id=tournament.pk)
        return Response(s.MvpSerializer({"mvp": mvp, "rule": sel.MVP_RULE}).data)
