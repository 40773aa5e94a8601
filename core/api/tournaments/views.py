"""Tournament and scrim endpoints. Every view is mounted twice: under /api/tournaments/ (kind
None: all kinds) and under /api/scrims/ (kind "scrim": the same API constrained to scrims)."""

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import hooks
from core.api import read_cache
from core.api.images import absolute
from core.api.input_guard import PARSERS
from core.api.pagination import PageNumberPagination
from core.api.schema import error, upload_request
from core.errors import NotFound, PermissionDenied
from core.models import Team, Tournament
from core.selectors.tournament_bodies import (
    Absolute,
    tournament_detail_body,
    tournament_list_bodies,
    tournament_list_rows,
)
from core.selectors.tournaments import (
    check_competition_visible,
    registration_detail,
    registration_list,
    registrations_of_user,
    tournament_get,
    tournament_list,
)
from core.services import registrations as reg_services
from core.services import tournaments as services

from . import serializers as s
from .export import registrations_csv_response
from .filters import LIST_PARAMS, list_filters

_WRITE_PARSERS = PARSERS
HOST_ONLY = error(403, "`forbidden`: only the tournament's host")
# A form (with the banner) carries the flat fields; prize_split and points_table are sent as JSON.
NESTED = ("prize_split", "points_table")
# A tournament's writes are refused by its state with 409 `invalid_status`.
NOT_NOW = "`invalid_status`: "
EDIT_REFUSED = (
    NOT_NOW + "live (only description, rules and banner change; `details.fields`), completed "
    "or cancelled"
)


def absolute_for(request: Request) -> Absolute:
    return lambda url: absolute(request, url)


class _KindView(APIView):
    kind: str | None = None  # set by as_view(kind=…) in urls.py
    filter_backends: list = []

    @property
    def fixed_query_parameters(self) -> tuple[str, ...]:
        return ("kind",) if self.kind else ()

    def get_tournament(self, pk: int) -> Tournament:
        return tournament_get(viewer=self.request.user, pk=pk, kind=self.kind)

    def detail(self, tournament: Tournament, status: int = 200) -> Response:
        # Re-read through the selector so the body carries seats_taken and a fresh status.
        body, _shared = tournament_detail_body(
            viewer=self.request.user, pk=tournament.pk, absolute=absolute_for(self.request)
        )
        return Response(body, status=status)


class TournamentListCreateView(_KindView):
    parser_classes = _WRITE_PARSERS
    pagination_class = PageNumberPagination

    @extend_schema(parameters=LIST_PARAMS, responses=s.TournamentListSerializer(many=True))
    def get(self, request: Request) -> HttpResponseBase:
        def build() -> tuple[dict, bool]:
            filters = list_filters(request.query_params, self.kind)
            qs = tournament_list(viewer=request.user, filters=filters, kind=self.kind)
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(tournament_list_rows(qs), request, view=self)
            rows = tournament_list_bodies(page, absolute_for(request))
            return paginator.get_paginated_response(rows).data, True

        # A signed-in viewer may also see their own drafts and private tournaments.
        shared = request.user.is_anonymous
        return read_cache.cached_response(request, build, shared_view=shared)

    @extend_schema(
        request=upload_request(s.TournamentCreateSerializer, form_drop=NESTED),
        responses={
            201: s.TournamentSerializer,
            **error(403, "`email_not_verified`, `not_a_host`, `host_not_verified`"),
        },
    )
    def post(self, request: Request) -> Response:
        body = s.TournamentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if self.kind:
            data["kind"] = self.kind
        if "prize_split" in data:
            data["prize_split"] = [dict(e) for e in data["prize_split"]]
        tournament = services.tournament_create(actor=request.user, **data)
        return self.detail(tournament, status=201)


class TournamentDetailView(_KindView):
    parser_classes = _WRITE_PARSERS

    @extend_schema(responses=s.TournamentSerializer)
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        def build() -> tuple[dict, bool]:
            # A draft exists only for its host: never shared. The host is part of the cache
            # key: absolute image URLs are safe to share.
            return tournament_detail_body(
                viewer=request.user, pk=pk, kind=self.kind, absolute=absolute_for(request)
            )

        return read_cache.cached_response(request, build, tournament_id=pk)

    def _update(self, request: Request, pk: int) -> Response:
        tournament = self.get_tournament(pk)
        body = s.TournamentWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        if "prize_split" in changes:
            changes["prize_split"] = [dict(e) for e in changes["prize_split"]]
        tournament = services.tournament_update(
            actor=request.user, tournament=tournament, changes=changes
        )
        return self.detail(tournament)

    @extend_schema(
        request=upload_request(s.TournamentWriteSerializer, form_drop=NESTED),
        responses={200: s.TournamentSerializer, **HOST_ONLY, **error(409, EDIT_REFUSED)},
        description="Same as PATCH: only the fields given change (status decides which may).",
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk)

    @extend_schema(
        request=upload_request(s.TournamentWriteSerializer, form_drop=NESTED),
        responses={200: s.TournamentSerializer, **HOST_ONLY, **error(409, EDIT_REFUSED)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk)

    @extend_schema(
        responses={
            204: None,
            **HOST_ONLY,
            **error(409, NOT_NOW + "live or over, or a team has registered: cancel it instead"),
        }
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.tournament_delete(actor=request.user, tournament=self.get_tournament(pk))
        return Response(status=204)


class TournamentPublishView(_KindView):
    @extend_schema(
        request=None,
        responses={
            200: s.TournamentSerializer,
            **error(
                400,
                "`validation_error`: registration would already be closed, or the plan "
                "is too small for `max_teams`",
            ),
            **error(
                402,
                "`plan_fee_unpaid`: pay the plan fee first; `details.payment` is the "
                "payment to complete",
            ),
            **error(403, "`forbidden`: only the tournament's host; `host_not_verified`"),
            **error(409, NOT_NOW + "only a draft can be published"),
            **error(
                503,
                "`payment_provider_unavailable`: PhonePe could not be reached to start "
                "the plan-fee payment",
            ),
        },
        description="402 plan_fee_unpaid until the plan fee is paid (details.payment).",
    )
    def post(self, request: Request, pk: int) -> Response:
        t = services.tournament_publish(actor=request.user, tournament=self.get_tournament(pk))
        return self.detail(t)


class TournamentStartView(_KindView):
    @extend_schema(
        request=None,
        responses={
            200: s.TournamentSerializer,
            **HOST_ONLY,
            **error(
                409,
                NOT_NOW + "not published yet or already live or over, or fewer than "
                "2 confirmed teams",
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        t = services.tournament_start(actor=request.user, tournament=self.get_tournament(pk))
        return self.detail(t)


class TournamentCancelView(_KindView):
    @extend_schema(
        request=s.CancelSerializer,
        responses={
            200: s.TournamentSerializer,
            **HOST_ONLY,
            **error(409, NOT_NOW + "a completed tournament is not cancelled"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        body = s.CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        t = services.tournament_cancel(
            actor=request.user,
            tournament=self.get_tournament(pk),
            reason=body.validated_data["reason"],
        )
        return self.detail(t)


def _team(pk: int) -> Team:
    team = Team.objects.select_related("game").filter(pk=pk).first()
    if team is None:
        raise NotFound("No such team.")
    return team


class TournamentRegisterView(_KindView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.RegisterSerializer,
        responses={
            201: s.RegistrationCreatedSerializer,
            **error(403, "`email_not_verified`; `forbidden`: not the team's captain"),
            **error(404, "`not_found`: no such tournament or team"),
            **error(
                409,
                "`registration_closed`, `already_registered`, "
                "`player_already_registered` (`details.players`), `tournament_full` "
                "(`details.max_teams`)",
            ),
        },
        description="409 tournament_full / already_registered / player_already_registered / "
        "registration_closed. With an entry fee, `payment` is the payment to complete "
        "(go to its redirect_url); null for a free entry.",
    )
    def post(self, request: Request, pk: int) -> Response:
        tournament = self.get_tournament(pk)
        body = s.RegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = reg_services.registration_create(
            actor=request.user,
            tournament=tournament,
            team=_team(body.validated_data["team"]),
            players=body.validated_data["players"],
            substitutes=body.validated_data["substitutes"],
        )
        body = {
            "registration": s.RegistrationSerializer(
                registration_detail(pk=registration.pk), context={"viewer": request.user}
            ).data,
            # The payment to complete (billing's hook); None for a free entry.
            "payment": (
                hooks.entry_fee_payment(registration)
                if registration.status == registration.Status.PENDING_PAYMENT
                else None
            ),
        }
        return Response(body, status=201)


class TournamentWithdrawView(_KindView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.WithdrawSerializer,
        responses={
            200: s.RegistrationSerializer,
            **error(403, "`forbidden`: not the team's captain"),
            **error(404, "`not_found`: no such tournament, or no active registration"),
            **error(409, "`registration_closed`: only while published or open"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        tournament = self.get_tournament(pk)
        body = s.WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team_id = body.validated_data.get("team")
        registration = reg_services.registration_withdraw(
            actor=request.user,
            tournament=tournament,
            team=_team(team_id) if team_id is not None else None,
        )
        return Response(
            s.RegistrationSerializer(
                registration_detail(pk=registration.pk), context={"viewer": request.user}
            ).data
        )


class RegistrationListView(_KindView):
    pagination_class = PageNumberPagination

    @extend_schema(
        responses={
            200: s.RegistrationSerializer(many=True),
            **error(403, "`forbidden`: a private tournament, for its host, staff and players"),
        },
        description="The host sees every registration; everyone else only confirmed ones.",
    )
    def get(self, request: Request, pk: int) -> Response:
        tournament = self.get_tournament(pk)
        check_competition_visible(request.user, tournament)
        qs = registration_list(viewer=request.user, tournament=tournament)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        viewer = {"viewer": request.user, "host_id": tournament.host_id}
        rows = s.RegistrationSerializer(page, many=True, context=viewer)
        return paginator.get_paginated_response(rows.data)


class RegistrationModerateView(_KindView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.ModerateSerializer,
        responses={
            200: s.RegistrationSerializer,
            **HOST_ONLY,
            **error(
                409,
                NOT_NOW + "the registration or the tournament is not in a state for "
                "that action; `tournament_full`, `player_already_registered` (approving)",
            ),
        },
    )
    def patch(self, request: Request, pk: int, rid: int) -> Response:
        tournament = self.get_tournament(pk)
        body = s.ModerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = reg_services.registration_moderate(
            actor=request.user,
            tournament=tournament,
            registration_id=rid,
            action=body.validated_data["action"],
            reason=body.validated_data["reason"],
        )
        return Response(
            s.RegistrationSerializer(
                registration_detail(pk=registration.pk), context={"viewer": request.user}
            ).data
        )


class RegistrationExportView(_KindView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR, **HOST_ONLY},
        description="CSV: team, tag, captain, players (in-game name and id), status, paid.",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        tournament = self.get_tournament(pk)
        if tournament.host_id != request.user.pk:
            raise PermissionDenied("Only this tournament's host can export its registrations.")
        qs = registration_list(viewer=request.user, tournament=tournament)
        return registrations_csv_response(tournament, qs)


class MyRegistrationsView(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination

    @extend_schema(
        responses=s.MyRegistrationSerializer(many=True),
        description="Registrations you made as captain or play on, newest first.",
    )
    def get(self, request: Request) -> Response:
        qs: QuerySet = registrations_of_user(user=request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        rows = s.MyRegistrationSerializer(page, many=True, context={"viewer": request.user})
        return paginator.get_paginated_response(rows.data)
