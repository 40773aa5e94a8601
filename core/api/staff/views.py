"""Staff endpoints under /api/admin/: dashboard numbers, users, host verification decisions."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.params import (
    bool_parameter,
    choice_parameter,
    query_bool,
    query_choice,
    query_text,
    text_parameter,
)
from core.api.periods import period_parameters, query_period
from core.api.schema import error
from core.api.staff.serializers import (
    HostDecisionSerializer,
    RejectHostSerializer,
    StaffUserSerializer,
    StaffUserUpdateSerializer,
    StatsSerializer,
)
from core.models import HostProfile, User
from core.selectors.dashboards import staff_analytics
from core.selectors.users import staff_stats, staff_user_list
from core.services.hosts import host_approve, host_reject
from core.services.users import user_set_active

TAGS = ["admin"]
ROLES = ("player", "host", "staff")
STAFF_ONLY = error(403, "`forbidden`: staff only")


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

    @extend_schema(
        tags=TAGS,
        parameters=period_parameters(),
        responses={200: StatsSerializer},
        summary="Dashboard numbers; revenue (paise) and per-day series over the period",
    )
    def get(self, request: Request) -> Response:
        start, end = query_period(request.query_params)
        analytics = staff_analytics(start=start, end=end)
        body = {**staff_stats(), "revenue": analytics["revenue"], "series": analytics["series"]}
        return Response(StatsSerializer(body).data)


class UserListView(ListAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = StaffUserSerializer
    filter_backends: list = []  # filtering is the selector's job, with the parameters below

    def get_queryset(self) -> QuerySet[User]:
        q = self.request.query_params
        return staff_user_list(
            search=query_text(q, "search"),
            role=query_choice(q, "role", ROLES) or "",
            is_active=query_bool(q, "is_active"),
            email_verified=query_bool(q, "email_verified"),
            host_status=query_choice(q, "host_status", HostProfile.Status.values) or "",
        )

    @extend_schema(
        tags=TAGS,
        summary="Search and filter users",
        parameters=[
            text_parameter("search", "username, email or name"),
            choice_parameter("role", ROLES, "staff: staff accounts of any role"),
            bool_parameter("is_active", "false: the suspended accounts"),
            bool_parameter("email_verified"),
            choice_parameter("host_status", HostProfile.Status.values),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UserDetailView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=TAGS,
        request=StaffUserUpdateSerializer,
        responses={
            200: StaffUserSerializer,
            **error(400, "`validation_error`: not one's own account"),
            **error(403, "`forbidden`: staff only; a superuser only by a superuser"),
        },
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
        responses={
            200: HostDecisionSerializer,
            **STAFF_ONLY,
            **error(404, "`not_found`: no such host"),
            **error(409, "`conflict`: already approved"),
        },
        summary="Approve a host's verification (id: the host's user id); the host is emailed",
    )
    def post(self, request: Request, user_id: int) -> Response:
        return Response(_decision(host_approve(actor=request.user, host_user_id=user_id)))


class RejectHostView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=TAGS,
        request=RejectHostSerializer,
        responses={
            200: HostDecisionSerializer,
            **STAFF_ONLY,
            **error(404, "`not_found`: no such host"),
            **error(409, "`conflict`: already rejected"),
        },
        summary="Reject a host's verification with a reason (id: the host's user id)",
    )
    def post(self, request: Request, user_id: int) -> Response:
        data = RejectHostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = host_reject(
            actor=request.user, host_user_id=user_id, reason=data.validated_data["reason"]
        )
        return Response(_decision(profile))
