"""Shapes of the accounts API. Input serializers list only what a client may send: anything else
(role changes, staff flags, verification dates) is dropped before it reaches a service."""

import json
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import HostProfile, PlayerGameProfile, User

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

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "role",
            "display_name",
            "avatar",
            "bio",
            "phone",
            "email_verified",
            "host_status",
            "is_staff",
            "game_profiles",
            "date_joined",
        ]
        read_only_fields = fields

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


class SignUpSerializer(serializers.Serializer):
    username = serializers.CharField(min_length=3, max_length=30)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    # Never "staff": staff accounts are made by other staff, not by signing up.
    role = serializers.ChoiceField(choices=["player", "host"], default="player")
    display_name = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        UnicodeUsernameValidator()(value)
        return value


class LoginSerializer(serializers.Serializer):
    """Sign in with `email` or `username` (or `login`, either of the two) + `password`."""

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


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class ChangePasswordSerializer(serializers.Serializer):
    current_password = serializers.CharField(style={"input_type": "password"})
    new_password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=1000)


class OptionalEmailSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False)


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(style={"input_type": "password"})


class GoogleAuthSerializer(serializers.Serializer):
    access_token = serializers.CharField(required=False, max_length=4096)
    id_token = serializers.CharField(required=False, max_length=8192)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("access_token")) == bool(attrs.get("id_token")):
            raise serializers.ValidationError(
                {"access_token": ["Send exactly one of access_token or id_token."]}
            )
        return attrs


class GameIdentityInputSerializer(serializers.Serializer):
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


class ProfileUpdateSerializer(serializers.Serializer):
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


class PublicGameProfileSerializer(GameProfileSerializer):
    pass


class PublicTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.id")
    name = serializers.CharField(source="team.name")
    tag = serializers.CharField(source="team.tag")
    game = serializers.CharField(source="team.game.slug")
    role = serializers.CharField()


class PlayerStatsSerializer(serializers.Serializer):
    tournaments_played = serializers.IntegerField()
    teams = serializers.IntegerField()


class PublicPlayerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    avatar = serializers.ImageField(source="user.avatar")
    bio = serializers.CharField(source="user.bio")
    date_joined = serializers.DateTimeField(source="user.date_joined")
    game_profiles = PublicGameProfileSerializer(source="user.game_profiles", many=True)
    teams = PublicTeamSerializer(source="user.team_memberships", many=True)
    stats = PlayerStatsSerializer()


class HostStatsSerializer(serializers.Serializer):
    tournaments_hosted = serializers.IntegerField()
    tournaments_completed = serializers.IntegerField()
    tournaments_live = serializers.IntegerField()


class PublicHostSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    avatar = serializers.ImageField(source="user.avatar")
    bio = serializers.CharField(source="user.bio")
    organization = serializers.CharField(source="profile.organization", default="")
    website = serializers.URLField(source="profile.website", default="")
    verified = serializers.BooleanField(source="user.is_verified_host")
    stats = HostStatsSerializer()


class HostVerificationSerializer(serializers.ModelSerializer):
    """The host's own verification record (status and what they submitted)."""

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


class HostVerificationSubmitSerializer(serializers.Serializer):
    organization = serializers.CharField(max_length=120)
    contact_name = serializers.CharField(max_length=120)
    details = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    document = serializers.FileField(required=False, help_text="PDF or image, optional")
