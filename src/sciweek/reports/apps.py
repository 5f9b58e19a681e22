from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sciweek.reports"
    verbose_name = _("Summary reports")

    def ready(self):
        from sciweek.common.storage import delete_files_with_records

        from .models import CompiledReport, SummaryFile

        # Files go with their row, also when a summary or a task is deleted with its rows.
        delete_files_with_records(SummaryFile, "file", "thumbnail")
        delete_files_with_records(CompiledReport, "file")
