"""/api/ratings/: host ratings. parse → service/selector → serialize."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import PageNumberPagination
from core.api.params import MAX_ID, query_int
from core.api.schema import error
from core.errors import ValidationError
from core.selectors.ratings import host_rating_list
from core.services import ratings as svc

from . import serializers as s

TAGS = ["ratings"]
HOST_PARAMETER = OpenApiParameter(
    "host",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    required=True,
    description="The host's user id",
)


class RatingListView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = PageNumberPagination

    @extend_schema(
        tags=TAGS,
        parameters=[HOST_PARAMETER],
        responses={200: s.RatingSerializer(many=True)},
        summary="A host's ratings, newest first (hidden ones left out)",
    )
    def get(self, request: Request) -> Response:
        host = query_int(request.query_params, "host")
        if host is None:
            raise ValidationError("host: required.", details={"host": ["Required."]})
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(host_rating_list(host_id=host), request, view=self)
        return paginator.get_paginated_response(s.RatingSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.RatingCreateSerializer,
        responses={
            201: s.RatingSerializer,
            **error(404, "`not_found`: no such tournament (or a draft)"),
            **error(
                409,
                "`already_rated`: the caller rated this tournament's host already; "
                "`invalid_status`: the tournament has not completed",
            ),
        },
        summary="Rate the host of a completed tournament you played in",
    )
    def post(self, request: Request) -> Response:
        data = s.RatingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rating = svc.host_rating_create(
            actor=request.user,
            tournament_id=values["tournament"],
            score=values["score"],
            comment=values.get("comment", ""),
        )
        return Response(s.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class RatingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=s.RatingUpdateSerializer,
        responses={
            200: s.RatingSerializer,
            **error(409, "`invalid_status`: more than 7 days since the rating was given"),
        },
        summary="Change your rating (for 7 days)",
    )
    def patch(self, request: Request, rating_id: int) -> Response:
        data = s.RatingUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = svc.host_rating_update(
            actor=request.user, rating_id=rating_id, **dict(data.validated_data)
        )
        return Response(s.RatingSerializer(rating).data)


class RatingReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=s.ReportSerializer,
        responses={201: s.ReportOutSerializer},
        summary="Report a rating to staff",
    )
    def post(self, request: Request, rating_id: int) -> Response:
        data = s.ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = svc.host_rating_report(
            actor=request.user, rating_id=rating_id, reason=data.validated_data["reason"]
        )
        return Response(s.ReportOutSerializer(report).data, status=status.HTTP_201_CREATED)


__all__ = ["RatingDetailView", "RatingListView", "RatingReportView"]
