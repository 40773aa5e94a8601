"""/api/accounts/notifications/… beyond the list (unread count, preferences, unsubscribe):
parse → selector/service → serialize (docs/notifications.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.selectors import competition as sel
from core.services import notification_preferences as prefs

from . import account_serializers as s


class NotificationUnreadCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=s.UnreadCountSerializer, summary="How many of my notifications are unread"
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": sel.notification_unread_count(user=request.user)})


class NotificationPreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=s.NotificationPreferenceSerializer(many=True),
        summary="My email choice for every notification kind that emails",
    )
    def get(self, request: Request) -> Response:
        return Response(prefs.preferences_get(user=request.user))

    @extend_schema(
        request=s.NotificationPreferencesPatchSerializer,
        responses=s.NotificationPreferenceSerializer(many=True),
        summary="Turn kinds' emails on or off (400 for an unknown kind)",
    )
    def patch(self, request: Request) -> Response:
        data = s.NotificationPreferencesPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = prefs.preferences_set(user=request.user, choices=data.validated_data["email"])
        return Response(rows)


class NotificationUnsubscribeView(APIView):
    """The JSON twin of the /unsubscribe/ page, for a front end that serves that link itself."""

    authentication_classes: list = []  # the signed token is the authority, not a session
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.UnsubscribeSerializer,
        responses=s.UnsubscribedSerializer,
        summary="Turn one kind's email off with the token from an email (no sign-in)",
    )
    def post(self, request: Request) -> Response:
        data = s.UnsubscribeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, kind = prefs.unsubscribe(token=data.validated_data["token"])
        return Response({"kind": kind, "email": False})
