"""Shapes of the match statistics (core/api/stats/views.py, the leaderboard's ?period=)."""

from rest_framework import serializers

from core.api.competition.serializers import TopFraggerSerializer


class GameStatsSerializer(serializers.Serializer):
    game = serializers.CharField(help_text="the game's slug")
    tournaments_played = serializers.IntegerField()
    matches = serializers.IntegerField(help_text="final matches played")
    wins = serializers.IntegerField(help_text="WWCDs: matches finished at placement 1")
    kills = serializers.IntegerField()
    points = serializers.IntegerField(help_text="match points (placement + kill points)")
    average_placement = serializers.FloatField(allow_null=True, help_text="two decimals")
    kills_per_match = serializers.FloatField(allow_null=True, help_text="two decimals")
    best_finish = serializers.IntegerField(
        allow_null=True, help_text="best place in a completed tournament"
    )


class PlayerMatchStatsSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    games = GameStatsSerializer(many=True)


class MatchHistorySerializer(serializers.Serializer):
    match = serializers.IntegerField(source="match_id")
    number = serializers.IntegerField(source="match.number")
    tournament = serializers.IntegerField(source="tournament_id")
    tournament_title = serializers.CharField(source="tournament.title")
    version = serializers.IntegerField(help_text="the result version counted")
    placement = serializers.IntegerField()
    kills = serializers.IntegerField()
    points = serializers.IntegerField()
    played_at = serializers.DateTimeField()


class TeamMatchStatsSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    games = GameStatsSerializer(many=True)
    history = MatchHistorySerializer(many=True, help_text="the last 20 final matches")


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
