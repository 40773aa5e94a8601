"""The account itself: DELETE /api/accounts/me/ (account rights, docs/api.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error
from core.services.account_deletion import account_delete

TAGS = ["accounts"]


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        help_text="The current password; an account without one (Google sign-in) leaves it out "
        "and must have signed in within ACCOUNT_DELETE_FRESH_LOGIN_MINUTES",
    )


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=AccountDeleteSerializer,
        responses={
            204: None,
            **error(400, "`validation_error`: the password is wrong (`details.password`)"),
            **error(
                403, "`fresh_login_required`: no password on the account and no recent sign-in"
            ),
            **error(
                409,
                "`captain_of_live_team`, `payment_in_flight`, `hosting_open_tournament`: "
                "not while the account still owes a tournament or a payment",
            ),
        },
        summary="Delete the account: personal data erased, results and payments kept",
    )
    def delete(self, request: Request) -> Response:
        data = AccountDeleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account_delete(actor=request.user, password=data.validated_data.get("password", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)
