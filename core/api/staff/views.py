"""Staff endpoints under /api/admin/: dashboard numbers, users, host verification decisions."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.staff.serializers import (
    HostDecisionSerializer,
    RejectHostSerializer,
    StaffUserSerializer,
    StaffUserUpdateSerializer,
    StatsSerializer,
)
from core.models import HostProfile, User
from core.selectors.users import staff_stats, staff_user_list
from core.services.hosts import host_approve, host_reject
from core.services.users import user_set_active

TAGS = ["admin"]


def _flag(value: str | None) -> bool | None:
    if value in ("1", "true", "True"):
        return True
    if value in ("0", "false", "False"):
        return False
    return None


def _decision(profile: HostProfile) -> dict:
    return HostDecisionSerializer(
        {
            "user_id": profile.user_id,
            "status": profile.status,
            "reviewed_at": profile.reviewed_at,
            "rejection_reason": profile.rejection_reason,
        }
    ).data


class StatsView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=TAGS, responses={200: StatsSerializer}, summary="Dashboard numbers")
    def get(self, request: Request) -> Response:
        return Response(StatsSerializer(staff_stats()).data)


class UserListView(ListAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = StaffUserSerializer
    filter_backends: list = []  # filtering is the selector's job, with the parameters below

    def get_queryset(self) -> QuerySet[User]:
        q = self.request.query_params
        return staff_user_list(
            search=q.get("search", "").strip(),
            role=q.get("role", ""),
            is_active=_flag(q.get("is_active")),
            email_verified=_flag(q.get("email_verified")),
            host_status=q.get("host_status", ""),
        )

    @extend_schema(
        tags=TAGS,
        summary="Search and filter users",
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="username, email or name"),
            OpenApiParameter("role", OpenApiTypes.STR, enum=["player", "host", "staff"]),
            OpenApiParameter("is_active", OpenApiTypes.BOOL),
            OpenApiParameter("email_verified", OpenApiTypes.BOOL),
            OpenApiParameter("host_status", OpenApiTypes.STR, enum=HostProfile.Status.values),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UserDetailView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=TAGS,
        request=StaffUserUpdateSerializer,
        responses={200: StaffUserSerializer},
        summary="Suspend (is_active=false) or reinstate a user",
    )
    def patch(self, request: Request, user_id: int) -> Response:
        data = StaffUserUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_set_active(
            actor=request.user, user_id=user_id, is_active=data.validated_data["is_active"]
        )
        return Response(StaffUserSerializer(user).data)


class ApproveHostView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: HostDecisionSerializer},
        summary="Approve a host's verification (id: the host's user id); the host is emailed",
    )
    def post(self, request: Request, user_id: int) -> Response:
        return Response(_decision(host_approve(actor=request.user, host_user_id=user_id)))


class RejectHostView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=TAGS,
        request=RejectHostSerializer,
        responses={200: HostDecisionSerializer},
        summary="Reject a host's verification with a reason (id: the host's user id)",
    )
    def post(self, request: Request, user_id: int) -> Response:
        data = RejectHostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = host_reject(
            actor=request.user, host_user_id=user_id, reason=data.validated_data["reason"]
        )
        return Response(_decision(profile))
