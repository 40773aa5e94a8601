"""Shapes of the accounts API. Input serializers list only what a client may send: anything else
(role changes, staff flags, verification dates) is dropped before it reaches a service."""

import json
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.images import ImageVariantsField
from core.api.schema import FileUrlField, example
from core.models import HostProfile, PlayerGameProfile, User

PASSWORD = "correct-Horse-battery-42"  # noqa: S105 - an example in the docs, not a credential
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl"


# --- output -------------------------------------------------------------------------------


class GameProfileSerializer(serializers.ModelSerializer):
    game = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    game_name = serializers.CharField(source="game.name", read_only=True)

    class Meta:
        model = PlayerGameProfile
        fields = ["game", "game_name", "in_game_name", "in_game_id"]


class UserSerializer(serializers.ModelSerializer):
    """The signed-in user's own account (private fields included)."""

    email_verified = serializers.BooleanField(source="is_email_verified", read_only=True)
    host_status = serializers.SerializerMethodField()
    game_profiles = GameProfileSerializer(many=True, read_only=True)
    avatar = FileUrlField()
    avatar_variants = ImageVariantsField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "role",
            "display_name",
            "avatar",
            "avatar_variants",
            "bio",
            "phone",
            "email_verified",
            "host_status",
            "is_staff",
            "game_profiles",
            "date_joined",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=HostProfile.Status.choices, allow_null=True)
    )
    def get_host_status(self, user: User) -> str | None:
        profile = getattr(user, "host_profile", None) if user.is_host else None
        return profile.status if profile else None


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class AuthResultSerializer(TokenPairSerializer):
    user = UserSerializer()


class GoogleAuthResultSerializer(AuthResultSerializer):
    created = serializers.BooleanField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- input --------------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        example(
            "A player",
            {
                "username": "riya_fps",
                "email": "riya@example.com",
                "password": PASSWORD,
                "role": "player",
                "display_name": "Riya",
            },
        ),
        example(
            "A host",
            {
                "username": "mumbai_esports",
                "email": "events@mumbaiesports.example.com",
                "password": PASSWORD,
                "role": "host",
            },
        ),
    ]
)
class SignUpSerializer(strict.Serializer):
    username = serializers.CharField(min_length=3, max_length=30)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    # Never "staff": staff accounts are made by other staff, not by signing up.
    role = serializers.ChoiceField(choices=["player", "host"], default="player")
    display_name = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        UnicodeUsernameValidator()(value)
        return value


@extend_schema_serializer(
    examples=[
        example("By email", {"email": "riya@example.com", "password": PASSWORD}),
        example("By username", {"username": "riya_fps", "password": PASSWORD}),
    ]
)
class LoginSerializer(strict.Serializer):
    """Sign in with `email` or `username` (or `login`, either of the two) + `password`."""

    schema_rules = {
        "anyOf": [
            {"required": [name], "properties": {name: {"minLength": 1}}}
            for name in ("email", "username", "login")
        ]
    }

    email = serializers.CharField(required=False, allow_blank=True)
    username = serializers.CharField(required=False, allow_blank=True)
    login = serializers.CharField(required=False, allow_blank=True)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        identifier = attrs.get("email") or attrs.get("username") or attrs.get("login")
        if not identifier:
            raise serializers.ValidationError({"email": ["Give your email or username."]})
        attrs["identifier"] = identifier
        return attrs


@extend_schema_serializer(examples=[example("A refresh token", {"refresh": JWT})])
class RefreshSerializer(strict.Serializer):
    refresh = serializers.CharField()


@extend_schema_serializer(
    examples=[
        example(
            "Change password",
            {"current_password": PASSWORD, "new_password": "another-Horse-battery-43"},
        )
    ]
)
class ChangePasswordSerializer(strict.Serializer):
    current_password = serializers.CharField(style={"input_type": "password"})
    new_password = serializers.CharField(style={"input_type": "password"})


@extend_schema_serializer(examples=[example("The token from the email", {"token": JWT})])
class TokenSerializer(strict.Serializer):
    token = serializers.CharField(max_length=1000)


@extend_schema_serializer(
    examples=[
        example("Signed out: the address", {"email": "riya@example.com"}),
        example("Signed in: nothing", {}),
    ]
)
class OptionalEmailSerializer(strict.Serializer):
    email = serializers.EmailField(required=False)


@extend_schema_serializer(examples=[example("An email", {"email": "riya@example.com"})])
class EmailSerializer(strict.Serializer):
    email = serializers.EmailField()


@extend_schema_serializer(
    examples=[
        example(
            "From the reset link",
            {"uid": "MTc", "token": "cbx1yz-4f2e9d8a7b6c5d4e3f2a1b0c", "new_password": PASSWORD},
        )
    ]
)
class PasswordResetConfirmSerializer(strict.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(style={"input_type": "password"})


@extend_schema_serializer(
    examples=[
        example("A Google ID token", {"id_token": JWT}),
        example("A Google access token", {"access_token": "ya29.a0AfB_byC-example-token"}),
    ]
)
class GoogleAuthSerializer(strict.Serializer):
    schema_rules = {
        "oneOf": [
            {"required": ["access_token"], "not": {"required": ["id_token"]}},
            {"required": ["id_token"], "not": {"required": ["access_token"]}},
        ]
    }
    access_token = serializers.CharField(required=False, max_length=4096)
    id_token = serializers.CharField(required=False, max_length=8192)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("access_token")) == bool(attrs.get("id_token")):
            raise serializers.ValidationError(
                {"access_token": ["Send exactly one of access_token or id_token."]}
            )
        return attrs


class GameIdentityInputSerializer(strict.Serializer):
    game = serializers.SlugField(help_text="Game slug, e.g. bgmi")
    in_game_name = serializers.CharField(max_length=60)
    in_game_id = serializers.CharField(max_length=40)


@extend_schema_field(GameIdentityInputSerializer(many=True))
class GameIdentityListField(serializers.ListField):
    """A list of in-game identities; in a multipart form it may come as one JSON string."""

    child = GameIdentityInputSerializer()

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]  # multipart's getlist() wraps the JSON string
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError("Send a JSON list.") from None
        # Validated on its own: a PATCH makes the parent partial, but each identity is whole.
        items = GameIdentityInputSerializer(data=data, many=True)
        if not items.is_valid():
            raise serializers.ValidationError(items.errors)
        return list(items.validated_data)


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{6,18}$", "Enter a phone number like +91 98765 43210."
)


@extend_schema_serializer(
    examples=[
        example(
            "Profile and in-game ids",
            {
                "display_name": "Riya",
                "bio": "IGL for Team Soul academy, Mumbai",
                "phone": "+91 98765 43210",
                "game_profiles": [
                    {"game": "bgmi", "in_game_name": "RiyaOP", "in_game_id": "5123456789"}
                ],
            },
            description="JSON; a multipart form sends the same fields and the avatar file.",
        )
    ]
)
class ProfileUpdateSerializer(strict.Serializer):
    display_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[phone_validator]
    )
    avatar = serializers.FileField(
        required=False, allow_null=True, help_text="An image; null removes the avatar."
    )
    game_profiles = GameIdentityListField(
        required=False, help_text="The full list of in-game identities, one per game slug."
    )


class HostVerificationSerializer(serializers.ModelSerializer):
    """The host's own verification record (status and what they submitted)."""

    website = serializers.CharField(read_only=True, help_text='a URL, or ""')
    document = serializers.SerializerMethodField(
        help_text="Where the owner and staff fetch the document (GET answers a short-lived "
        "link); null without one"
    )

    class Meta:
        model = HostProfile
        fields = [
            "status",
            "organization",
            "contact_name",
            "details",
            "website",
            "document",
            "submitted_at",
            "reviewed_at",
            "rejection_reason",
        ]
        read_only_fields = fields

    def get_document(self, profile: HostProfile) -> str | None:
        if not profile.document:
            return None
        path = reverse("host-document", kwargs={"user_id": profile.user_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_serializer(
    examples=[
        example(
            "Details",
            {
                "organization": "Mumbai Esports League",
                "contact_name": "Arjun Mehta",
                "details": "Weekly BGMI scrims since 2023, 40 teams a week.",
                "website": "https://mumbaiesports.example.com",
            },
            description="JSON; a multipart form sends the same fields and the document file.",
        )
    ]
)
class HostVerificationSubmitSerializer(strict.Serializer):
    organization = serializers.CharField(max_length=120)
    contact_name = serializers.CharField(max_length=120)
    details = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    document = serializers.FileField(required=False, help_text="PDF or image, optional")
