"""Own profile, public player/host profiles and host verification."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.accounts.public_serializers import PublicHostSerializer, PublicPlayerSerializer
from core.api.accounts.serializers import (
    HostVerificationSerializer,
    HostVerificationSubmitSerializer,
    ProfileUpdateSerializer,
    UserSerializer,
)
from core.api.input_guard import PARSERS
from core.api.permissions import IsHost
from core.api.schema import error, upload_request
from core.errors import NotFound
from core.models import HostProfile
from core.selectors.users import host_public_profile, own_profile, player_public_profile
from core.services.hosts import host_verification_submit
from core.services.profiles import user_profile_update

TAGS = ["accounts"]
# As JSON, or as a form with the avatar (game_profiles then as JSON text); null avatar removes it.
PROFILE_BODY = upload_request(ProfileUpdateSerializer, form_text=("game_profiles",))


class ProfileView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS

    @extend_schema(tags=TAGS, responses={200: UserSerializer}, summary="Your own profile")
    def get(self, request: Request) -> Response:
        return Response(self._out(request))

    @extend_schema(
        tags=TAGS,
        request=PROFILE_BODY,
        responses={200: UserSerializer},
        summary="Replace your editable profile fields (fields not sent are cleared)",
    )
    def put(self, request: Request) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        tags=TAGS,
        request=PROFILE_BODY,
        responses={200: UserSerializer},
        summary="Update some of your profile fields",
    )
    def patch(self, request: Request) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        data = ProfileUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        kwargs = {}
        if "avatar" in values:
            kwargs["avatar"] = values.pop("avatar")
        elif not partial:
            kwargs["avatar"] = None
        if "game_profiles" in values:
            kwargs["game_profiles"] = values.pop("game_profiles")
        elif not partial:
            kwargs["game_profiles"] = []
        if not partial:  # PUT: what is not sent is reset to empty
            values = {name: values.get(name, "") for name in ("display_name", "bio", "phone")}
        user_profile_update(actor=request.user, fields=values, **kwargs)
        return Response(self._out(request))

    def _out(self, request: Request) -> dict:
        return UserSerializer(own_profile(user=request.user), context={"request": request}).data


class PlayerPublicView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, responses={200: PublicPlayerSerializer}, summary="A player's public profile"
    )
    def get(self, request: Request, user_id: int) -> Response:
        profile = player_public_profile(user_id=user_id)
        return Response(PublicPlayerSerializer(profile, context={"request": request}).data)


class HostPublicView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, responses={200: PublicHostSerializer}, summary="A host's public profile"
    )
    def get(self, request: Request, user_id: int) -> Response:
        profile = host_public_profile(user_id=user_id)
        return Response(PublicHostSerializer(profile, context={"request": request}).data)


class HostVerificationView(APIView):
    permission_classes = [IsAuthenticated, IsHost]
    parser_classes = PARSERS

    @extend_schema(
        tags=TAGS,
        responses={
            200: HostVerificationSerializer,
            **error(403, "`forbidden`: not a host account"),
            **error(404, "`not_found`: no verification record yet"),
        },
        summary="Your host verification status",
    )
    def get(self, request: Request) -> Response:
        profile = HostProfile.objects.filter(user=request.user).first()
        if profile is None:
            raise NotFound("No host verification yet: submit your details.")
        return Response(HostVerificationSerializer(profile, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        request=upload_request(HostVerificationSubmitSerializer),
        responses={
            200: HostVerificationSerializer,
            **error(409, "`conflict`: the host account is already verified"),
        },
        summary="Submit or resubmit host verification details (status becomes submitted)",
    )
    def post(self, request: Request) -> Response:
        data = HostVerificationSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = host_verification_submit(actor=request.user, **data.validated_data)
        return Response(HostVerificationSerializer(profile, context={"request": request}).data)
