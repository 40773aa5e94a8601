"""A tournament's points table as the API answers it and as a host may send it
(docs/scoring.md; core.scoring checks what is sent)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.scoring.presets import (
    CUSTOM,
    MAX_PER_KILL,
    MAX_PLACEMENT_ENTRIES,
    MAX_PLACEMENT_POINTS,
    PRESETS,
)


class PointsTableSerializer(serializers.Serializer):
    """The stored table, always whole (docs/scoring.md)."""

    preset = serializers.ChoiceField(choices=[*PRESETS, CUSTOM])
    placement = serializers.ListField(child=serializers.IntegerField(), help_text="by place")
    per_kill = serializers.IntegerField()


_PRESET_NAMES = list(PRESETS)
_CUSTOM_TABLE = {
    "type": "object",
    "properties": {
        "preset": {"type": "string", "enum": [CUSTOM]},
        "placement": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_PLACEMENT_ENTRIES,
            "items": {"type": "integer", "minimum": 0, "maximum": MAX_PLACEMENT_POINTS},
        },
        "per_kill": {"type": "integer", "minimum": 0, "maximum": MAX_PER_KILL},
    },
    "required": ["placement", "per_kill"],
    "additionalProperties": False,
}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "enum": _PRESET_NAMES},
            {
                "type": "object",
                "properties": {"preset": {"type": "string", "enum": _PRESET_NAMES}},
                "required": ["preset"],
                "additionalProperties": False,
            },
            _CUSTOM_TABLE,
        ],
        "description": 'A preset name ("pubgm_2023"), {"preset": name}, or '
        '{"preset": "custom", "placement": [...], "per_kill": n} (docs/scoring.md)',
    }
)
class PointsTableInputField(serializers.JSONField):
    """What a host may send as a points table; core.scoring checks it. An empty value is not
    "the game's preset" (leave the field out for that): it is refused like any other bad table."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not value or not isinstance(value, str | dict):
            raise serializers.ValidationError("A preset name or a points table.")
        return value
