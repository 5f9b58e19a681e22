import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.models import TimeStampedModel
from sciweek.common.storage import private_storage

from .enums import (
    EDITABLE_STATES,
    HANDED_IN_STATES,
    CompileKind,
    CompileStatus,
    FileKind,
    SummaryState,
)

MB = 1024 * 1024


class ReportingTask(TimeStampedModel):
    """The city's call for summaries (三(四)): deadline, receiving section, what is required."""

    edition = models.OneToOneField(
        "campaigns.Edition", on_delete=models.CASCADE, related_name="reporting_task"
    )
    deadline = models.DateField(_("deadline"))
    receiving_section = models.CharField(_("receiving section"), max_length=120)
    receiving_email = models.EmailField(_("receiving email"), blank=True)
    areas = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("areas that must report"),
        related_name="reporting_tasks",
        limit_choices_to={"kind": "area"},
    )
    instructions = models.TextField(_("what to submit"), blank=True)
    require_document = models.BooleanField(_("summary report document required"), default=True)
    min_photos = models.PositiveSmallIntegerField(_("minimum number of photos"), default=5)
    require_video = models.BooleanField(_("video required"), default=True)
    max_video_seconds = models.PositiveIntegerField(_("longest video (seconds)"), default=180)
    document_max_bytes = models.PositiveBigIntegerField(
        _("largest document (bytes)"), default=50 * MB
    )
    photo_max_bytes = models.PositiveBigIntegerField(_("largest photo (bytes)"), default=20 * MB)
    video_max_bytes = models.PositiveBigIntegerField(_("largest video (bytes)"), default=500 * MB)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before"), default=3
    )
    # The city report's prose, as the organiser edited it; empty: generated from the figures.
    report_overview = models.TextField(_("overview"), blank=True)
    report_outlook = models.TextField(_("next steps and suggestions"), blank=True)
    # The report's masthead (版头), addressee and closing block (版记), GB/T 9704-2012; empty
    # ones are left out or take the organiser's name and the compilation's date.
    report_issuer_mark = models.CharField(
        _("issuing organ's mark"), max_length=40, blank=True,
        help_text=_("Printed in red at the top, e.g. 淄博市科学技术局文件. Empty: the organiser's name and 文件."),
    )  # fmt: skip
    report_number = models.CharField(
        _("document number"), max_length=40, blank=True, help_text=_("For example 淄科字〔2023〕12号.")
    )  # fmt: skip
    report_signer = models.CharField(
        _("signed off by"), max_length=40, blank=True,
        help_text=_("The signer a report sent upward names beside its number."),
    )  # fmt: skip
    report_recipient = models.CharField(
        _("main recipient"), max_length=200, blank=True,
        help_text=_("The organ the report is addressed to, e.g. 山东省科学技术厅."),
    )  # fmt: skip
    report_copy_to = models.CharField(
        _("copied to"), max_length=300, blank=True, help_text=_("Organs, separated by 、 or ，.")
    )  # fmt: skip
    report_printer = models.CharField(
        _("printed by"), max_length=60, blank=True,
        help_text=_("The office that prints and sends the report. Empty: the organiser."),
    )  # fmt: skip
    report_printed_on = models.DateField(
        _("printing date"), null=True, blank=True,
        help_text=_("Empty: the day the report is compiled."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("reporting task")
        verbose_name_plural = _("reporting tasks")

    def __str__(self) -> str:
        return f"{self.edition} · {self.deadline}"

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


class AreaSummary(TimeStampedModel):
    """One area's summary for one edition: files, figures, narrative and its review state."""

    task = models.ForeignKey(ReportingTask, on_delete=models.CASCADE, related_name="summaries")
    area = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="area_summaries"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SummaryState.choices, default=SummaryState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    last_reason = models.TextField(_("latest reason"), blank=True)

    organisation_text = models.TextField(_("organisation and leadership"), blank=True)
    highlights_text = models.TextField(_("highlights"), blank=True)
    publicity_text = models.TextField(_("publicity"), blank=True)
    problems_text = models.TextField(_("problems and next steps"), blank=True)

    class Meta:
        verbose_name = _("area summary")
        verbose_name_plural = _("area summaries")
        ordering = ["area__path"]
        constraints = [
            models.UniqueConstraint(fields=["task", "area"], name="summary_one_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.task.edition}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_handed_in(self) -> bool:
        return self.state in HANDED_IN_STATES

    @property
    def is_returned(self) -> bool:
        return self.state == SummaryState.RETURNED


def plain_number(value) -> str:
    """540.00 as "540", 12.50 as "12.5": ``Decimal.normalize()`` alone would show "5.4E+2"."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class SummaryFigure(models.Model):
    """One statistic: the platform's value, the area's value if it changed it, and why."""

    summary = models.ForeignKey(AreaSummary, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(max_length=60)
    label = models.CharField(_("figure"), max_length=120)
    source = models.CharField(_("where it comes from"), max_length=200)
    computed = models.DecimalField(
        _("from the platform"), max_digits=14, decimal_places=2, default=0
    )
    value = models.DecimalField(
        _("reported"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("why changed"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["summary", "key"], name="figure_unique_key")]

    def __str__(self) -> str:
        return f"{self.label}: {self.reported}"

    @property
    def reported(self):
        return self.computed if self.value is None else self.value

    @property
    def computed_display(self) -> str:
        return plain_number(self.computed)

    @property
    def reported_display(self) -> str:
        return plain_number(self.reported)

    @property
    def is_changed(self) -> bool:
        return self.value is not None and self.value != self.computed


def _summary_file_path(instance, filename: str) -> str:
    # The stored name comes from the key, never from the client; the thumbnail sits beside it.
    if filename.endswith("-thumb.jpg"):
        return f"reports/{instance.summary_id}/{instance.storage_key.rsplit('.', 1)[0]}-thumb.jpg"
    return f"reports/{instance.summary_id}/{instance.storage_key}"


class SummaryFile(TimeStampedModel):
    """A file of an area summary, checked by content when it arrived."""

    summary = models.ForeignKey(AreaSummary, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    file = models.FileField(storage=private_storage, upload_to=_summary_file_path, max_length=255)
    thumbnail = models.FileField(
        storage=private_storage, upload_to=_summary_file_path, max_length=255, blank=True
    )
    storage_key = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("summary file")
        verbose_name_plural = _("summary files")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def new_key(extension: str) -> str:
        return f"{uuid.uuid4().hex}.{extension}"


def _compiled_path(instance, filename: str) -> str:
    # One folder per compilation: the file keeps the name it is downloaded under.
    return f"compiled/{instance.task_id}/{instance.pk}/{filename}"


class CompiledReport(TimeStampedModel):
    """A document produced in the background (city summary, workbook, archives), with progress."""

    task = models.ForeignKey(ReportingTask, on_delete=models.CASCADE, related_name="compilations")
    kind = models.CharField(max_length=10, choices=CompileKind.choices)
    area = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=CompileStatus.choices, default=CompileStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to=_compiled_path, max_length=255, blank=True
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    include_unreported = models.BooleanField(
        _("count the records of areas without an accepted summary"), default=False
    )
    figures_hash = models.CharField(_("hash of the figures"), max_length=64, blank=True)
    # The report's prose and document settings as they were when this version was asked for:
    # a later edit of the task's texts never changes an earlier version.
    texts = models.JSONField(_("texts of this version"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task}"

    @property
    def download_name(self) -> str:
        """What the file says it is: 2023年淄博市科技活动周总结报告.docx, …统计表.xlsx, …"""
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def is_running(self) -> bool:
        return self.status == CompileStatus.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == CompileStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == CompileStatus.FAILED


class ReportPhoto(TimeStampedModel):
    """The photo the organiser chose to show with a key activity in the city report; without
    one the report takes the photo featured in the online hall, else the activity's first."""

    task = models.ForeignKey(ReportingTask, on_delete=models.CASCADE, related_name="photos")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("media.MediaItem", on_delete=models.CASCADE, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "activity"], name="report_photo_one_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.item_id}"
