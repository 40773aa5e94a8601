from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.schema import example
from core.errors import ApplicationError
from core.models import Announcement, Group, Match, Round
from core.rules.results import ResultRow, ResultSubmission, parse_result_rows
from core.services.competition import MAX_ROUND_NUMBER


@extend_schema_serializer(
    examples=[
        example(
            "A semi-final: the top 8 overall go on",
            {"name": "Semi-final", "number": 2, "qualify_top_n": 8, "is_final": False},
        ),
        example("The final", {"name": "Grand final", "is_final": True}),
    ]
)
class RoundSerializer(strict.ModelSerializer):
    # One qualification rule at most (0 or null is no rule).
    schema_rules = {
        "not": {
            "required": ["qualify_per_group", "qualify_top_n"],
            "properties": {
                "qualify_per_group": {"type": "integer", "minimum": 1},
                "qualify_top_n": {"type": "integer", "minimum": 1},
            },
        }
    }

    class Meta:
        model = Round
        fields = [
            "id",
            "number",
            "name",
            "status",
            "qualify_per_group",
            "qualify_top_n",
            "is_final",
            "qualified",
            "winner",
            "completed_at",
        ]
        read_only_fields = ["id", "status", "qualified", "winner", "completed_at"]
        extra_kwargs = {
            "number": {"required": False, "min_value": 1, "max_value": MAX_ROUND_NUMBER},
        }


class GroupSerializer(serializers.ModelSerializer):
    teams = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "round", "name", "teams"]

    def get_teams(self, group: Group) -> list[dict]:
        return [
            {"id": e.team_id, "name": e.team.name, "tag": e.team.tag} for e in group.entries.all()
        ]


@extend_schema_serializer(
    examples=[
        example("A group by hand", {"round": 1, "name": "A", "teams": [3, 5, 8, 13]}),
        example(
            "Seed 4 groups in a snake", {"round": 1, "auto_seed": True, "groups": 4, "seed": 7}
        ),
    ]
)
class GroupCreateSerializer(strict.Serializer):
    # auto_seed needs `groups`; by hand, a `name`.
    schema_rules = {
        "oneOf": [
            {"properties": {"auto_seed": {"enum": [True]}}, "required": ["auto_seed", "groups"]},
            {"properties": {"auto_seed": {"enum": [False]}}, "required": ["name"]},
        ]
    }
    round = serializers.IntegerField()
    auto_seed = serializers.BooleanField(default=False)
    groups = serializers.IntegerField(
        required=False, min_value=1, max_value=200, help_text="auto_seed: how many groups"
    )
    seed = serializers.IntegerField(
        required=False, allow_null=True, help_text="auto_seed: shuffle seed"
    )
    name = serializers.CharField(
        required=False, max_length=40, help_text="by hand: the group's name"
    )
    teams = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="by hand: team ids"
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["auto_seed"] and not attrs.get("groups"):
            raise serializers.ValidationError({"groups": ["How many groups to seed."]})
        if not attrs["auto_seed"] and not attrs.get("name"):
            raise serializers.ValidationError({"name": ["A group needs a name."]})
        return attrs


class MatchSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="group.round_id", read_only=True)
    version = serializers.IntegerField(source="result_version", read_only=True)
    has_credentials = serializers.SerializerMethodField()
    credentials_released = serializers.SerializerMethodField(
        help_text="Whether the group's players can see the room now (a release time is set and "
        "has passed)."
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "group",
            "round",
            "number",
            "map",
            "scheduled_at",
            "status",
            "version",
            "credentials_release_at",
            "has_credentials",
            "credentials_released",
            "completed_at",
        ]

    def get_has_credentials(self, match: Match) -> bool:
        return bool(match.room_id)

    def get_credentials_released(self, match: Match) -> bool:
        release = match.credentials_release_at
        return bool(match.room_id) and release is not None and release <= timezone.now()


@extend_schema_serializer(
    examples=[
        example(
            "Match 1 of a group",
            {"group": 4, "number": 1, "map": "Erangel", "scheduled_at": "2027-01-16T14:30:00Z"},
        )
    ]
)
class MatchCreateSerializer(strict.Serializer):
    group = serializers.IntegerField()
    number = serializers.IntegerField(required=False, min_value=1, max_value=999)
    map = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)


@extend_schema_field({"type": "string", "format": "date-time", "example": "now", "nullable": True})
class ReleaseAtField(serializers.DateTimeField):
    """A time, or "now" (the host releasing the room at once)."""

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str) and value.strip().lower() == "now":
            return timezone.now()
        return super().to_internal_value(value)


@extend_schema_serializer(
    examples=[
        example("Go live", {"status": "live"}),
        example(
            "Room credentials, released 15 minutes before",
            {
                "room_id": "7781234",
                "room_password": "sv42",
                "credentials_release_at": "2027-01-16T14:15:00Z",
            },
        ),
        example("Release the room now", {"credentials_release_at": "now"}),
    ]
)
class MatchPatchSerializer(strict.Serializer):
    status = serializers.ChoiceField(choices=Match.Status.choices, required=False)
    map = serializers.CharField(required=False, allow_blank=True, max_length=40)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    room_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
    room_password = serializers.CharField(required=False, allow_blank=True, max_length=40)
    credentials_release_at = ReleaseAtField(
        required=False,
        allow_null=True,
        help_text="When the group's players may see the room id and password: an ISO time, or "
        '"now". Until it is set they are not released (players get 403 '
        "credentials_not_released).",
    )


class PlayerKillsSerializer(serializers.Serializer):
    player = serializers.IntegerField()
    kills = serializers.IntegerField()


class ResultRowSerializer(serializers.Serializer):
    """One team's line of a match result."""

    team = serializers.IntegerField()
    placement = serializers.IntegerField()
    kills = serializers.IntegerField(required=False, help_text="0 when absent")
    players = PlayerKillsSerializer(many=True, required=False)


@extend_schema_field(ResultRowSerializer(many=True))
class ResultRowsField(serializers.Field):
    """The rows, parsed once into the typed value the service takes, by the same parser as the
    websocket's `result.submit` (core/rules/results.py): integers only, the same messages."""

    def to_internal_value(self, data: Any) -> tuple[ResultRow, ...]:
        try:
            return parse_result_rows(data)
        except ApplicationError as exc:
            raise serializers.ValidationError(exc.message) from None

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_serializer(
    examples=[
        example(
            "The final result of a match",
            {
                "results": [
                    {
                        "team": 3,
                        "placement": 1,
                        "kills": 12,
                        "players": [{"player": 17, "kills": 5}, {"player": 18, "kills": 7}],
                    },
                    {"team": 5, "placement": 2, "kills": 4},
                ],
                "final": True,
                "version": 2,
            },
        )
    ]
)
class ResultSubmitSerializer(strict.Serializer):
    """Shape only: the rules (placements, kills, teams, rosters) are the service's."""

    results = ResultRowsField()
    final = serializers.BooleanField(default=False)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def submission(self) -> ResultSubmission:
        v = self.validated_data
        return ResultSubmission(v["results"], v["final"], v.get("version"))


class ResultLineSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    placement = serializers.IntegerField()
    kills = serializers.IntegerField()
    placement_points = serializers.IntegerField()
    kill_points = serializers.IntegerField()
    total = serializers.IntegerField()


class ResultOutcomeSerializer(serializers.Serializer):
    match = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    seq = serializers.IntegerField(help_text="seq of the last event this submit produced")
    duplicate = serializers.BooleanField()
    results = ResultLineSerializer(many=True)


class CredentialsSerializer(serializers.Serializer):
    match = serializers.IntegerField()
    room_id = serializers.CharField()
    room_password = serializers.CharField()
    release_at = serializers.DateTimeField(allow_null=True)


class StandingTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tag = serializers.CharField()
    logo = serializers.CharField(allow_null=True)


class StandingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    team = StandingTeamSerializer()
    matches = serializers.IntegerField()
    wins = serializers.IntegerField()
    placement_points = serializers.IntegerField()
    kill_points = serializers.IntegerField()
    total = serializers.IntegerField()
    last_placement = serializers.IntegerField(allow_null=True)
    qualified = serializers.BooleanField()


class StandingsSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["group", "round", "tournament"])
    id = serializers.IntegerField()
    rows = StandingRowSerializer(many=True)


class FraggerPlayerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    in_game_name = serializers.CharField()
    display_name = serializers.CharField()


class FraggerTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TopFraggerSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    player = FraggerPlayerSerializer()
    team = FraggerTeamSerializer()
    kills = serializers.IntegerField()
    matches = serializers.IntegerField(help_text="matches with a kill line for this player")


@extend_schema_serializer(
    examples=[
        example("Crown rank 1", {}),
        example("Choose among teams tied at rank 1", {"team": 3}),
    ]
)
class SelectWinnerSerializer(strict.Serializer):
    team = serializers.IntegerField(
        required=False, allow_null=True, help_text="only among teams tied at rank 1"
    )
    override_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="to go ahead over the final round's open disputes (stored and logged)",
    )


@extend_schema_serializer(
    examples=[
        example(
            "An announcement",
            {"message": "Match 2 starts in 10 minutes on Miramar: check your room credentials."},
        )
    ]
)
class AnnouncementSerializer(strict.ModelSerializer):
    class Meta:
        model = Announcement
        fields = ["id", "message", "created_at"]
        read_only_fields = ["id", "created_at"]
