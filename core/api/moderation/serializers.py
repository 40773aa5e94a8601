from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.params import MAX_ID
from core.api.schema import example
from core.models import Report, TargetKind


@extend_schema_serializer(
    examples=[
        example(
            "Report a team",
            {"target_kind": "team", "target_id": 1, "reason": "abuse", "text": "Slurs in the tag"},
        )
    ]
)
class ReportCreateSerializer(strict.Serializer):
    target_kind = serializers.ChoiceField(choices=TargetKind.choices)
    target_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportSerializer(serializers.ModelSerializer):
    """What the reporter sees of their report."""

    # Empty until staff resolve it: the schema's enum must admit "" (schemathesis found the
    # model field's enum without it).
    action = serializers.ChoiceField(
        choices=Report.Action.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "target_kind",
            "target_id",
            "reason",
            "text",
            "status",
            "action",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = fields


class StaffReportSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(
        choices=Report.Action.choices, allow_blank=True, read_only=True
    )
    reporter = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [*ReportSerializer.Meta.fields, "reporter", "resolved_by", "note"]
        read_only_fields = fields

    def get_reporter(self, report: Report) -> int | None:
        return report.reporter_id

    def get_resolved_by(self, report: Report) -> int | None:
        return report.resolved_by_id


@extend_schema_serializer(
    examples=[
        example("Hide it", {"action": "hide", "note": "Offensive name"}),
        example("Dismiss", {"action": "dismiss", "note": "Nothing against the rules"}),
    ]
)
class ResolveSerializer(strict.Serializer):
    action = serializers.ChoiceField(choices=Report.Action.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
