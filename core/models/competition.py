"""Rounds, groups, matches and their results: the competition engine's aggregate.

Tournament ids are denormalized onto matches and results so every scope (group, round,
tournament) is one indexed filter and ownership checks need no joins.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Round(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        COMPLETED = "completed", "Completed"

    tournament = models.ForeignKey(
        "core.Tournament", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Qualification: the top `qualify_per_group` of each group, or else the top `qualify_top_n`
    # of the whole round. A final round qualifies nobody: its rank 1 is the winner.
    qualify_per_group = models.PositiveSmallIntegerField(null=True, blank=True)
    qualify_top_n = models.PositiveIntegerField(null=True, blank=True)
    is_final = models.BooleanField(default=False)
    # Set on completion: the qualified team ids in rank order (the next round's entrants), and for
    # the final round the crowned team.
    qualified = models.JSONField(default=list, blank=True)
    winner = models.ForeignKey(
        "core.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set when the host completed the round over open disputes: why (logged, docs/api.md).
    override_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tournament_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tournament", "number"], name="round_number_unique"),
            models.CheckConstraint(
                condition=Q(qualify_per_group__isnull=True) | Q(qualify_top_n__isnull=True),
                name="round_one_qualification_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (#{self.number})"


class Group(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="groups")
    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    teams = models.ManyToManyField("core.Team", through="core.GroupTeam", related_name="+")

    class Meta:
        ordering = ["round_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="group_name_unique_in_round"),
        ]

    def __str__(self) -> str:
        return f"Group {self.name}"


class GroupTeam(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="entries")
    # Denormalized so "a team plays in one group per round" is a database rule.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    seed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["group_id", "seed", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "team"], name="one_group_per_team_per_round"),
        ]

    def __str__(self) -> str:
        return f"team {self.team_id} in group {self.group_id}"


class Match(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="matches")
    number = models.PositiveSmallIntegerField()
    map = models.CharField(max_length=40, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # 0 before the first submit; +1 per accepted submit (optimistic concurrency).
    result_version = models.PositiveIntegerField(default=0)
    room_id = models.CharField(max_length=40, blank=True)
    room_password = models.CharField(max_length=40, blank=True)
    credentials_release_at = models.DateTimeField(null=True, blank=True)
    # Set when the players were told about the credentials, so they are told once.
    credentials_notified_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"], name="match_number_unique_in_group"
            ),
        ]
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        return f"Match {self.number} ({self.status})"


class MatchResult(models.Model):
    """One team's line in one match; the points are frozen with the table in force at submit."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="results")
    tournament = models.ForeignKey("core.Tournament", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    placement = models.PositiveSmallIntegerField()
    kills = models.PositiveSmallIntegerField()
    placement_points = models.PositiveIntegerField()
    kill_points = models.PositiveIntegerField()
    total = models.PositiveIntegerField()

    class Meta:
        ordering = ["match_id", "placement"]
        indexes = [models.Index(fields=["round", "team"]), models.Index(fields=["tournament"])]
        constraints = [
            models.UniqueConstraint(fields=["match", "team"], name="one_result_per_team"),
            models.UniqueConstraint(fields=["match", "placement"], name="unique_placement"),
        ]

    def __str__(self) -> str:
        return f"team {self.team_id}: #{self.placement}, {self.kills} kills"


class PlayerMatchKills(models.Model):
    result = models.ForeignKey(MatchResult, on_delete=models.CASCADE, related_name="players")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kills = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result", "user"], name="one_kill_line_per_player"),
        ]

    def __str__(self) -> str:
        return f"player {self.user_id}: {self.kills} kills"


class PlayerStats(models.Model):
    """A player's career in one game (team stats live on Team); filled on tournament completion."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    game = models.ForeignKey("core.Game", on_delete=models.CASCADE, related_name="+")
    events_played = models.PositiveIntegerField(default=0)
    wins = models.PositiveIntegerField(default=0)
    matches_played = models.PositiveIntegerField(default=0)
    total_kills = models.PositiveIntegerField(default=0)
    total_points = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "game"], name="one_stats_row_per_game"),
        ]
        indexes = [models.Index(fields=["game", "-total_points"])]

    def __str__(self) -> str:
        return f"stats of {self.user_id} in {self.game_id}"
