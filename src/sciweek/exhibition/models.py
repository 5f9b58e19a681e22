"""The launch ceremony of an edition (启动仪式), its guests, the achievements exhibition and the
city's jury of its exhibits."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.masking import mask_name
from sciweek.common.models import TimeStampedModel
from sciweek.common.storage import private_storage

from .enums import (
    COMING_STATES,
    EXHIBIT_EDITABLE,
    ExhibitMediaKind,
    ExhibitState,
    GuestCategoryKind,
    GuestState,
    JuryScale,
    Strategy,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_guest_code() -> str:
    # "G" first, so a guest's code never equals a booking's ticket code read at the same gate.
    return "G" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(11))


def new_rsvp_token() -> str:
    return secrets.token_urlsafe(24)


class Ceremony(TimeStampedModel):
    """One per edition: the main-venue launch ceremony, shown on its activity's public page."""

    edition = models.OneToOneField(
        "campaigns.Edition", verbose_name=_("edition"), on_delete=models.CASCADE,
        related_name="ceremony",
    )  # fmt: skip
    activity = models.OneToOneField(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="ceremony",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200)
    sub_venue = models.CharField(_("sub-venue"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    livestream_url = models.URLField(_("livestream link"), blank=True)
    rsvp_deadline = models.DateTimeField(_("RSVP deadline"))
    exhibit_deadline = models.DateTimeField(_("exhibit submission deadline"))
    booth_count = models.PositiveSmallIntegerField(_("booths"), default=30)

    class Meta:
        verbose_name = _("launch ceremony")
        verbose_name_plural = _("launch ceremonies")

    def __str__(self) -> str:
        return self.title

    @property
    def rsvp_open(self) -> bool:
        return timezone.now() <= self.rsvp_deadline

    @property
    def exhibits_open(self) -> bool:
        return timezone.now() <= self.exhibit_deadline


class ProgrammeItem(models.Model):
    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="programme")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("item"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    speaker_post = models.CharField(_("speaker's post"), max_length=200, blank=True)

    class Meta:
        ordering = ("order", "starts_at")
        verbose_name = _("programme item")

    def __str__(self) -> str:
        return self.title


class GuestCategory(models.Model):
    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(_("category"), max_length=20, choices=GuestCategoryKind.choices)
    places = models.PositiveIntegerField(_("places"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("ceremony", "kind"), name="exhibition_category_once")
        ]
        verbose_name = _("guest category")
        verbose_name_plural = _("guest categories")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_student(self) -> bool:
        return self.kind == GuestCategoryKind.STUDENT


class Quota(models.Model):
    """How many people of a category an area sends (e.g. 张店区: 20 students)."""

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="quotas")
    area = models.ForeignKey(
        "organizations.Organization", verbose_name=_("area"), on_delete=models.CASCADE,
        related_name="ceremony_quotas",
    )  # fmt: skip
    category = models.ForeignKey(GuestCategory, on_delete=models.CASCADE, related_name="quotas")
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ("area__path", "category__order")
        constraints = [
            models.UniqueConstraint(fields=("area", "category"), name="exhibition_quota_once")
        ]
        verbose_name = _("delegation quota")

    def __str__(self) -> str:
        return f"{self.area} · {self.category} · {self.places}"


class Guest(TimeStampedModel):
    """A named invitee: entered by the organiser (leaders) or by an area in its delegation. The
    RSVP link carries ``token``; the invitation QR carries ``code`` (checked in at the gate)."""

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="guests")
    category = models.ForeignKey(
        GuestCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="guests"
    )
    area = models.ForeignKey(
        "organizations.Organization", verbose_name=_("area"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="ceremony_guests",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=50)
    organization_name = models.CharField(_("organisation"), max_length=100)
    post = models.CharField(_("post"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20)
    teacher = models.CharField(_("teacher in charge"), max_length=50, blank=True)
    seat_order = models.PositiveIntegerField(_("seat order"), default=100)
    state = models.CharField(
        _("answer"), max_length=12, choices=GuestState.choices, default=GuestState.INVITED,
        db_index=True,
    )  # fmt: skip
    token = models.CharField(max_length=64, unique=True, default=new_rsvp_token, editable=False)
    code = models.CharField(max_length=16, unique=True, default=new_guest_code, editable=False)
    substitute_name = models.CharField(_("substitute's name"), max_length=50, blank=True)
    substitute_post = models.CharField(_("substitute's post"), max_length=100, blank=True)
    substitute_mobile = models.CharField(_("substitute's mobile"), max_length=20, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ("category__order", "seat_order", "pk")
        verbose_name = _("guest")

    def __str__(self) -> str:
        return self.name

    @property
    def is_coming(self) -> bool:
        return self.state in COMING_STATES

    @property
    def has_answered(self) -> bool:
        return self.state != GuestState.INVITED

    @property
    def is_checked_in(self) -> bool:
        return self.state == GuestState.CHECKED_IN

    @property
    def attendee_name(self) -> str:
        return self.substitute_name if self.state_is_substitute else self.name

    @property
    def state_is_substitute(self) -> bool:
        return bool(self.substitute_name) and self.state in (
            GuestState.SUBSTITUTED, GuestState.CHECKED_IN
        )  # fmt: skip

    # What the gate's answer panel reads of a ticket holder (as of a booking).
    @property
    def masked_name(self) -> str:
        return mask_name(self.attendee_name)

    party_size = 1

    @property
    def group_name(self) -> str:
        return f"{self.category} · {self.area or self.organization_name}"


class Exhibit(TimeStampedModel):
    """An achievement submitted for the exhibition by an area or a city department."""

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="exhibits")
    submitter = models.ForeignKey(
        "organizations.Organization", verbose_name=_("submitted by"), on_delete=models.PROTECT,
        related_name="exhibits",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    unit_name = models.CharField(_("unit"), max_length=200)
    field = models.CharField(_("field"), max_length=100)
    strategy = models.CharField(_("strategy served"), max_length=20, choices=Strategy.choices)
    description = models.TextField(_("description"), max_length=4000)
    space_sqm = models.PositiveSmallIntegerField(_("space needed (m²)"), default=9)
    needs_power = models.BooleanField(_("needs power"), default=False)
    needs_network = models.BooleanField(_("needs network"), default=False)
    interactive_demo = models.BooleanField(_("interactive demonstration"), default=False)
    confidentiality_checked = models.BooleanField(
        _("confidentiality self-check done"), default=False,
        help_text=_("The exhibit contains no state secret or confidential technology (科技保密)."),
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=10, choices=ExhibitState.choices, default=ExhibitState.DRAFT,
        db_index=True,
    )  # fmt: skip
    booth_number = models.CharField(_("booth"), max_length=10, blank=True)
    last_reason = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ("booth_number", "pk")
        verbose_name = _("exhibit")

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in EXHIBIT_EDITABLE

    @property
    def is_selected(self) -> bool:
        return self.state == ExhibitState.SELECTED


# --- the city's jury ----------------------------------------------------------------------


class Jury(TimeStampedModel):
    """The city's jury of a ceremony's exhibits: its criteria and weights, its jurors and what
    each scores. Closed, its scores are final."""

    ceremony = models.OneToOneField(Ceremony, on_delete=models.CASCADE, related_name="jury")
    scale_max = models.PositiveSmallIntegerField(
        _("scores from 0 to"), choices=JuryScale.choices, default=JuryScale.TEN
    )
    per_exhibit = models.PositiveSmallIntegerField(_("jurors per exhibit"), default=3)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")

    def __str__(self) -> str:
        return str(self.ceremony)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Criterion(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("jury", "name"), name="exhibition_criterion_once")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Juror(models.Model):
    """A user on the jury, with the organisation they come from. ``area`` (that organisation's
    area, none for an outside expert or a city department) decides what they may never score."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="jury_seats",
    )  # fmt: skip
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    area = models.ForeignKey(
        "organizations.Organization", verbose_name=_("area"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    title = models.CharField(_("post or expertise"), max_length=100, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("jury", "user"), name="exhibition_juror_once")
        ]
        verbose_name = _("juror")

    def __str__(self) -> str:
        return self.user.display_name or self.user.username


class Assignment(TimeStampedModel):
    """An exhibit a juror scores (never one of their own area: refused by the service)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="assignments")
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ("exhibit__pk", "pk")
        constraints = [
            models.UniqueConstraint(fields=("juror", "exhibit"), name="exhibition_assignment_once")
        ]
        verbose_name = _("jury assignment")

    def __str__(self) -> str:
        return f"{self.juror} · {self.exhibit}"

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("assignment", "criterion"), name="exhibition_score_once"
            ),
            models.CheckConstraint(
                condition=models.Q(value__lte=100), name="exhibition_score_at_most_100"
            ),
        ]
        verbose_name = _("score")

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.value}"


class RsvpReminder(models.Model):
    """One automatic reminder sent to an unanswered invitee ``days_before`` the deadline. The
    unique row is the guard that makes each reminder go exactly once, however many runs (or
    parallel runs) of ``remind_rsvps`` there are."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    # False for a step skipped because a nearer one was due at the same run (one SMS, not two).
    sent = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("guest", "days_before"), name="exhibition_remind_once")
        ]
        verbose_name = _("RSVP reminder")

    def __str__(self) -> str:
        return f"{self.guest_id} · {self.days_before}"


def _exhibit_media_path(instance, filename: str) -> str:
    return f"exhibits/{instance.exhibit_id}/{filename}"


class ExhibitMedia(models.Model):
    """A photo or the short video of an exhibit. Stored privately under a random key: the
    submitter and the reviewers reach it through a permission-checking view, the public only
    once the exhibit is selected."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=10, choices=ExhibitMediaKind.choices)
    alt_text = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    file = models.FileField(storage=private_storage, upload_to=_exhibit_media_path, max_length=255)
    thumbnail = models.FileField(
        storage=private_storage, upload_to=_exhibit_media_path, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("exhibit photo or video")
        verbose_name_plural = _("exhibit photos and videos")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_video(self) -> bool:
        return self.kind == ExhibitMediaKind.VIDEO

    @property
    def label(self) -> str:
        return self.alt_text or self.exhibit.title
