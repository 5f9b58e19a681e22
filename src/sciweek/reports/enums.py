from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class SummaryAction(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return for revision")


# The workflow, declared once: TRANSITIONS[action][from_state] = to_state.
TRANSITIONS: dict[str, dict[str, str]] = {
    SummaryAction.SUBMIT: {
        SummaryState.DRAFT: SummaryState.SUBMITTED,
        SummaryState.RETURNED: SummaryState.SUBMITTED,
    },
    SummaryAction.ACCEPT: {SummaryState.SUBMITTED: SummaryState.ACCEPTED},
    SummaryAction.RETURN: {SummaryState.SUBMITTED: SummaryState.RETURNED},
}
EDITABLE_STATES = frozenset({SummaryState.DRAFT, SummaryState.RETURNED})
# Handed in to the city: the area owes nothing more unless it is returned.
HANDED_IN_STATES = frozenset({SummaryState.SUBMITTED, SummaryState.ACCEPTED})


class BoardStatus(models.TextChoices):
    """What the city's status board shows for an area."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    OVERDUE = "overdue", _("Overdue")


class FileKind(models.TextChoices):
    DOCUMENT = "document", _("Summary report")
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")


class CompileKind(models.TextChoices):
    DOCX = "docx", _("City summary (Word)")
    XLSX = "xlsx", _("Workbook (Excel)")
    ZIP_ALL = "zip_all", _("All areas' materials (zip)")
    ZIP_AREA = "zip_area", _("One area's materials (zip)")
    UPWARD = "upward", _("Upward filing: activity list and statistics indicators (Excel)")


class CompileStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CompileAction(models.TextChoices):
    START = "start", _("Start")
    FINISH = "finish", _("Finish")
    FAIL = "fail", _("Fail")


COMPILE_TRANSITIONS: dict[str, dict[str, str]] = {
    CompileAction.START: {CompileStatus.QUEUED: CompileStatus.RUNNING},
    CompileAction.FINISH: {CompileStatus.RUNNING: CompileStatus.DONE},
    # A broker that refuses the job fails it while queued; a worker that breaks, while running.
    CompileAction.FAIL: {
        CompileStatus.QUEUED: CompileStatus.FAILED,
        CompileStatus.RUNNING: CompileStatus.FAILED,
    },
}
