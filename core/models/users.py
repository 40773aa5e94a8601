from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from .storage import get_private_storage


class User(AbstractUser):
    class Role(models.TextChoices):
        PLAYER = "player", "Player"
        HOST = "host", "Host"

    email = models.EmailField(unique=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PLAYER)
    display_name = models.CharField(max_length=60, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    # Resized copies of the avatar (core/media/variants.py): [{name, width, height, format}].
    avatar_variants = models.JSONField(default=list, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Set by staff resolving a report with "hide": gone from public reads, kept for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_host(self) -> bool:
        return self.role == self.Role.HOST

    @property
    def is_verified_host(self) -> bool:
        profile = getattr(self, "host_profile", None)
        return self.is_host and profile is not None and profile.is_approved


class HostProfile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting details"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="host_profile")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    organization = models.CharField(max_length=120, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    details = models.TextField(blank=True)
    website = models.URLField(blank=True)
    # An identity document: private storage, served only through the owner-or-staff endpoint.
    document = models.FileField(
        upload_to="host_documents/%Y/%m/", storage=get_private_storage, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.status})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class PlayerGameProfile(models.Model):
    """A player's in-game name and id for one game (needed to register for its tournaments)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="game_profiles")
    game = models.ForeignKey("core.Game", on_delete=models.CASCADE, related_name="+")
    in_game_name = models.CharField(max_length=60)
    in_game_id = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "game"], name="one_game_profile_per_game"),
        ]

    def __str__(self) -> str:
        return f"{self.in_game_name} ({self.game_id})"
