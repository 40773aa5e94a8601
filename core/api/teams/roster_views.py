"""Join requests and invites (/api/accounts/teams/…): who may act is the services' decision."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.params import choice_parameter, query_choice
from core.api.schema import error
from core.models import TeamInvite, TeamJoinRequest
from core.selectors import teams as selectors
from core.services import teams as services

from . import serializers as s
from .views import CAPTAIN_ONLY, LOCKED, TAGS, Paginated

JOIN_REQUEST_STATUSES = (*TeamJoinRequest.Status.values, "all")
INVITE_STATUSES = (*TeamInvite.Status.values, "all")
JOIN_REQUEST_STATUS = choice_parameter(
    "status", JOIN_REQUEST_STATUSES, "pending (default), or all", default="pending"
)
INVITE_STATUS = choice_parameter(
    "status", INVITE_STATUSES, "pending (default), or all", default="pending"
)


class JoinRequestCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_request_create",
        request=s.JoinRequestCreateSerializer,
        responses={
            201: s.JoinRequestSerializer,
            **error(
                409,
                "`conflict`: already on the team or on a team of that game, or a request is "
                "pending",
            ),
        },
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.JoinRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        join_request = services.team_join_request_create(
            actor=request.user, team=team, message=body.validated_data["message"]
        )
        return Response(s.JoinRequestSerializer(join_request).data, status=201)


class JoinRequestListView(Paginated):
    permission_classes = [IsAuthenticated]
    serializer_class = s.JoinRequestSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_requests_list",
        parameters=[JOIN_REQUEST_STATUS],
        responses={200: s.JoinRequestSerializer(many=True), **CAPTAIN_ONLY},
    )
    def get(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        selectors.team_require_captain(team=team, user=request.user)
        status_ = query_choice(
            request.query_params, "status", JOIN_REQUEST_STATUSES, default="pending"
        )
        queryset = selectors.team_join_requests(team=team, status=status_ or "pending")
        return self.paginated(queryset, s.JoinRequestSerializer)


class JoinRequestAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_request_accept",
        request=s.JoinRequestAcceptSerializer,
        responses={
            200: s.MembershipSerializer,
            **CAPTAIN_ONLY,
            **error(
                409,
                f"`conflict`: no longer pending, the squad or substitutes are full, or the "
                f"player joined another team of the game; {LOCKED}",
            ),
        },
    )
    def post(self, request: Request, team_id: int, request_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        join_request = selectors.team_join_request_get(team=team, request_id=request_id)
        body = s.JoinRequestAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.team_join_request_accept(
            actor=request.user, join_request=join_request, role=body.validated_data["role"]
        )
        return Response(s.MembershipSerializer(membership).data)


class JoinRequestRejectView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_request_reject",
        request=None,
        responses={
            200: s.JoinRequestSerializer,
            **CAPTAIN_ONLY,
            **error(409, "`conflict`: no longer pending"),
        },
    )
    def post(self, request: Request, team_id: int, request_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        join_request = selectors.team_join_request_get(team=team, request_id=request_id)
        join_request = services.team_join_request_reject(
            actor=request.user, join_request=join_request
        )
        return Response(s.JoinRequestSerializer(join_request).data)


class TeamInvitesView(Paginated):
    permission_classes = [IsAuthenticated]
    serializer_class = s.InviteSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invites_list",
        parameters=[INVITE_STATUS],
        responses={200: s.InviteSerializer(many=True), **CAPTAIN_ONLY},
        description="The team's invites (captain only).",
    )
    def get(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        selectors.team_require_captain(team=team, user=request.user)
        status_ = query_choice(request.query_params, "status", INVITE_STATUSES, default="pending")
        queryset = selectors.team_invites(team=team, status=status_ or "pending")
        return self.paginated(queryset, s.InviteSerializer)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invites_create",
        request=s.InviteCreateSerializer,
        responses={
            201: s.InviteSerializer,
            **CAPTAIN_ONLY,
            **error(404, "`not_found`: no such team, or no active account with that name"),
            **error(
                409,
                "`conflict`: already on the team or on another team of the game, the squad is "
                "full, or already invited",
            ),
        },
        description="Invite a player by username or email (captain only).",
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        # Captain first: nobody else learns whether a username or email exists.
        selectors.team_require_captain(team=team, user=request.user)
        body = s.InviteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitee = selectors.user_find_for_invite(
            username=body.validated_data.get("username", ""),
            email=body.validated_data.get("email", ""),
        )
        invite = services.team_invite_create(
            actor=request.user, team=team, invitee=invitee, role=body.validated_data["role"]
        )
        return Response(s.InviteSerializer(invite).data, status=201)


class MyInvitesView(Paginated):
    permission_classes = [IsAuthenticated]
    serializer_class = s.InviteSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_my_invites_list",
        parameters=[INVITE_STATUS],
        responses=s.InviteSerializer(many=True),
        description="Invites addressed to the caller.",
    )
    def get(self, request: Request) -> Response:
        status_ = query_choice(request.query_params, "status", INVITE_STATUSES, default="pending")
        queryset = selectors.invites_for_user(user=request.user, status=status_ or "pending")
        return self.paginated(queryset, s.InviteSerializer)


class InviteAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invite_accept",
        request=None,
        responses={
            200: s.MembershipSerializer,
            **error(
                409,
                f"`conflict`: no longer pending, the squad is full, or already on a team of "
                f"the game; {LOCKED}",
            ),
        },
    )
    def post(self, request: Request, invite_id: int) -> Response:
        invite = selectors.invite_get_for_user(user=request.user, invite_id=invite_id)
        membership = services.team_invite_accept(actor=request.user, invite=invite)
        return Response(s.MembershipSerializer(membership).data)


class InviteDeclineView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invite_decline",
        request=None,
        responses={200: s.InviteSerializer, **error(409, "`conflict`: no longer pending")},
    )
    def post(self, request: Request, invite_id: int) -> Response:
        invite = selectors.invite_get_for_user(user=request.user, invite_id=invite_id)
        invite = services.team_invite_decline(actor=request.user, invite=invite)
        return Response(s.InviteSerializer(invite).data)
