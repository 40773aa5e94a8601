"""Shapes of the match statistics (core/api/stats/views.py, the leaderboard's ?period=)."""

from rest_framework import serializers

from core.api.competition.serializers import TopFraggerSerializer


class MvpSerializer(serializers.Serializer):
    mvp = TopFraggerSerializer(allow_null=True, help_text="null before any per-player kills")
    rule = serializers.CharField()


class _MatchBoardFields(serializers.Serializer):
    game = serializers.CharField(source="game__slug")
    tournaments = serializers.IntegerField()
    matches = serializers.IntegerField()
    wins = serializers.IntegerField(help_text="WWCDs")
    kills = serializers.IntegerField()
    points = serializers.IntegerField()
    average_placement = serializers.SerializerMethodField()

    def get_average_placement(self, row: dict) -> float | None:
        return round(row["placement_sum"] / row["matches"], 2) if row["matches"] else None


class TeamMatchBoardSerializer(_MatchBoardFields):
    id = serializers.IntegerField(source="team_id")
    name = serializers.CharField(source="team__name")
    tag = serializers.CharField(source="team__tag")


class PlayerMatchBoardSerializer(_MatchBoardFields):
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user__username")
    display_name = serializers.CharField(source="user__display_name")
