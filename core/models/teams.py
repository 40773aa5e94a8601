from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Team(models.Model):
    game = models.ForeignKey("core.Game", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=60)
    tag = models.CharField(max_length=8)
    logo = models.ImageField(upload_to="team_logos/%Y/%m/", blank=True)
    logo_variants = models.JSONField(default=list, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a team with tournament history is deleted: registrations PROTECT the row (standings
    # and exports still name it), so it is hidden and its roster emptied instead.
    disbanded_at = models.DateTimeField(null=True, blank=True)
    # Set by staff resolving a report with "hide": gone from public reads, kept for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Career stats, filled by the competition engine when a tournament completes.
    events_played = models.PositiveIntegerField(default=0)
    wins = models.PositiveIntegerField(default=0)
    matches_played = models.PositiveIntegerField(default=0)
    total_kills = models.PositiveIntegerField(default=0)
    total_points = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            # A disbanded team frees its name for a new team.
            models.UniqueConstraint(
                Lower("name"),
                "game",
                condition=Q(disbanded_at__isnull=True),
                name="team_name_unique_per_game",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.tag}]"


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        CAPTAIN = "captain", "Captain"
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team"),
            # Exactly one captain per team: at most one by constraint, at least one by services.
            models.UniqueConstraint(
                fields=["team"], condition=Q(role="captain"), name="one_captain_per_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.team_id} ({self.role})"


class TeamJoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"join {self.user_id}->{self.team_id} ({self.status})"


class TeamInvite(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    invited_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_invites"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        max_length=12, choices=TeamMembership.Role.choices, default=TeamMembership.Role.MEMBER
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "invited_user"],
                condition=Q(status="pending"),
                name="one_pending_invite",
            ),
        ]

    def __str__(self) -> str:
        return f"invite {self.invited_user_id}->{self.team_id} ({self.status})"
