from django.conf import settings
from django.db import models
from django.db.models import Q


class Tournament(models.Model):
    """A tournament or a scrim (kind=scrim: one round, ≤ 25 teams, ≤ 6 matches)."""

    class Kind(models.TextChoices):
        TOURNAMENT = "tournament", "Tournament"
        SCRIM = "scrim", "Scrim"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        REGISTRATION_OPEN = "registration_open", "Registration open"
        REGISTRATION_CLOSED = "registration_closed", "Registration closed"
        LIVE = "live", "Live"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Plan(models.TextChoices):
        BASIC = "basic", "Basic"
        FEATURED = "featured", "Featured"
        PREMIUM = "premium", "Premium"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        UNLISTED = "unlisted", "Unlisted"
        PRIVATE = "private", "Private"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TOURNAMENT)
    game = models.ForeignKey("core.Game", on_delete=models.PROTECT, related_name="tournaments")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_tournaments"
    )
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    rules = models.TextField(blank=True)
    banner = models.ImageField(upload_to="banners/%Y/%m/", blank=True)
    banner_variants = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    plan = models.CharField(max_length=10, choices=Plan.choices, default=Plan.BASIC)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    registration_opens_at = models.DateTimeField()
    registration_closes_at = models.DateTimeField()
    starts_at = models.DateTimeField()
    max_teams = models.PositiveIntegerField()
    entry_fee = models.PositiveIntegerField(default=0, help_text="paise")
    prize_pool = models.PositiveIntegerField(default=0, help_text="paise")
    # [{"place": 1, "amount": paise}, …]; amounts sum to prize_pool.
    prize_split = models.JSONField(default=list, blank=True)
    # {"preset": "pubgm_2023"|…|"custom", "placement": [...], "per_kill": n}
    points_table = models.JSONField(default=dict)
    # Listing order: premium 2, featured 1, basic 0 (kept in step with `plan` by services).
    plan_rank = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    # Match day (docs/api.md "Check-in"): an optional check-in window before the start; at its
    # close the confirmed teams that did not check in become no-shows (checkin_closed_at says
    # it was applied).
    checkin_opens_at = models.DateTimeField(null=True, blank=True)
    checkin_closes_at = models.DateTimeField(null=True, blank=True)
    checkin_closed_at = models.DateTimeField(null=True, blank=True)
    # How long after a match's final result a captain may dispute it.
    dispute_window_minutes = models.PositiveSmallIntegerField(default=15)
    # A round completes by itself once its last match is final, its dispute window has passed
    # and no dispute is open (the minute sweep, core/services/autofinish.py).
    auto_complete_rounds = models.BooleanField(default=False)
    # Set when the winner is crowned: the final standings' places with their prize (paise),
    # [{"place": 1, "team": {"id", "name"}, "amount": paise}, …].
    placings = models.JSONField(default=list, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    # Set by staff resolving a report with "hide": gone from public reads, kept for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-plan_rank", "starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "-plan_rank", "starts_at"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_opens_at__lte=models.F("registration_closes_at")),
                name="registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=models.F("starts_at")),
                name="registration_closes_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="scrim") | Q(max_teams__lte=25), name="scrim_max_25_teams"
            ),
            models.CheckConstraint(condition=Q(max_teams__gte=2), name="at_least_two_teams"),
            models.CheckConstraint(
                condition=Q(checkin_opens_at__isnull=True, checkin_closes_at__isnull=True)
                | Q(
                    checkin_opens_at__lt=models.F("checkin_closes_at"),
                    checkin_closes_at__lte=models.F("starts_at"),
                ),
                name="checkin_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Pending payment"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DISQUALIFIED = "disqualified", "Disqualified"
        EXPIRED = "expired", "Expired"
        WAITLISTED = "waitlisted", "Waitlisted"
        NO_SHOW = "no_show", "No-show"

    # Statuses that hold a seat (count against max_teams).
    SEAT_HOLDING = (Status.PENDING_PAYMENT, Status.CONFIRMED)
    # A team in one of these is in the tournament (its roster is reserved): a seat or the queue.
    ACTIVE = (Status.PENDING_PAYMENT, Status.CONFIRMED, Status.WAITLISTED)

    tournament = models.ForeignKey(
        Tournament, on_delete=models.CASCADE, related_name="registrations"
    )
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="registrations")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    is_paid = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # The waitlist's order: when the team joined it (the head is promoted first).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tournament", "status", "waitlisted_at"])]
        constraints = [
            # One active registration per team per tournament, whatever races.
            models.UniqueConstraint(
                fields=["tournament", "team"],
                condition=Q(status__in=["pending_payment", "confirmed"]),
                name="one_active_registration_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}@{self.tournament_id} ({self.status})"


class RegistrationPlayer(models.Model):
    """A player on a registration's roster. `active` mirrors the registration holding a seat, so
    the constraint below makes "one roster per player per tournament" a database rule."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="players")
    tournament = models.ForeignKey(Tournament, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    in_game_name = models.CharField(max_length=60)
    in_game_id = models.CharField(max_length=40)
    is_substitute = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tournament", "user"],
                condition=Q(active=True),
                name="one_active_roster_per_player",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.in_game_name} ({self.user_id})"
