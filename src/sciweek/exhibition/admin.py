"""Read-only admin: the ceremony changes only through the back office and its services
(quotas, the workflow, the audit log), never through a bare admin form."""

from django.contrib import admin

from .models import Ceremony, Exhibit, Guest, Quota


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ceremony)
class CeremonyAdmin(ReadOnlyAdmin):
    list_display = ("title", "edition", "venue", "starts_at", "rsvp_deadline", "booth_count")


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdmin):
    list_display = ("ceremony", "area", "category", "places")


@admin.register(Guest)
class GuestAdmin(ReadOnlyAdmin):
    list_display = ("masked_name", "category", "area", "state", "answered_at", "checked_in_at")
    list_filter = ("state", "category__kind")
    exclude = ("token", "code", "mobile", "substitute_mobile")


@admin.register(Exhibit)
class ExhibitAdmin(ReadOnlyAdmin):
    list_display = ("title", "submitter", "strategy", "state", "booth_number")
    list_filter = ("state", "strategy")
