"""/api/payments/: plans, initiate, PhonePe's callback, status, history. Thin: parse, call a
service or selector, serialize."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.models import Payment
from billing.phonepe import callback_authorization_ok
from billing.plans import PLANS
from billing.selectors import host_takings, payment_for_owner, payments_of_user
from billing.services.common import payment_summary
from billing.services.payments import (
    payment_start_entry_fee,
    payment_start_plan_fee,
    payment_sync,
)
from billing.services.webhooks import webhook_receive
from core.api.pagination import PAGE_PARAMETERS, PageNumberPagination
from core.api.schema import error
from core.errors import NotAuthenticated, NotFound
from core.models import Registration, Tournament

from . import serializers as s


class PlansView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=s.PlanSerializer(many=True), description="Prices in paise.")
    def get(self, request: Request) -> Response:
        return Response(s.PlanSerializer([plan.as_dict() for plan in PLANS], many=True).data)


class InitiateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.InitiateSerializer,
        responses={
            201: s.InitiatedSerializer,
            **error(
                400,
                "`validation_error`: the plan is too small for `max_teams`, the tournament has "
                "no entry fee, or a field",
            ),
            **error(404, "`not_found`: no such tournament or registration of the caller's"),
            **error(
                409,
                "`already_paid`; `invalid_status`: not a draft, or not a pending-payment "
                "registration",
            ),
            **error(503, "`payment_provider_unavailable`: PhonePe could not be reached"),
        },
        description="Start (or resume) a payment; the amount is the server's. plan_fee: the "
        "host's draft (then publish); entry_fee: your pending_payment registration. "
        "409 already_paid / invalid_status; 503 payment_provider_unavailable.",
    )
    def post(self, request: Request) -> Response:
        body = s.InitiateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["purpose"] == Payment.Purpose.PLAN_FEE:
            tournament = Tournament.objects.filter(pk=data["tournament"]).first()
            if tournament is None:
                raise NotFound("No such tournament.")
            payment = payment_start_plan_fee(actor=request.user, tournament=tournament)
        else:
            registration = Registration.objects.filter(pk=data["registration"]).first()
            if registration is None:
                raise NotFound("No such registration.")
            payment = payment_start_entry_fee(actor=request.user, registration=registration)
        return Response(payment_summary(payment), status=201)


class CallbackView(APIView):
    """PhonePe's webhook. Not a user request: no session/JWT, no CSRF; its own header check."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request={"application/json": s.WEBHOOK_BODY},
        examples=[
            OpenApiExample(
                "An order completed",
                value=s.WEBHOOK_EXAMPLE,
                request_only=True,
            )
        ],
        responses={
            200: s.CallbackAckSerializer,
            **error(400, "`validation_error`: not a PhonePe webhook body"),
            **error(401, "`not_authenticated`: a bad or missing callback `Authorization`"),
        },
        description="Authorization: lowercase hex SHA256('<username>:<password>') of the "
        "callback credentials (401 otherwise, nothing stored). Stored once, answered at once; "
        "checked with the order status API after commit.",
    )
    def post(self, request: Request) -> Response:
        if not callback_authorization_ok(request.headers.get("Authorization")):
            raise NotAuthenticated("Bad or missing callback Authorization.")
        webhook_receive(body=request.body)
        return Response({"ok": True})


class StatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: s.PaymentSerializer, **error(404, "`not_found`: not the caller's payment")},
        description="Your payment; while open it is refreshed from PhonePe first.",
    )
    def get(self, request: Request, merchant_order_id: str) -> Response:
        payment = payment_for_owner(user=request.user, merchant_order_id=merchant_order_id)
        if payment.state in Payment.OPEN_STATES:
            payment_sync(payment=payment)
            payment = payment_for_owner(user=request.user, merchant_order_id=merchant_order_id)
        return Response(s.PaymentSerializer(payment).data)


class HistoryView(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: s.HistorySerializer, **error(404, "`not_found`: a page past the last")},
        description="Your payments, newest first; for hosts also `tournaments`: what each "
        "hosted tournament took in (entry fees, refunds, plan fee).",
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(payments_of_user(user=request.user), request, view=self)
        response = paginator.get_paginated_response(s.PaymentSerializer(page, many=True).data)
        takings = host_takings(host=request.user) if request.user.is_host else None
        response.data["tournaments"] = (
            s.TakingsSerializer(takings, many=True).data if takings is not None else None
        )
        return response
