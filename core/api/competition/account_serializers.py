"""Shapes of the leaderboard and notifications (/api/accounts/…, account_views.py)."""

from rest_framework import serializers

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
