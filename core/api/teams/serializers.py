"""Team request and response bodies. Input serializers name only the fields a client may set:
captain, creator, game (after creation) and the stats are never writable."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core import errors
from core.api import strict
from core.api.games import GameField
from core.api.images import ImageVariantsField
from core.api.schema import FileUrlField, example
from core.api.stats.serializers import MatchStatsSerializer
from core.media.images import clean_image
from core.models import Game, Team, TeamInvite, TeamJoinRequest, TeamMembership

JOINABLE_ROLE_CHOICES = [
    (TeamMembership.Role.MEMBER, "Member"),
    (TeamMembership.Role.SUBSTITUTE, "Substitute"),
]
STAT_FIELDS = ("events_played", "wins", "matches_played", "total_kills", "total_points")


def _clean_logo(upload: UploadedFile) -> ContentFile:
    # The shared gate (core/media/images.py): real image, size and pixel limits, metadata stripped.
    try:
        return clean_image(upload, field="logo")
    except errors.ValidationError as exc:
        raise serializers.ValidationError(exc.message) from None


class GameBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Game
        fields = ["slug", "name", "squad_size", "max_substitutes"]


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


@extend_schema_serializer(
    examples=[
        example(
            "Rename",
            {"name": "Soul Academy", "tag": "SOULA", "bio": "Mumbai's BGMI academy squad."},
            description="JSON; a multipart form sends the same fields and the logo file.",
        )
    ]
)
class TeamWriteSerializer(strict.Serializer):
    name = serializers.CharField(max_length=60, min_length=2)
    tag = serializers.CharField(max_length=8, min_length=2)
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True)
    logo = serializers.ImageField(required=False)

    def validate_logo(self, value: UploadedFile) -> ContentFile:
        return _clean_logo(value)


@extend_schema_serializer(
    examples=[
        example(
            "A BGMI team",
            {"game": "bgmi", "name": "Mumbai Mavericks", "tag": "MAV", "bio": "Weekend scrims."},
            description="JSON; a multipart form sends the same fields and the logo file.",
        )
    ]
)
class TeamCreateSerializer(TeamWriteSerializer):
    game = GameField(queryset=Game.objects.filter(is_active=True))


class TeamListSerializer(serializers.ModelSerializer):
    logo = FileUrlField()
    logo_variants = ImageVariantsField()
    game = GameBriefSerializer(read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    captain = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "tag",
            "logo",
            "logo_variants",
            "game",
            "member_count",
            "captain",
            *STAT_FIELDS,
        ]
        read_only_fields = fields

    def get_captain(self, team: Team) -> dict | None:
        if team.captain_id is None:
            return None
        return {"id": team.captain_id, "username": team.captain_username}


class TeamMemberSerializer(serializers.Serializer):
    user = UserBriefSerializer()
    role = serializers.ChoiceField(choices=TeamMembership.Role.choices)
    in_game_name = serializers.CharField(allow_null=True, help_text="From the player's profile")
    joined_at = serializers.DateTimeField()


class TeamDetailSerializer(serializers.ModelSerializer):
    logo = FileUrlField()
    logo_variants = ImageVariantsField()
    game = GameBriefSerializer(read_only=True)
    members = TeamMemberSerializer(many=True, read_only=True, source="memberships.all")
    is_locked = serializers.BooleanField(
        read_only=True, help_text="In a live tournament: roster changes are refused"
    )
    my_role = serializers.SerializerMethodField(help_text="The caller's role, or null")
    stats = MatchStatsSerializer(read_only=True, help_text="match statistics (final matches)")

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "tag",
            "logo",
            "logo_variants",
            "bio",
            "game",
            "created_at",
            "members",
            "is_locked",
            "my_role",
            *STAT_FIELDS,
            "stats",
        ]
        read_only_fields = fields

    def get_my_role(self, team: Team) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # From the prefetched roster: no extra query.
        for membership in team.memberships.all():
            if membership.user_id == user.pk:
                return membership.role
        return None


class TeamBriefSerializer(serializers.ModelSerializer):
    game = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "tag", "game"]


@extend_schema_serializer(
    examples=[example("A request", {"message": "Entry fragger, 2 years of BGMI scrims."})]
)
class JoinRequestCreateSerializer(strict.Serializer):
    message = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema_serializer(
    examples=[
        example("As a member", {"role": "member"}),
        example("As a substitute", {"role": "substitute"}),
    ]
)
class JoinRequestAcceptSerializer(strict.Serializer):
    role = serializers.ChoiceField(
        choices=JOINABLE_ROLE_CHOICES, default=TeamMembership.Role.MEMBER, required=False
    )


class JoinRequestSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer(read_only=True)
    user = UserBriefSerializer(read_only=True)

    class Meta:
        model = TeamJoinRequest
        fields = ["id", "team", "user", "message", "status", "created_at", "decided_at"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        example("By username", {"username": "riya_fps"}),
        example("By email, as a substitute", {"email": "riya@example.com", "role": "substitute"}),
    ]
)
class InviteCreateSerializer(strict.Serializer):
    schema_rules = {
        "oneOf": [
            {"required": ["username"], "not": {"required": ["email"]}},
            {"required": ["email"], "not": {"required": ["username"]}},
        ]
    }
    username = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False)
    role = serializers.ChoiceField(
        choices=JOINABLE_ROLE_CHOICES, default=TeamMembership.Role.MEMBER, required=False
    )

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("username")) == bool(attrs.get("email")):
            raise serializers.ValidationError("Give exactly one of username or email.")
        return attrs


class InviteSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer(read_only=True)
    invited_user = UserBriefSerializer(read_only=True)
    invited_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = TeamInvite
        fields = [
            "id",
            "team",
            "invited_user",
            "invited_by",
            "role",
            "status",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(examples=[example("A member's user id", {"user": 17})])
class MemberTargetSerializer(strict.Serializer):
    user = serializers.IntegerField(help_text="The member's user id")


class MembershipSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team_id")
    user = serializers.IntegerField(source="user_id")
    role = serializers.ChoiceField(choices=TeamMembership.Role.choices)


class LeaveResultSerializer(serializers.Serializer):
    team_deleted = serializers.BooleanField()
