from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for platform admins."""

    list_display = ("created_at", "actor_name", "action", "object_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "object_repr")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
