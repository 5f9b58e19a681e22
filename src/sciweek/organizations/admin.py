from django.contrib import admin

from .models import Invitation, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "area", "division_code", "is_active")
    list_filter = ("kind", "is_active", "area")
    search_fields = ("name", "short_name", "division_code")
    readonly_fields = ("path", "area")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organization", "role", "state", "expires_at")
    list_filter = ("state", "role")
    search_fields = ("email", "organization__name")
    # The state moves only through the workflow (redeeming or revoking), never by hand.
    readonly_fields = ("token", "state", "accepted_at", "accepted_by")
