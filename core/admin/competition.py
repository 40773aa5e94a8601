"""Admin screens for tournaments, registrations and the competition (read-mostly: writes that
carry rules — status moves, results — go through the API and its services, not the admin)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import (
    Announcement,
    Match,
    MatchResult,
    Registration,
    RegistrationPlayer,
    Round,
    Team,
    TeamMembership,
    Tournament,
    TournamentEvent,
)


class RegistrationPlayerInline(admin.TabularInline):
    model = RegistrationPlayer
    extra = 0
    fields = ("user", "in_game_name", "in_game_id", "is_substitute", "active")
    readonly_fields = fields
    can_delete = False


@admin.register(Tournament)
class TournamentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "game", "host", "status", "plan", "starts_at", "max_teams")
    list_filter = ("kind", "status", "plan", "game", "visibility")
    search_fields = ("title", "host__username")
    date_hierarchy = "starts_at"
    list_select_related = ("game", "host")
    # Status and money follow the lifecycle and payment services.
    readonly_fields = (
        "status",
        "entry_fee",
        "prize_pool",
        "plan_rank",
        "published_at",
        "banner_variants",
    )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("tournament", "team", "status", "is_paid", "hold_expires_at", "created_at")
    list_filter = ("status", "is_paid")
    search_fields = ("tournament__title", "team__name")
    list_select_related = ("tournament", "team")
    readonly_fields = (
        "tournament",
        "team",
        "registered_by",
        "status",
        "is_paid",
        "hold_expires_at",
    )
    inlines = [RegistrationPlayerInline]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "tag", "game", "events_played", "wins", "total_points")
    list_filter = ("game",)
    search_fields = ("name", "tag")
    readonly_fields = ("logo_variants",)
    inlines = [TeamMembershipInline]


class MatchResultInline(admin.TabularInline):
    model = MatchResult
    extra = 0
    fields = ("team", "placement", "kills", "placement_points", "kill_points", "total")
    readonly_fields = fields
    can_delete = False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("id", "tournament", "group", "number", "map", "status", "result_version")
    list_filter = ("status",)
    list_select_related = ("tournament", "group")
    readonly_fields = ("status", "result_version")
    inlines = [MatchResultInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("tournament", "number", "name", "status", "is_final")
    list_filter = ("status",)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("tournament", "message", "created_at")


@admin.register(TournamentEvent)
class TournamentEventAdmin(admin.ModelAdmin):
    list_display = ("tournament", "seq", "name", "created_at")
    list_filter = ("name",)
    readonly_fields = ("tournament", "seq", "name", "data", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the log is appended by services, in the transaction of each change

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
