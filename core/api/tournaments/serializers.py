"""Request and response bodies of the tournament, scrim and registration endpoints.

Input serializers list only what a client may set: `host`, `status`, `plan_rank`, `published_at`
and registration status/captain fields are never read from a request (mass assignment is ignored).
"""

from django.templatetags.static import static
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.games import GameField
from core.models import Game, Registration, RegistrationPlayer, Tournament
from core.rules.tournaments import effective_status
from core.services.registrations import MODERATION_ACTIONS


class TournamentGameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Game
        fields = ["id", "slug", "name", "squad_size", "max_substitutes", "lobby_size"]


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class PrizeEntrySerializer(serializers.Serializer):
    place = serializers.IntegerField(min_value=1)
    amount = serializers.IntegerField(min_value=0, help_text="paise")


class PointsTableSerializer(serializers.Serializer):
    preset = serializers.CharField(help_text="pubgm_2023 | pubgm_2020 | freefire | custom")
    placement = serializers.ListField(child=serializers.IntegerField(), required=False)
    per_kill = serializers.IntegerField(required=False)


class TournamentListSerializer(serializers.ModelSerializer):
    game = TournamentGameSerializer()
    host = PersonBriefSerializer()
    status = serializers.SerializerMethodField()
    banner = serializers.SerializerMethodField()
    seats_taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tournament
        fields = [
            "id",
            "kind",
            "game",
            "host",
            "title",
            "banner",
            "status",
            "plan",
            "visibility",
            "registration_opens_at",
            "registration_closes_at",
            "starts_at",
            "max_teams",
            "seats_taken",
            "entry_fee",
            "prize_pool",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Tournament.Status.choices))
    def get_status(self, obj: Tournament) -> str:
        # The clock decides between publishing and going live, whatever the sweep has stored.
        return effective_status(obj, timezone.now())

    @extend_schema_field(OpenApiTypes.URI)
    def get_banner(self, obj: Tournament) -> str:
        """The uploaded banner, or the game's default image shipped with the project."""
        if obj.banner:
            return obj.banner.url
        return static(obj.game.banner) if obj.game.banner else ""


class TournamentSerializer(TournamentListSerializer):
    prize_split = PrizeEntrySerializer(many=True)
    points_table = PointsTableSerializer()

    class Meta(TournamentListSerializer.Meta):
        fields = [
            *TournamentListSerializer.Meta.fields,
            "description",
            "rules",
            "prize_split",
            "points_table",
            "published_at",
            "cancelled_reason",
            "created_at",
            "updated_at",
        ]


class TournamentWriteSerializer(serializers.Serializer):
    """PATCH/PUT body: every field optional; which ones may change depends on the status."""

    game = GameField(queryset=Game.objects.all(), required=False)
    title = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    rules = serializers.CharField(allow_blank=True, required=False)
    banner = serializers.FileField(
        required=False, help_text="JPEG, PNG, WebP or GIF (multipart); re-encoded on upload"
    )
    registration_opens_at = serializers.DateTimeField(required=False)
    registration_closes_at = serializers.DateTimeField(required=False)
    starts_at = serializers.DateTimeField(required=False)
    max_teams = serializers.IntegerField(min_value=2, required=False)
    entry_fee = serializers.IntegerField(min_value=0, required=False, help_text="paise")
    prize_pool = serializers.IntegerField(min_value=0, required=False, help_text="paise")
    prize_split = PrizeEntrySerializer(many=True, required=False)
    points_table = serializers.JSONField(
        required=False,
        help_text='A preset name ("pubgm_2023"), {"preset": name}, or '
        '{"preset": "custom", "placement": [...], "per_kill": n}',
    )
    plan = serializers.ChoiceField(choices=Tournament.Plan.choices, required=False)
    visibility = serializers.ChoiceField(choices=Tournament.Visibility.choices, required=False)


class TournamentCreateSerializer(TournamentWriteSerializer):
    """POST body. On /api/scrims/ the kind is always scrim."""

    kind = serializers.ChoiceField(
        choices=Tournament.Kind.choices, default=Tournament.Kind.TOURNAMENT
    )
    game = GameField(queryset=Game.objects.all())
    title = serializers.CharField(max_length=120)
    registration_opens_at = serializers.DateTimeField()
    registration_closes_at = serializers.DateTimeField()
    starts_at = serializers.DateTimeField()
    max_teams = serializers.IntegerField(min_value=2)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class RegistrationPlayerSerializer(serializers.ModelSerializer):
    user = PersonBriefSerializer()

    class Meta:
        model = RegistrationPlayer
        fields = ["user", "in_game_name", "in_game_id", "is_substitute"]


class RegisteredTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tag = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    team = RegisteredTeamSerializer()
    registered_by = PersonBriefSerializer()
    players = RegistrationPlayerSerializer(many=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "tournament",
            "team",
            "registered_by",
            "status",
            "hold_expires_at",
            "is_paid",
            "reason",
            "players",
            "created_at",
        ]


class TournamentBriefSerializer(serializers.ModelSerializer):
    game = TournamentGameSerializer()

    class Meta:
        model = Tournament
        fields = ["id", "kind", "title", "game", "starts_at", "entry_fee"]


class MyRegistrationSerializer(RegistrationSerializer):
    tournament = TournamentBriefSerializer()


class RegisterSerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="id of the team you captain")
    players = serializers.ListField(
        child=serializers.IntegerField(), help_text="user ids: exactly the game's squad size"
    )
    substitutes = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="user ids: up to the game's maximum substitutes",
    )


class RegistrationCreatedSerializer(serializers.Serializer):
    registration = RegistrationSerializer()
    payment = serializers.JSONField(
        allow_null=True,
        help_text="with an entry fee: the payment to complete, {merchant_order_id, "
        "redirect_url, amount, state, expire_at} (null if PhonePe could not be reached: "
        "POST /api/payments/initiate/ to retry); null for a free entry",
    )


class WithdrawSerializer(serializers.Serializer):
    team = serializers.IntegerField(
        required=False, help_text="needed only if you captain several registered teams"
    )


class ModerateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, a) for a in MODERATION_ACTIONS])
    reason = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        default="",
        help_text="required to reject or disqualify",
    )
