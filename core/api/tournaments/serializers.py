"""Request and response bodies of the tournament, scrim and registration endpoints.

Input serializers list only what a client may set: `host`, `status`, `plan_rank`, `published_at`
and registration status/captain fields are never read from a request (mass assignment is ignored).
"""

from typing import Any

from django.templatetags.static import static
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.games import GameField
from core.api.images import ImageVariantsField
from core.api.schema import example
from core.models import Game, Registration, RegistrationPlayer, Tournament
from core.rules.tournaments import effective_status
from core.services.registrations import MODERATION_ACTIONS

from .points import PointsTableInputField, PointsTableSerializer


class TournamentGameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Game
        fields = ["id", "slug", "name", "squad_size", "max_substitutes", "lobby_size"]


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class RegisteredTeamBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PrizeEntrySerializer(strict.Serializer):
    place = serializers.IntegerField(min_value=1)
    amount = serializers.IntegerField(min_value=0, help_text="paise")


class TournamentListSerializer(serializers.ModelSerializer):
    game = TournamentGameSerializer()
    host = PersonBriefSerializer()
    status = serializers.SerializerMethodField()
    banner = serializers.SerializerMethodField()
    banner_variants = ImageVariantsField()
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
            "banner_variants",
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

    @extend_schema_field(
        {
            "type": "string",
            "description": "The uploaded banner's URL (a path on this server such as /media/…, "
            "or the storage's absolute URL), else the game's default image (/static/…); \"\" "
            "when neither exists",
        }
    )
    def get_banner(self, obj: Tournament) -> str:
        """The uploaded banner, or the game's default image shipped with the project."""
        if obj.banner:
            return obj.banner.url
        return static(obj.game.banner) if obj.game.banner else ""


class PlacingSerializer(serializers.Serializer):
    place = serializers.IntegerField()
    team = RegisteredTeamBriefSerializer()
    amount = serializers.IntegerField(help_text="paise: the prize split's amount for the place")


class TournamentSerializer(TournamentListSerializer):
    prize_split = PrizeEntrySerializer(many=True)
    placings = PlacingSerializer(
        many=True, read_only=True, help_text="[] until the winner is crowned"
    )
    points_table = PointsTableSerializer()

    class Meta(TournamentListSerializer.Meta):
        fields = [
            *TournamentListSerializer.Meta.fields,
            "description",
            "rules",
            "prize_split",
            "points_table",
            "published_at",
            "checkin_opens_at",
            "checkin_closes_at",
            "dispute_window_minutes",
            "auto_complete_rounds",
            "placings",
            "cancelled_reason",
            "created_at",
            "updated_at",
        ]


@extend_schema_serializer(
    examples=[
        example(
            "Move the start and raise the prize pool",
            {
                "starts_at": "2027-01-16T15:00:00Z",
                "prize_pool": 150000,
                "prize_split": [{"place": 1, "amount": 90000}, {"place": 2, "amount": 60000}],
            },
        ),
        example(
            "Rules and description (while live too)",
            {
                "description": "Squad TPP, Asia servers.",
                "rules": "No emulators. Screenshots of every result within 10 minutes.",
            },
        ),
    ]
)
class TournamentWriteSerializer(strict.Serializer):
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
    points_table = PointsTableInputField(required=False)
    plan = serializers.ChoiceField(choices=Tournament.Plan.choices, required=False)
    visibility = serializers.ChoiceField(choices=Tournament.Visibility.choices, required=False)
    checkin_opens_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="check-in window: both ends or neither"
    )
    checkin_closes_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="at or before starts_at; no-shows then"
    )
    dispute_window_minutes = serializers.IntegerField(
        min_value=0, max_value=1440, required=False, help_text="default 15"
    )
    auto_complete_rounds = serializers.BooleanField(
        required=False, help_text="rounds complete by themselves once final and undisputed"
    )


@extend_schema_serializer(
    examples=[
        example(
            "A BGMI tournament",
            {
                "game": "bgmi",
                "title": "Mumbai Monsoon Cup",
                "kind": "tournament",
                "registration_opens_at": "2027-01-10T10:00:00Z",
                "registration_closes_at": "2027-01-15T10:00:00Z",
                "starts_at": "2027-01-16T14:00:00Z",
                "checkin_opens_at": "2027-01-16T13:00:00Z",
                "checkin_closes_at": "2027-01-16T13:45:00Z",
                "max_teams": 64,
                "description": "Four groups of 16, the top 4 of each to the final.",
                "rules": "Squad TPP. No emulators.",
                "entry_fee": 5000,
                "prize_pool": 100000,
                "prize_split": [{"place": 1, "amount": 60000}, {"place": 2, "amount": 40000}],
                "points_table": "pubgm_2023",
                "plan": "basic",
                "visibility": "public",
            },
            description="JSON; a multipart form sends the same fields and the banner file.",
        ),
        example(
            "A free scrim (on /api/scrims/ the kind is always scrim)",
            {
                "game": "free-fire",
                "title": "Friday night scrims",
                "registration_opens_at": "2027-01-15T12:00:00Z",
                "registration_closes_at": "2027-01-15T18:00:00Z",
                "starts_at": "2027-01-15T19:00:00Z",
                "max_teams": 12,
            },
        ),
    ]
)
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


@extend_schema_serializer(
    examples=[
        example("With a reason", {"reason": "The venue's internet is down; entry fees refunded."}),
        example("Without one", {}),
    ]
)
class CancelSerializer(strict.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class RegistrationPlayerSerializer(serializers.ModelSerializer):
    user = PersonBriefSerializer()
    in_game_id = serializers.CharField(
        allow_null=True,
        help_text="Only for the tournament's host, staff and the team itself (null for others).",
    )

    class Meta:
        model = RegistrationPlayer
        fields = ["user", "in_game_name", "in_game_id", "is_substitute"]


class RegisteredTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tag = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    """Players' in-game ids are what a host needs to run the lobby, not the public's: they are
    shown to the tournament's host, staff and the registration's own team (context["viewer"])."""

    team = RegisteredTeamSerializer()
    registered_by = PersonBriefSerializer()
    players = RegistrationPlayerSerializer(many=True)
    waitlist_position = serializers.SerializerMethodField(
        help_text="1 = next in line; null unless waitlisted"
    )

    def get_waitlist_position(self, registration: Registration) -> int | None:
        if registration.status != Registration.Status.WAITLISTED:
            return None
        return getattr(registration, "waitlist_ahead", 0) + 1

    def to_representation(self, registration: Registration) -> dict[str, Any]:
        data = super().to_representation(registration)
        if not self._may_see_ids(registration):
            for player in data["players"]:
                player["in_game_id"] = None
        return data

    def _may_see_ids(self, registration: Registration) -> bool:
        viewer = self.context.get("viewer")
        if viewer is None or not viewer.is_authenticated:
            return False
        host_id = self.context.get("host_id") or registration.tournament.host_id
        if viewer.is_staff or viewer.pk in (host_id, registration.registered_by_id):
            return True
        return any(p.user_id == viewer.pk for p in registration.players.all())

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
            "checked_in_at",
            "waitlist_position",
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


@extend_schema_serializer(
    examples=[
        example(
            "A BGMI squad and a substitute (user ids)",
            {"team": 12, "players": [3, 4, 5, 6], "substitutes": [7]},
        ),
    ]
)
class RegisterSerializer(strict.Serializer):
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


class EntryPaymentSerializer(serializers.Serializer):
    """The entry-fee payment to complete (billing's answer: /api/payments/initiate/ answers the
    same shape)."""

    merchant_order_id = serializers.CharField()
    purpose = serializers.CharField()
    amount = serializers.IntegerField(help_text="paise")
    state = serializers.CharField()
    redirect_url = serializers.CharField(allow_null=True, help_text="PhonePe's checkout page")
    expire_at = serializers.DateTimeField(allow_null=True)


class RegistrationCreatedSerializer(serializers.Serializer):
    registration = RegistrationSerializer()
    payment = EntryPaymentSerializer(
        allow_null=True,
        help_text="with an entry fee: the payment to complete (null if PhonePe could not be "
        "reached: POST /api/payments/initiate/ to retry); null for a free entry",
    )


@extend_schema_serializer(
    examples=[
        example("The caller's one registered team", {}),
        example("One of several teams the caller captains", {"team": 12}),
    ]
)
class WithdrawSerializer(strict.Serializer):
    team = serializers.IntegerField(
        required=False, help_text="needed only if you captain several registered teams"
    )


@extend_schema_serializer(
    examples=[
        example("Approve", {"action": "approve"}),
        example(
            "Disqualify", {"action": "disqualify", "reason": "Emulator players on the roster."}
        ),
    ]
)
class ModerateSerializer(strict.Serializer):
    whole_on_patch = True  # PATCH …/registrations/<rid>/ is an action, not a partial update
    action = serializers.ChoiceField(choices=[(a, a) for a in MODERATION_ACTIONS])
    reason = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        default="",
        help_text="required to reject or disqualify",
    )
