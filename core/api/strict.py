"""JSON bodies are read as the schema types them: a text field takes a string, a number field
a number, a flag true or false. DRF coerces (`"bio": 0` is "0", `"is_final": 0` is false,
`"max_teams": "64"` is 64), which lets a client's bug through as data; here such a value is 400
`validation_error` naming the field. Form bodies (multipart uploads) are all text by nature and
keep DRF's parsing.

Input serializers subclass `Serializer` / `ModelSerializer` from here.
"""

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from rest_framework import serializers

_TEXT = "Must be a string."
_NUMBER = "Must be a number."
_INTEGER = "Must be an integer."
_FLAG = "Must be true or false."
_LIST = "Must be a list."


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def json_type_error(field: serializers.Field, value: Any) -> str | None:
    """Why `value` (as parsed from JSON) does not have the type `field` documents, or None."""
    if value is None:
        return None  # the field's own allow_null decides
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _FLAG
    if isinstance(field, serializers.IntegerField):
        integral = _number(value) and float(value).is_integer()
        return None if integral else _INTEGER
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return None if _number(value) else _NUMBER
    if isinstance(field, serializers.CharField | serializers.DateTimeField):
        return None if isinstance(value, str) else _TEXT
    if isinstance(field, serializers.ChoiceField):
        keys = list(field.choices)
        if keys and all(isinstance(k, str) for k in keys) and not isinstance(value, str):
            return _TEXT
        return None
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return _LIST
        return next((e for e in (json_type_error(field.child, v) for v in value) if e), None)
    if isinstance(field, serializers.DictField) and isinstance(value, Mapping):
        # DictField itself refuses a non-object; its values are typed like a list's elements.
        values = value.values()
        return next((e for e in (json_type_error(field.child, v) for v in values) if e), None)
    return None


def check_json_types(serializer: serializers.Serializer, data: Any) -> None:
    if not isinstance(data, Mapping) or isinstance(data, QueryDict):
        return
    errors = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        if problem := json_type_error(field, data[name]):
            errors[name] = [problem]
    if errors:
        raise serializers.ValidationError(errors)


class Serializer(serializers.Serializer):
    def to_internal_value(self, data: Any) -> Any:
        check_json_types(self, data)
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    def to_internal_value(self, data: Any) -> Any:
        check_json_types(self, data)
        return super().to_internal_value(data)
