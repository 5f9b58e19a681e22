"""Read-only admin: summaries, files and compilations change only through the back office and
its services (content checks, workflow, audit), never through a bare admin form."""

from django.contrib import admin

from .models import AreaSummary, CompiledReport, ReportingTask, SummaryFigure, SummaryFile


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportingTask)
class ReportingTaskAdmin(ReadOnlyAdmin):
    list_display = ("edition", "deadline", "receiving_section", "min_photos", "max_video_seconds")
    filter_horizontal = ("areas",)


class FigureInline(admin.TabularInline):
    model = SummaryFigure
    extra = 0
    can_delete = False
    fields = ("key", "label", "computed", "value", "note")
    readonly_fields = fields


class FileInline(admin.TabularInline):
    model = SummaryFile
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "size", "duration_seconds", "caption", "created_at")
    readonly_fields = fields


@admin.register(AreaSummary)
class AreaSummaryAdmin(ReadOnlyAdmin):
    list_display = ("area", "task", "state", "submitted_at", "is_late", "accepted_at")
    list_filter = ("state", "is_late", "task__edition")
    search_fields = ("area__name",)
    inlines = (FigureInline, FileInline)


@admin.register(SummaryFile)
class SummaryFileAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "summary", "size", "duration_seconds", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("summary", "uploaded_by")


@admin.register(CompiledReport)
class CompiledReportAdmin(ReadOnlyAdmin):
    list_display = ("kind", "task", "area", "status", "progress", "created_at", "finished_at")
    list_filter = ("kind", "status")
