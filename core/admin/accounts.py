"""The Django admin for accounts: users, games and host verification."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from core.errors import ApplicationError
from core.media.storage import private_url
from core.models import Game, HostProfile, PlayerGameProfile, User
from core.selectors.users import host_document_name
from core.services.hosts import host_approve, host_reject


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


@admin.register(HostProfile)
class HostProfileAdmin(admin.ModelAdmin):
    """Host verification review. The actions call the same services as /api/admin/, so the
    host gets the same email whichever way staff decide."""

    list_display = ("user", "organization", "status", "submitted_at", "reviewed_at", "reviewed_by")
    list_filter = ("status",)
    search_fields = ("user__username", "user__email", "organization", "contact_name")
    list_select_related = ("user", "reviewed_by")
    readonly_fields = (
        "status",
        "document_link",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "rejection_reason",
    )
    # The identity document is private: shown only through the API's owner-or-staff endpoint
    # (a short-lived link), never as a storage URL, and not replaced from here.
    exclude = ("document",)
    raw_id_fields = ("user",)

    @admin.display(description="Document")
    def document_link(self, profile: HostProfile) -> str:
        if not profile.document:
            return "—"
        url = reverse("admin:core_hostprofile_document", args=[profile.pk])
        return format_html('<a href="{}" rel="noopener">Open the document</a>', url)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.document_view)
        name = "core_hostprofile_document"
        return [path("<int:profile_id>/document/", view, name=name), *super().get_urls()]

    def document_view(self, request: HttpRequest, profile_id: int) -> HttpResponse:
        """The same owner-or-staff check as the API, then the same short-lived link."""
        user_id = HostProfile.objects.filter(pk=profile_id).values_list("user_id", flat=True)
        try:
            name = host_document_name(actor=request.user, user_id=user_id.first() or 0)
        except ApplicationError:
            raise Http404("No such document.") from None
        response = HttpResponseRedirect(private_url(name))
        response["Cache-Control"] = "private, no-store"
        return response

    actions = ["approve_selected", "reject_selected"]

    @admin.action(description="Approve selected hosts (emails them)")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[HostProfile]) -> None:
        done = 0
        for profile in queryset:
            try:
                host_approve(actor=request.user, host_user_id=profile.user_id)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{profile.user}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"Approved {done} host(s).", messages.SUCCESS)

    @admin.action(description="Reject selected hosts with a reason (emails them)")
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[HostProfile]
    ) -> HttpResponse | None:
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST and reason:
            done = 0
            for profile in queryset:
                try:
                    host_reject(actor=request.user, host_user_id=profile.user_id, reason=reason)
                    done += 1
                except ApplicationError as exc:
                    self.message_user(request, f"{profile.user}: {exc.message}", messages.WARNING)
            if done:
                self.message_user(request, f"Rejected {done} host(s).", messages.SUCCESS)
            return None
        # First step (or no reason given): ask for the reason the hosts will read.
        return TemplateResponse(
            request,
            "admin/core/hostprofile/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject host verification",
                "profiles": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
                "missing_reason": "apply" in request.POST,
            },
        )
