"""Match statistics, kept incrementally (core/services/stats.py): one contribution line per final
match and team (user null) or player, and running totals per (player, game) and (team, game)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class MatchStatLine(models.Model):
    """What one final match contributes to a team (user null) or to one of its players. A
    correction deletes the match's lines (subtracting them from the totals) and adds new ones."""

    match = models.ForeignKey("core.Match", on_delete=models.CASCADE, related_name="+")
    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    game = models.ForeignKey("core.Game", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    version = models.PositiveIntegerField()
    placement = models.PositiveSmallIntegerField()
    kills = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    played_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["match", "team"], condition=Q(user__isnull=True), name="one_team_line"
            ),
            models.UniqueConstraint(
                fields=["match", "user"], condition=Q(user__isnull=False), name="one_player_line"
            ),
        ]
        # The 30-day leaderboards read only the period's lines of one game.
        indexes = [
            models.Index(fields=["game", "played_at"]),
            models.Index(fields=["team", "-played_at"]),
        ]

    def __str__(self) -> str:
        return f"match {self.match_id} v{self.version}: team {self.team_id} user {self.user_id}"


class StatTotal(models.Model):
    """Running totals of a team (user null) or a player in one game."""

    game = models.ForeignKey("core.Game", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, null=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    tournaments = models.IntegerField(default=0)
    matches = models.IntegerField(default=0)
    wins = models.IntegerField(default=0)  # WWCD: placement 1
    kills = models.IntegerField(default=0)
    placement_sum = models.IntegerField(default=0)
    points = models.IntegerField(default=0)
    # Best tournament place (Tournament.placings), null before any placing.
    best_finish = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "game"], condition=Q(user__isnull=True), name="one_team_total"
            ),
            models.UniqueConstraint(
                fields=["user", "game"], condition=Q(user__isnull=False), name="one_player_total"
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=True) ^ Q(user__isnull=True), name="total_of_one_subject"
            ),
        ]
        indexes = [models.Index(fields=["game", "-points"])]

    def __str__(self) -> str:
        return f"totals of team {self.team_id} / user {self.user_id} in {self.game_id}"
