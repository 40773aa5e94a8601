"""Thin views: parse → service/selector → serialize. Rules live in core/services and selectors."""

from django.db.models import QuerySet
from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from core.api import read_cache
from core.api.pagination import PageNumberPagination
from core.api.params import int_parameter, query_int
from core.api.schema import error
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
from core.selectors.tournaments import tournament_competition_brief, tournament_competition_get
from core.services import announcements, competition, winners

from . import serializers as s
from .common import CLOSED, HOST_ONLY, IDEMPOTENCY_KEY, PRIVATE, RETRIED, idempotency_key
from .matchday_serializers import OverrideSerializer

ROUND_PARAM = int_parameter("round", "a round's id")
GROUP_PARAM = int_parameter("group", "a group's id")


def _tournament(request: Request, tournament_id: int) -> Tournament:
    return tournament_competition_get(viewer=request.user, pk=tournament_id)


def _paginated(
    view: APIView, request: Request, qs: QuerySet, serializer_class: type[Serializer]
) -> Response:
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class RoundListView(APIView):
    @extend_schema(
        responses={200: s.RoundSerializer(many=True), **PRIVATE}, summary="Rounds of a tournament"
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        rounds = sel.round_list(tournament=_tournament(request, tournament_id))
        return Response(s.RoundSerializer(rounds, many=True).data)

    @extend_schema(
        request=s.RoundSerializer,
        responses={
            201: s.RoundSerializer,
            **HOST_ONLY,
            **error(
                409, f"{CLOSED}; the round number is taken; `scrim_limit`: a scrim's second round"
            ),
        },
        summary="Add a round",
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
        request=OverrideSerializer,
        responses={
            200: s.RoundSerializer,
            **HOST_ONLY,
            **error(
                409,
                f"`round_state`: the previous round is not completed, a match is "
                f"still scheduled or live, it is already completed, or disputes are open "
                f"(`details.disputes`; override with a reason); the final round: as "
                f"select-winner (`conflict`: teams tied at rank 1, `details.teams`); {CLOSED}",
            ),
        },
        summary="Complete a round; advance its qualified teams (the final: crown the winner)",
    )
    def post(self, request: Request, tournament_id: int, round_id: int) -> Response:
        tournament = _tournament(request, tournament_id)
        round_ = sel.round_get(tournament=tournament, round_id=round_id)
        body = OverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = winners.round_finish(
            actor=request.user,
            tournament=tournament,
            round_=round_,
            override_reason=body.validated_data["override_reason"],
        )
        return Response(s.RoundSerializer(done).data)


class GroupListView(APIView):
    @extend_schema(
        parameters=[ROUND_PARAM],
        responses={200: s.GroupSerializer(many=True), **PRIVATE},
        summary="Groups (with their teams)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        groups = sel.group_list(
            tournament=_tournament(request, tournament_id),
            round_id=query_int(request.query_params, "round"),
        )
        return Response(s.GroupSerializer(groups, many=True).data)

    @extend_schema(
        request=s.GroupCreateSerializer,
        responses={
            201: s.GroupSerializer(many=True),
            **HOST_ONLY,
            **error(
                409,
                f"`round_state`: the previous round is not completed, or (auto_seed) "
                f"the round already has groups; the name is taken or a team is already in "
                f"a group of the round; {CLOSED}",
            ),
        },
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
        parameters=[ROUND_PARAM, GROUP_PARAM],
        responses={200: s.MatchSerializer(many=True), **PRIVATE},
        summary="Matches of a tournament",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        qs = sel.match_list(
            tournament=_tournament(request, tournament_id),
            round_id=query_int(request.query_params, "round"),
            group_id=query_int(request.query_params, "group"),
        )
        return Response(s.MatchSerializer(qs, many=True).data)

    @extend_schema(
        request=s.MatchCreateSerializer,
        responses={
            201: s.MatchSerializer,
            **HOST_ONLY,
            **error(
                409,
                f"the number is taken in the group; `scrim_limit`: a scrim's seventh "
                f"match; {CLOSED}",
            ),
        },
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


class StandingsView(APIView):
    @extend_schema(
        parameters=[ROUND_PARAM, GROUP_PARAM],
        responses={200: s.StandingsSerializer, **PRIVATE},
        summary="Standings of the tournament, a round (?round=) or a group (?group=)",
    )
    def get(self, request: Request, tournament_id: int) -> HttpResponseBase:
        return read_cache.cached_response(
            request, lambda: self.build(request, tournament_id), tournament_id=tournament_id
        )

    @staticmethod
    def build(request: Request, tournament_id: int) -> tuple[dict, bool]:
        round_id = query_int(request.query_params, "round")
        group_id = query_int(request.query_params, "group")
        tournament = tournament_competition_brief(viewer=request.user, pk=tournament_id)
        if group_id:
            group = sel.group_get(tournament=tournament, group_id=group_id)
            scope = Scope(GROUP, group.pk, tournament.pk, group.round_id)
        elif round_id:
            round_ = sel.round_get(tournament=tournament, round_id=round_id)
            scope = Scope(ROUND, round_.pk, tournament.pk, round_.pk)
        else:
            scope = Scope(TOURNAMENT, tournament.pk, tournament.pk)
        body = {"scope": scope.kind, "id": scope.id, "rows": standings_rows(scope)}
        # A draft's standings are its host's alone, a private one's its people's: never shared.
        shareable = tournament.status != Tournament.Status.DRAFT
        return body, shareable and tournament.visibility != Tournament.Visibility.PRIVATE


class TopFraggersView(APIView):
    @extend_schema(
        responses={200: s.TopFraggerSerializer(many=True), **PRIVATE},
        summary="The tournament's top fraggers (per-player kills, when hosts submit them)",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        tournament = _tournament(request, tournament_id)
        rows = top_fraggers(tournament_id=tournament.pk)
        return Response(s.TopFraggerSerializer(rows, many=True).data)


class SelectWinnerView(APIView):
    @extend_schema(
        request=s.SelectWinnerSerializer,
        responses={
            200: s.RoundSerializer,
            **HOST_ONLY,
            **error(
                409,
                "`conflict`: not live, or teams tied at rank 1 (`details.tied`); "
                "`round_state`: no rounds, no results in the final round, one of its "
                "matches live, or its disputes open (`details.disputes`)",
            ),
        },
        summary="Crown the winner and complete",
    )
    def post(self, request: Request, tournament_id: int) -> Response:
        data = s.SelectWinnerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        final = winners.tournament_select_winner(
            actor=request.user,
            tournament=_tournament(request, tournament_id),
            team_id=data.validated_data.get("team"),
            override_reason=data.validated_data["override_reason"],
        )
        return Response(s.RoundSerializer(final).data)


class AnnouncementListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        responses={200: s.AnnouncementSerializer(many=True), **PRIVATE},
        summary="Announcements, newest first",
    )
    def get(self, request: Request, tournament_id: int) -> Response:
        qs = sel.announcement_list(tournament=_tournament(request, tournament_id))
        return _paginated(self, request, qs, s.AnnouncementSerializer)

    @extend_schema(
        request=s.AnnouncementSerializer,
        responses={
            201: s.AnnouncementSerializer,
            **HOST_ONLY,
            **error(409, f"{CLOSED}; {RETRIED}"),
        },
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
            request_id=idempotency_key(request),
        )
        return Response(
            s.AnnouncementSerializer(created.announcement).data, status=status.HTTP_201_CREATED
        )
