from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.models import Game, PlayerGameProfile, User


class PlayerGameProfileInline(admin.TabularInline):
    model = PlayerGameProfile
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "email_verified_at", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "email", "display_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Profile", {"fields": ("role", "display_name", "avatar", "bio", "phone")}),
        ("Verification", {"fields": ("email_verified_at",)}),
    )
    inlines = [PlayerGameProfileInline]


@admin.register(Game)
class GameAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "squad_size", "max_substitutes", "lobby_size", "is_active")
    list_editable = ("is_active",)
