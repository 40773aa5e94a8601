"""Teams REST API (/api/accounts/teams/): parse, call a selector or service, serialize.

Who may act is decided by the services (captain checks, membership checks); these views only
require a signed-in user for writes.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotAuthenticated
from core.selectors import teams as selectors
from core.services import teams as services

from . import serializers as s

TAGS = ["teams"]
STATUS_PARAM = OpenApiParameter(
    "status", str, description="pending (default), accepted, rejected/declined, cancelled or all"
)


class _Paginated(GenericAPIView):
    filter_backends: list = []  # filtering lives in the selectors

    def paginated(self, queryset: QuerySet, serializer_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class TeamListCreateView(_Paginated):
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = s.TeamListSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_list",
        parameters=[
            OpenApiParameter("search", str, description="Part of the team's name or tag"),
            OpenApiParameter("game", str, description="Game slug"),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only the caller's teams"),
        ],
        responses=s.TeamListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        member = None
        if request.query_params.get("mine") in ("1", "true", "yes"):
            if not request.user.is_authenticated:
                raise NotAuthenticated("Sign in to list your teams.")
            member = request.user
        queryset = selectors.team_list(
            search=request.query_params.get("search", "").strip(),
            game_slug=request.query_params.get("game", "").strip(),
            member=member,
        )
        return self.paginated(queryset, s.TeamListSerializer)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_create",
        request=s.TeamCreateSerializer,
        responses={201: s.TeamDetailSerializer, 409: OpenApiResponse(description="Name taken")},
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
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(tags=TAGS, operation_id="teams_retrieve", responses=s.TeamDetailSerializer)
    def get(self, request: Request, team_id: int) -> Response:
        return _detail_response(request, team_id)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_partial_update",
        request=s.TeamWriteSerializer(partial=True),
        responses=s.TeamDetailSerializer,
    )
    def patch(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.TeamWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.team_update(actor=request.user, team=team, **body.validated_data)
        return _detail_response(request, team_id)

    @extend_schema(tags=TAGS, operation_id="teams_destroy", responses={204: None})
    def delete(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        services.team_delete(actor=request.user, team=team)
        return Response(status=status.HTTP_204_NO_CONTENT)


class JoinRequestCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_request_create",
        request=s.JoinRequestCreateSerializer,
        responses={201: s.JoinRequestSerializer},
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.JoinRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        join_request = services.team_join_request_create(
            actor=request.user, team=team, message=body.validated_data["message"]
        )
        return Response(s.JoinRequestSerializer(join_request).data, status=201)


class JoinRequestListView(_Paginated):
    permission_classes = [IsAuthenticated]
    serializer_class = s.JoinRequestSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_requests_list",
        parameters=[STATUS_PARAM],
        responses=s.JoinRequestSerializer(many=True),
    )
    def get(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        selectors.team_require_captain(team=team, user=request.user)
        queryset = selectors.team_join_requests(
            team=team, status=request.query_params.get("status", "pending")
        )
        return self.paginated(queryset, s.JoinRequestSerializer)


class JoinRequestAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_join_request_accept",
        request=s.JoinRequestAcceptSerializer,
        responses=s.MembershipSerializer,
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
        responses=s.JoinRequestSerializer,
    )
    def post(self, request: Request, team_id: int, request_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        join_request = selectors.team_join_request_get(team=team, request_id=request_id)
        join_request = services.team_join_request_reject(
            actor=request.user, join_request=join_request
        )
        return Response(s.JoinRequestSerializer(join_request).data)


class TeamInvitesView(_Paginated):
    permission_classes = [IsAuthenticated]
    serializer_class = s.InviteSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invites_list",
        parameters=[STATUS_PARAM],
        responses=s.InviteSerializer(many=True),
        description="The team's invites (captain only).",
    )
    def get(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        selectors.team_require_captain(team=team, user=request.user)
        queryset = selectors.team_invites(
            team=team, status=request.query_params.get("status", "pending")
        )
        return self.paginated(queryset, s.InviteSerializer)

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invites_create",
        request=s.InviteCreateSerializer,
        responses={201: s.InviteSerializer},
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


class MyInvitesView(_Paginated):
    permission_classes = [IsAuthenticated]
    serializer_class = s.InviteSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="teams_my_invites_list",
        parameters=[STATUS_PARAM],
        responses=s.InviteSerializer(many=True),
        description="Invites addressed to the caller.",
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.invites_for_user(
            user=request.user, status=request.query_params.get("status", "pending")
        )
        return self.paginated(queryset, s.InviteSerializer)


class InviteAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_invite_accept",
        request=None,
        responses=s.MembershipSerializer,
    )
    def post(self, request: Request, invite_id: int) -> Response:
        invite = selectors.invite_get_for_user(user=request.user, invite_id=invite_id)
        membership = services.team_invite_accept(actor=request.user, invite=invite)
        return Response(s.MembershipSerializer(membership).data)


class InviteDeclineView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS, operation_id="teams_invite_decline", request=None, responses=s.InviteSerializer
    )
    def post(self, request: Request, invite_id: int) -> Response:
        invite = selectors.invite_get_for_user(user=request.user, invite_id=invite_id)
        invite = services.team_invite_decline(actor=request.user, invite=invite)
        return Response(s.InviteSerializer(invite).data)


class LeaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="teams_leave",
        request=None,
        responses=s.LeaveResultSerializer,
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
        responses=s.TeamDetailSerializer,
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
        responses=s.TeamDetailSerializer,
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = selectors.team_get(team_id=team_id)
        body = s.MemberTargetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.team_captaincy_transfer(
            actor=request.user, team=team, user_id=body.validated_data["user"]
        )
        return _detail_response(request, team_id)
