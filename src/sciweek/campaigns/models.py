from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.models import TimeStampedModel
from sciweek.common.storage import private_storage

from .enums import PUBLIC_EDITION_STATUSES, EditionStatus, NoticeStatus, OneSessionPerDay


class EditionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_EDITION_STATUSES)


class Edition(TimeStampedModel):
    """One year's Science and Technology Activity Week."""

    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=120)
    theme = models.CharField(_("theme"), max_length=120)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    summary_deadline = models.DateField(_("summary deadline"))
    receiving_section = models.CharField(_("receiving section"), max_length=120)
    receiving_email = models.EmailField(_("receiving email"))
    # Bookers hear by SMS too when they gave an email (otherwise SMS goes only to those with no
    # email, and for urgent news): bookings.messages.channels.
    booker_sms_always = models.BooleanField(
        _("text bookers as well as emailing them"),
        default=False,
        help_text=_(
            "Off: bookers with an email get email, and SMS only for urgent news (a place freed "
            "up, a change, a cancellation); bookers with only a mobile get SMS."
        ),
    )
    # Fair use (bookings.fair_use): off by default; the organiser sets the numbers.
    no_show_limit = models.PositiveSmallIntegerField(
        _("no-shows that pause booking"),
        default=0,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "0: off. A booker who did not come to this many booked sessions (within the days "
            "below) cannot book again for a while."
        ),
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("no-shows counted over (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    no_show_block_days = models.PositiveSmallIntegerField(
        _("booking paused for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    one_session_per_day = models.CharField(
        _("one session per person per day"),
        max_length=10,
        choices=OneSessionPerDay.choices,
        default=OneSessionPerDay.OFF,
        help_text=_(
            "A person is known by their resident ID where the activity requires it, otherwise "
            "by their mobile number."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="edition_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})
        if self.end_date and self.summary_deadline and self.summary_deadline < self.end_date:
            raise ValidationError(
                {"summary_deadline": _("The summary deadline cannot be before the last day.")}
            )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_EDITION_STATUSES

    def phase(self, today=None) -> str:
        """``upcoming``, ``running`` or ``over``, by the calendar in Asia/Shanghai."""
        today = today or timezone.localdate()
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "over"
        return "running"


class BasisDocument(models.Model):
    """A higher-level document the edition rests on, e.g. 国科函才〔2023〕65号."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="basis_documents")
    number = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Set on the copies a new year's edition starts with: last year's 国科函才〔2023〕65号 is
    # rarely this year's. Cleared when the row is edited or the organiser says it still holds.
    needs_update = models.BooleanField(_("still to update for this year"), default=False)

    class Meta:
        verbose_name = _("basis document")
        verbose_name_plural = _("basis documents")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class FocusArea(models.Model):
    """One of the edition's main contents (主要内容), in the notice's order."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="focus_areas")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Notice(TimeStampedModel):
    """A notice (通知) sent to recipient organisations, each of which acknowledges receipt."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="notices"
    )
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    body = models.TextField(_("body"), help_text=_("Markdown: headings, lists, bold, links."))
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.ManyToManyField(
        "organizations.Organization",
        through="NoticeRecipient",
        related_name="notices_received",
        verbose_name=_("recipients"),
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED


def _attachment_path(instance, filename: str) -> str:
    # The stored name is random; the original name is kept in a field, never trusted as a path.
    return f"notices/{instance.notice_id}/{instance.storage_key}"


class NoticeAttachment(TimeStampedModel):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=255)
    storage_key = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class NoticeRecipient(models.Model):
    """A notice addressed to an organisation, and that organisation's acknowledgement (签收)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Delivery as the board shows it: the first message queued to anyone of the organisation,
    # and the first time someone of it opened the notice.
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "organization"], name="notice_recipient_unique"
            ),
            # Acknowledged exactly once: either both who and when are set, or neither.
            models.CheckConstraint(
                condition=(
                    models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                    | models.Q(acknowledged_at__isnull=False)
                ),
                name="notice_ack_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.organization}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
