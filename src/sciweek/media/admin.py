from django.contrib import admin

from .models import MediaItem


@admin.register(MediaItem)
class MediaItemAdmin(admin.ModelAdmin):
    """Read-only: uploads must pass the content checks and hiding needs a reason, so both go
    through the back office (and its services), never through a bare admin form."""

    list_display = ("__str__", "kind", "activity", "size", "is_hidden", "is_featured", "created_at")
    list_filter = ("kind", "is_hidden", "is_featured")
    search_fields = ("title", "alt_text", "original_name", "activity__title")
    raw_id_fields = ("activity", "uploaded_by", "hidden_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
