from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from realtime.tickets import TICKET_TTL_SECONDS, ticket_issue


class TicketView(APIView):
    """A one-use websocket ticket for the signed-in user (docs/protocol.md, Authentication)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "RealtimeTicket",
                {
                    "ticket": serializers.CharField(help_text="one use, for ?ticket= on a socket"),
                    "expires_in": serializers.IntegerField(help_text="seconds"),
                },
            )
        },
        summary="A one-use websocket ticket (docs/protocol.md, Authentication)",
    )
    def post(self, request: Request) -> Response:
        ticket = ticket_issue(user_id=request.user.pk)
        return Response({"ticket": ticket, "expires_in": TICKET_TTL_SECONDS}, status=201)
