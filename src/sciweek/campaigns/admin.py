from django.contrib import admin

from .models import BasisDocument, Edition, FocusArea, Notice, NoticeAttachment, NoticeRecipient


class BasisDocumentInline(admin.TabularInline):
    model = BasisDocument
    extra = 0


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "theme", "start_date", "end_date", "status")
    list_filter = ("status",)
    # The status moves only through the workflow (the back office's buttons), never by hand.
    readonly_fields = ("status",)
    inlines = [BasisDocumentInline, FocusAreaInline]


class NoticeRecipientInline(admin.TabularInline):
    model = NoticeRecipient
    extra = 0
    raw_id_fields = ["organization", "acknowledged_by"]


class NoticeAttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0
    readonly_fields = ("original_name", "content_type", "size")
    exclude = ("file", "storage_key")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "edition", "status", "published_at")
    list_filter = ("status", "edition")
    readonly_fields = ("status", "published_at", "published_by")
    inlines = [NoticeAttachmentInline, NoticeRecipientInline]
