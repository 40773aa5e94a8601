"""Bodies of the match-day endpoints: check-in, disputes, a match's history, and the overrides
of round completion and winner selection."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.schema import example
from core.models import MatchDispute, ResultChange
from core.rules.results import ResultSubmission
from core.services.disputes import MAX_EVIDENCE, Evidence
from core.services.host_tools import MAX_BULK

from .serializers import ReleaseAtField, ResultLineSerializer, ResultRowsField

EVIDENCE_KINDS = [("text", "text"), ("link", "link")]
DISPUTE_ACTIONS = [("accept", "accept"), ("reject", "reject")]


class MatchDayTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tag = serializers.CharField()


@extend_schema_serializer(
    examples=[
        example("The caller's one confirmed team", {}),
        example("One of several teams the caller captains", {"team": 12}),
    ]
)
class CheckInSerializer(strict.Serializer):
    team = serializers.IntegerField(
        required=False, help_text="needed only if you captain several confirmed teams"
    )


class CheckInLineSerializer(serializers.Serializer):
    registration = serializers.IntegerField()
    team = MatchDayTeamSerializer()
    checked_in_at = serializers.DateTimeField(allow_null=True)


class CheckInBoardSerializer(serializers.Serializer):
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(
        allow_null=True, help_text="when the close was applied (no-shows marked)"
    )
    checked_in = CheckInLineSerializer(many=True)
    not_checked_in = CheckInLineSerializer(many=True)
    no_shows = CheckInLineSerializer(many=True)


@extend_schema_serializer(
    examples=[
        example("Override open disputes", {"override_reason": "Disputes settled in the lobby."}),
        example("No override", {}),
    ]
)
class OverrideSerializer(strict.Serializer):
    override_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="to go ahead over open disputes (stored and logged)",
    )


class EvidenceSerializer(strict.Serializer):
    kind = serializers.ChoiceField(choices=EVIDENCE_KINDS)
    value = serializers.CharField(max_length=500)

    def validate(self, attrs: dict) -> dict:
        if attrs["kind"] == "link":
            serializers.URLField().run_validation(attrs["value"])
        return attrs


@extend_schema_serializer(
    examples=[
        example(
            "A wrong placement",
            {
                "reason": "We were 2nd, not 5th: the last circle screenshot shows it.",
                "evidence": [
                    {"kind": "link", "value": "https://imgur.com/a/abc123"},
                    {"kind": "text", "value": "Spectated by the caster at 21:14."},
                ],
            },
        )
    ]
)
class DisputeOpenSerializer(strict.Serializer):
    team = serializers.IntegerField(
        required=False, help_text="needed only if you captain several teams in the match"
    )
    reason = serializers.CharField(max_length=1000)
    evidence = EvidenceSerializer(many=True, required=False, max_length=MAX_EVIDENCE)

    def evidence_list(self) -> list[Evidence]:
        return [Evidence(e["kind"], e["value"]) for e in self.validated_data.get("evidence", [])]


@extend_schema_serializer(
    examples=[
        example(
            "Accept and correct the result",
            {
                "action": "accept",
                "reason": "Placement confirmed from the replay.",
                "results": [
                    {"team": 3, "placement": 2, "kills": 6},
                    {"team": 5, "placement": 1, "kills": 9},
                ],
                "final": True,
            },
        ),
        example("Reject", {"action": "reject", "reason": "The screenshot is from match 2."}),
    ]
)
class DisputeResolveSerializer(strict.Serializer):
    action = serializers.ChoiceField(choices=DISPUTE_ACTIONS)
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="required to reject"
    )
    results = ResultRowsField(required=False, help_text="accept: the corrected whole result")
    final = serializers.BooleanField(default=True)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def correction(self) -> ResultSubmission | None:
        v = self.validated_data
        if "results" not in v:
            return None
        return ResultSubmission(v["results"], v["final"], v.get("version"))


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class DisputeSerializer(serializers.ModelSerializer):
    team = MatchDayTeamSerializer()
    opened_by = PersonSerializer()
    resolved_by = PersonSerializer(allow_null=True)
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = MatchDispute
        fields = [
            "id",
            "match",
            "team",
            "opened_by",
            "reason",
            "evidence",
            "result_version",
            "status",
            "resolution",
            "resolved_by",
            "resolved_at",
            "created_at",
        ]


class ResultChangeSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(allow_null=True)
    face = serializers.ChoiceField(choices=ResultChange.Face.choices)
    before = ResultLineSerializer(many=True)
    after = ResultLineSerializer(many=True)

    class Meta:
        model = ResultChange
        fields = [
            "version",
            "actor",
            "face",
            "final",
            "before",
            "after",
            "after_round_completed",
            "dispute",
            "created_at",
        ]


@extend_schema_serializer(
    examples=[
        example(
            "Four matches per group, 30 minutes apart",
            {
                "count": 4,
                "maps": ["Erangel", "Miramar", "Sanhok"],
                "starts_at": "2027-01-16T14:00:00Z",
                "interval_minutes": 30,
            },
        )
    ]
)
class BulkMatchesSerializer(strict.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=MAX_BULK, help_text="per group")
    maps = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=20
    )
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    interval_minutes = serializers.IntegerField(min_value=0, max_value=1440, default=0)


@extend_schema_serializer(
    examples=[
        example(
            "Moved",
            {"scheduled_at": "2027-01-16T15:00:00Z", "reason": "Server maintenance."},
        )
    ]
)
class RescheduleSerializer(strict.Serializer):
    scheduled_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=300)


@extend_schema_serializer(examples=[example("Cancelled", {"reason": "Lobby crashed twice."})])
class CancelMatchSerializer(strict.Serializer):
    reason = serializers.CharField(max_length=300)


@extend_schema_serializer(
    examples=[
        example("Now", {"at": "now"}),
        example("At a time", {"at": "2027-01-16T13:50:00Z"}),
    ]
)
class ReleaseSerializer(strict.Serializer):
    at = ReleaseAtField(allow_null=True, help_text='an ISO time, or "now" (null: now)')
