"""Sign-up, sign-in, tokens, passwords and email verification: parse → service → serialize."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.accounts.serializers import (
    AuthResultSerializer,
    ChangePasswordSerializer,
    DetailSerializer,
    EmailSerializer,
    GoogleAuthResultSerializer,
    GoogleAuthSerializer,
    LoginSerializer,
    OptionalEmailSerializer,
    PasswordResetConfirmSerializer,
    RefreshSerializer,
    SignUpSerializer,
    TokenPairSerializer,
    TokenSerializer,
    UserSerializer,
)
from core.api.schema import error
from core.api.throttles import (
    EmailResendThrottle,
    LoginThrottle,
    PasswordResetThrottle,
    RegisterThrottle,
)
from core.models import User
from core.selectors.users import own_profile
from core.services import social, users
from core.services.tokens import refresh_revoke, refresh_rotate, token_pair_for

TAGS = ["accounts"]
RESET_SENT = "If an account uses that email, we have sent it a link to reset the password."
RESEND_SENT = "If that account still needs verifying, we have sent a new verification email."


def _auth_result(user: User, tokens: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {**tokens, "user": UserSerializer(own_profile(user=user)).data, **extra}


class AnonymousAPIView(APIView):
    """Endpoints used before signing in: a stale Authorization header must not make them 401."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class RegisterView(AnonymousAPIView):
    throttle_classes = [RegisterThrottle]

    @extend_schema(
        tags=TAGS,
        request=SignUpSerializer,
        responses={
            201: AuthResultSerializer,
            **error(409, "`conflict`: the username or email was taken a moment ago"),
        },
        summary="Register as a player or a host; a verification email is sent",
    )
    def post(self, request: Request) -> Response:
        data = SignUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = users.user_register(**data.validated_data)
        return Response(_auth_result(user, token_pair_for(user)), status=status.HTTP_201_CREATED)


class LoginView(AnonymousAPIView):
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=TAGS,
        request=LoginSerializer,
        responses={
            200: AuthResultSerializer,
            **error(401, "`invalid_credentials`: no such account, or a wrong password"),
            **error(403, "`account_suspended`"),
        },
        summary="Sign in with email or username + password",
    )
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, tokens = users.user_login(
            identifier=data.validated_data["identifier"], password=data.validated_data["password"]
        )
        return Response(_auth_result(user, tokens))


class RefreshView(AnonymousAPIView):
    @extend_schema(
        tags=TAGS,
        request=RefreshSerializer,
        responses={
            200: TokenPairSerializer,
            **error(401, "`token_not_valid`: a bad, expired, rotated or revoked refresh token"),
        },
        summary="Rotate a refresh token: a new pair; the old refresh token stops working",
    )
    def post(self, request: Request) -> Response:
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(refresh_rotate(raw_refresh=data.validated_data["refresh"]))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=RefreshSerializer,
        responses={200: DetailSerializer},
        summary="Sign out: blacklist the refresh token",
    )
    def post(self, request: Request) -> Response:
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refresh_revoke(raw_refresh=data.validated_data["refresh"], user=request.user)
        return Response({"detail": "Signed out."})


class ChangePasswordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=ChangePasswordSerializer,
        responses={200: TokenPairSerializer},
        summary="Change password; every other session is signed out, a new pair is returned",
    )
    def post(self, request: Request) -> Response:
        data = ChangePasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(users.user_change_password(actor=request.user, **data.validated_data))


class VerifyEmailView(AnonymousAPIView):
    @extend_schema(
        tags=TAGS,
        request=TokenSerializer,
        responses={200: UserSerializer},
        summary="Verify the email address with the token from the email",
    )
    def post(self, request: Request) -> Response:
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = users.user_verify_email(token=data.validated_data["token"])
        return Response(UserSerializer(own_profile(user=user)).data)


class ResendVerificationView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [EmailResendThrottle]

    @extend_schema(
        tags=TAGS,
        request=OptionalEmailSerializer,
        responses={200: DetailSerializer},
        summary="Send a new verification email (to the signed-in user, or to `email`)",
    )
    def post(self, request: Request) -> Response:
        data = OptionalEmailSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = request.user if request.user.is_authenticated else None
        if actor is None and not data.validated_data.get("email"):
            data = EmailSerializer(data=request.data)
            data.is_valid(raise_exception=True)
        users.user_resend_verification(actor=actor, email=data.validated_data.get("email"))
        return Response({"detail": RESEND_SENT})


class PasswordResetView(AnonymousAPIView):
    throttle_classes = [PasswordResetThrottle]

    @extend_schema(
        tags=TAGS,
        request=EmailSerializer,
        responses={200: DetailSerializer},
        summary="Email a password-reset link (the same answer whether or not the email exists)",
    )
    def post(self, request: Request) -> Response:
        data = EmailSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users.password_reset_request(email=data.validated_data["email"])
        return Response({"detail": RESET_SENT})


class PasswordResetConfirmView(AnonymousAPIView):
    @extend_schema(
        tags=TAGS,
        request=PasswordResetConfirmSerializer,
        responses={200: DetailSerializer},
        summary="Set a new password from the reset link; all refresh tokens stop working",
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users.password_reset_confirm(**data.validated_data)
        return Response({"detail": "Password changed. Sign in with the new password."})


class GoogleAuthView(AnonymousAPIView):
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=TAGS,
        request=GoogleAuthSerializer,
        responses={
            200: GoogleAuthResultSerializer,
            **error(400, "`google_auth_failed`, or `validation_error` (not exactly one token)"),
            **error(403, "`account_suspended`"),
            **error(409, "`conflict`: the Google account was linked a moment ago; sign in again"),
            **error(503, "`unavailable`: Google sign-in is not configured (GOOGLE_CLIENT_ID)"),
        },
        summary="Sign in with a Google access token or ID token",
    )
    def post(self, request: Request) -> Response:
        data = GoogleAuthSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token_type = "id_token" if data.validated_data.get("id_token") else "access_token"
        user, created = social.google_sign_in(
            request=request._request,
            token=data.validated_data[token_type],
            token_type=token_type,
        )
        return Response(_auth_result(user, token_pair_for(user), created=created))
