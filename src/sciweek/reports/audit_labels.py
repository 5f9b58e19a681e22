"""Audit actions written for reporting tasks, area summaries and the city report."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "report_task.create": _("Reporting task set"),
    "report_task.update": _("Reporting task changed"),
    "report.compile": _("City report requested"),
    "report.prose": _("City report text edited"),
    "report.photo": _("City report photo chosen"),
    "summary.figures": _("Figures changed"),
    "summary.narrative": _("Narrative changed"),
    "summary.file_add": _("File added"),
    "summary.file_remove": _("File removed"),
    "summary.file_caption": _("Caption changed"),
    "summary.submit": _("Summary submitted"),
    "summary.accept": _("Summary accepted"),
    "summary.return": _("Summary returned for revision"),
    "summary.remind": _("Summary reminder sent"),
}
