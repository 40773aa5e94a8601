"""/api/stats/players/<id>/, /api/stats/teams/<id>/ and /api/tournaments/<id>/mvp/: parse →
selector → serialize (the numbers are kept by core/services/stats.py)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.competition.common import PRIVATE
from core.api.schema import error
from core.selectors import stats as sel
from core.selectors.tournaments import tournament_competition_get

from . import serializers as s

HISTORY = 20


class PlayerStatsView(APIView):
    permission_classes = []

    @extend_schema(
        responses={200: s.PlayerMatchStatsSerializer, **error(404, "`not_found`: no such player")},
        summary="A player's match statistics per game",
    )
    def get(self, request: Request, user_id: int) -> Response:
        games = sel.player_stats(user_id=user_id)
        return Response(s.PlayerMatchStatsSerializer({"user": user_id, "games": games}).data)


class TeamStatsView(APIView):
    permission_classes = []

    @extend_schema(
        responses={200: s.TeamMatchStatsSerializer, **error(404, "`not_found`: no such team")},
        summary="A team's match statistics and its last 20 final matches",
    )
    def get(self, request: Request, team_id: int) -> Response:
        games = sel.team_stats(team_id=team_id)
        history = sel.team_match_history(team_id=team_id)[:HISTORY]
        body = {"team": team_id, "games": games, "history": history}
        return Response(s.TeamMatchStatsSerializer(body).data)


class TournamentMvpView(APIView):
    @extend_schema(
        responses={200: s.MvpSerializer, **PRIVATE},
        summary="The tournament's MVP (the top fragger; the rule is in the body)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        tournament = tournament_competition_get(viewer=request.user, pk=tournament_id)
        mvp = sel.tournament_mvp(tournament_id=tournament.pk)
        return Response(s.MvpSerializer({"mvp": mvp, "rule": sel.MVP_RULE}).data)
