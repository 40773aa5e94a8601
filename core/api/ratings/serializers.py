"""Shapes of /api/ratings/ (docs/api.md, "Host ratings")."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.params import MAX_ID
from core.api.schema import example
from core.models import HostRating
from core.services.ratings import EDIT_WINDOW, MAX_COMMENT, MAX_REASON


@extend_schema_serializer(
    examples=[example("Five stars", {"tournament": 1, "score": 5, "comment": "Ran on time."})]
)
class RatingCreateSerializer(strict.Serializer):
    tournament = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)


@extend_schema_serializer(examples=[example("A change of mind", {"score": 4})])
class RatingUpdateSerializer(strict.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)


@extend_schema_serializer(
    examples=[example("Abuse", {"reason": "The comment insults the host's staff."})]
)
class ReportSerializer(strict.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON)


class _Tournament(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class _Rater(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class RatingSerializer(serializers.ModelSerializer):
    tournament = _Tournament()
    rater = _Rater()
    host = serializers.IntegerField(source="host_id")
    editable_until = serializers.SerializerMethodField()

    class Meta:
        model = HostRating
        fields = [
            "id",
            "tournament",
            "host",
            "rater",
            "score",
            "comment",
            "created_at",
            "updated_at",
            "editable_until",
        ]

    def get_editable_until(self, rating: HostRating) -> str:
        return serializers.DateTimeField().to_representation(rating.created_at + EDIT_WINDOW)


class ReportOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField(source="rating_id")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
