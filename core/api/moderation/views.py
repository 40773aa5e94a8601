"""Moderation: POST /api/reports/ (anyone signed in) and the staff queue under
/api/admin/reports/. parse → service/selector → serialize (docs/api.md, "Moderation")."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.params import choice_parameter, query_choice
from core.api.schema import error
from core.api.throttles import ReportThrottle
from core.models import Report
from core.selectors.moderation import report_queue
from core.services.moderation import report_create, report_resolve

from . import serializers as s

TAGS = ["moderation"]


class ReportCreateView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ReportThrottle]

    @extend_schema(
        tags=TAGS,
        request=s.ReportCreateSerializer,
        responses={
            201: s.ReportSerializer,
            **error(404, "`not_found`: no such tournament, team, profile or announcement"),
            **error(
                409, "`report_already_open`: your report of it is still open (`details.report`)"
            ),
            **error(429, "`rate_limited`: too many reports (THROTTLE_REPORT)"),
        },
        summary="Report a tournament, team, profile or announcement to staff",
    )
    def post(self, request: Request) -> Response:
        data = s.ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_create(reporter=request.user, **data.validated_data)
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportQueueView(ListAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = s.StaffReportSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Report]:
        chosen = query_choice(self.request.query_params, "status", Report.Status.values)
        return report_queue(status=chosen or "")

    @extend_schema(
        tags=TAGS,
        summary="The reports queue, oldest first (staff)",
        parameters=[choice_parameter("status", Report.Status.values, "open or resolved")],
        responses={
            200: s.StaffReportSerializer(many=True),
            **error(403, "`forbidden`: staff only"),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ReportResolveView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=TAGS,
        request=s.ResolveSerializer,
        responses={
            200: s.StaffReportSerializer,
            **error(
                400,
                "`validation_error`: an action the target cannot take (unpublish is "
                "for tournaments)",
            ),
            **error(403, "`forbidden`: staff only; staff accounts are not suspended"),
            **error(404, "`not_found`: no such report"),
            **error(
                409,
                "`report_already_resolved`; `unpublish_refused`: the tournament is not "
                "published or has registrations holding seats or payments; `conflict`: nobody "
                "to suspend",
            ),
        },
        summary="Resolve an open report with hide, unpublish, suspend or dismiss (staff)",
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = s.ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_resolve(actor=request.user, report_id=report_id, **data.validated_data)
        return Response(s.StaffReportSerializer(report).data)
