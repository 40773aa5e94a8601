"""Shapes of the leaderboard and notifications (/api/accounts/…, account_views.py)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.schema import example
from core.models import Notification, PlayerStats, Team


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "read_at", "created_at"]


class TeamLeaderboardSerializer(serializers.ModelSerializer):
    game = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "tag",
            "game",
            "events_played",
            "wins",
            "matches_played",
            "total_kills",
            "total_points",
        ]


class PlayerLeaderboardSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    game = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PlayerStats
        fields = [
            "user",
            "username",
            "display_name",
            "game",
            "events_played",
            "wins",
            "matches_played",
            "total_kills",
            "total_points",
        ]


class CountSerializer(serializers.Serializer):
    updated = serializers.IntegerField()


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Stable dotted name (docs/notifications.md)")
    label = serializers.CharField()
    email = serializers.BooleanField(help_text="Email on; in-app is always on")
    email_default = serializers.BooleanField()
    grouped = serializers.BooleanField(help_text="Emails grouped: one per tournament per 10 min")


@extend_schema_serializer(
    examples=[
        example(
            "Results by email off, invites on",
            {"email": {"result.final": False, "result.corrected": False, "team.invite": True}},
        )
    ]
)
class NotificationPreferencesPatchSerializer(strict.Serializer):
    email = serializers.DictField(
        child=serializers.BooleanField(),
        allow_empty=True,
        help_text='Kind -> email on/off, e.g. {"result.final": false}; kinds not named stay',
    )


@extend_schema_serializer(
    examples=[
        example("The token of an email's link", {"token": "eyJ1IjoxLCJrIjoidGVhbS5pbnZpdGUifQ:1t…"})
    ]
)
class UnsubscribeSerializer(strict.Serializer):
    token = serializers.CharField(max_length=500, help_text="From the email's unsubscribe link")


class UnsubscribedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    email = serializers.BooleanField()
