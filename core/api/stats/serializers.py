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


class GameStatsSerializer(serializers.Serializer):
    """One game's match statistics of a player or a team (the running totals of final matches;
    corrections replace the old version's numbers)."""

    game = serializers.CharField(help_text="game slug")
    tournaments_played = serializers.IntegerField()
    matches = serializers.IntegerField(help_text="final matches")
    wins = serializers.IntegerField(help_text="WWCDs (placement 1)")
    kills = serializers.IntegerField()
    points = serializers.IntegerField()
    average_placement = serializers.FloatField(
        allow_null=True, help_text="mean placement, rounded to two decimals; null before a match"
    )
    kills_per_match = serializers.FloatField(
        allow_null=True, help_text="kills / matches, rounded to two decimals; null before a match"
    )
    best_finish = serializers.IntegerField(
        allow_null=True, help_text="best final place in a tournament; null before one"
    )


class MatchStatsSerializer(serializers.Serializer):
    games = GameStatsSerializer(many=True, help_text="one row per game played, by game slug")


class HistoryTournamentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class TeamMatchHistorySerializer(serializers.Serializer):
    """One final match of a team, as it counts now (the latest result version)."""

    match = serializers.IntegerField(source="match_id")
    number = serializers.IntegerField(source="match.number", help_text="the match's number")
    tournament = HistoryTournamentSerializer()
    played_at = serializers.DateTimeField()
    placement = serializers.IntegerField()
    kills = serializers.IntegerField()
    points = serializers.IntegerField()
    version = serializers.IntegerField(help_text="the result version counted")
