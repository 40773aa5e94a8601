"""/api/webhooks/: a host's endpoints and their deliveries. parse → service/selector →
serialize."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from core.api.pagination import PageNumberPagination
from core.api.params import choice_parameter, query_choice
from core.api.permissions import IsHost
from core.api.schema import error
from core.models import WebhookDelivery, WebhookEndpoint
from core.services import webhooks as svc
from core.services.webhook_deliveries import webhook_ping

from . import serializers as s

TAGS = ["webhooks"]
HOSTS_ONLY = error(403, "`forbidden`: host accounts only")
STATUSES = tuple(WebhookDelivery.Status.values)


class _HostView(APIView):
    permission_classes = [IsAuthenticated, IsHost]

    def paginated(self, qs: QuerySet, serializer_class: type[Serializer]) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


class EndpointListView(_HostView):
    pagination_class = PageNumberPagination

    @extend_schema(
        tags=TAGS,
        responses={200: s.EndpointSerializer(many=True), **HOSTS_ONLY},
        summary="My webhook endpoints, newest first",
    )
    def get(self, request: Request) -> Response:
        return self.paginated(
            WebhookEndpoint.objects.filter(owner=request.user), s.EndpointSerializer
        )

    @extend_schema(
        tags=TAGS,
        request=s.EndpointCreateSerializer,
        responses={
            201: s.EndpointWithSecretSerializer,
            **HOSTS_ONLY,
            **error(409, "`conflict`: the host already has the most endpoints allowed"),
        },
        summary="Register an endpoint (its secret is in the answer)",
    )
    def post(self, request: Request) -> Response:
        data = s.EndpointCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        endpoint = svc.webhook_endpoint_create(
            actor=request.user,
            url=values["url"],
            events=values["events"],
            kind=values["kind"],
            tournament_id=values.get("tournament"),
            description=values.get("description", ""),
        )
        return Response(
            s.EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )


class EndpointDetailView(_HostView):
    @extend_schema(
        tags=TAGS,
        responses={200: s.EndpointWithSecretSerializer, **HOSTS_ONLY},
        summary="One of my endpoints, with its secret",
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = svc.webhook_endpoint_get(actor=request.user, endpoint_id=endpoint_id)
        return Response(s.EndpointWithSecretSerializer(endpoint).data)

    @extend_schema(
        tags=TAGS,
        request=s.EndpointUpdateSerializer,
        responses={200: s.EndpointWithSecretSerializer, **HOSTS_ONLY},
        summary="Change url, events, description, or enable/disable",
    )
    def patch(self, request: Request, endpoint_id: int) -> Response:
        data = s.EndpointUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = svc.webhook_endpoint_update(
            actor=request.user, endpoint_id=endpoint_id, changes=dict(data.validated_data)
        )
        return Response(s.EndpointWithSecretSerializer(endpoint).data)

    @extend_schema(tags=TAGS, responses={204: None, **HOSTS_ONLY}, summary="Remove an endpoint")
    def delete(self, request: Request, endpoint_id: int) -> Response:
        svc.webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointRotateSecretView(_HostView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: s.EndpointWithSecretSerializer, **HOSTS_ONLY},
        summary="A new signing secret (the old one stops signing at once)",
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        endpoint = svc.webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint_id)
        return Response(s.EndpointWithSecretSerializer(endpoint).data)


class EndpointPingView(_HostView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: s.DeliverySerializer, **HOSTS_ONLY},
        summary="Send a test ping (one attempt); the delivery as it stands",
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        delivery = webhook_ping(actor=request.user, endpoint_id=endpoint_id)
        delivery.refresh_from_db()
        return Response(s.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryListView(_HostView):
    pagination_class = PageNumberPagination

    @extend_schema(
        tags=TAGS,
        parameters=[choice_parameter("status", STATUSES, "only deliveries in this status")],
        responses={200: s.DeliverySerializer(many=True), **HOSTS_ONLY},
        summary="An endpoint's deliveries, newest first",
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = svc.webhook_endpoint_get(actor=request.user, endpoint_id=endpoint_id)
        wanted = query_choice(request.query_params, "status", STATUSES)
        qs = WebhookDelivery.objects.filter(endpoint=endpoint)
        if wanted:
            qs = qs.filter(status=wanted)
        return self.paginated(qs, s.DeliverySerializer)
