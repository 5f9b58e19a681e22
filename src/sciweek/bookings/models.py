import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciweek.common.masking import mask_name, mask_phone

from .enums import ACTIVE_STATUSES, BookingSource, BookingStatus, CancelledBy, IdType

# No 0/O, 1/I/L: a code read aloud or typed at a gate must not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_ticket_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_manage_token() -> str:
    return secrets.token_urlsafe(24)


class ConsentText(models.Model):
    """A versioned consent text shown to bookers; a booking records the version it agreed to."""

    class Kind(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Personal information")
        ID_NUMBER = "id_number", _("Resident ID number (sensitive personal information)")
        GUARDIAN = "guardian", _("Guardian's consent for a child under 14")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_unique_version")
        ]
        ordering = ["kind", "-version"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Booking(models.Model):
    """A place (or a group's places) in one session, or a place on its waiting list."""

    session = models.ForeignKey(
        "activities.Session", on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices, db_index=True)
    # Opaque random secrets: the code is on the e-ticket (QR) and typed at the gate; the token
    # is in the booker's manage link. Neither reveals anything or can be guessed from ids.
    code = models.CharField(max_length=16, unique=True, default=new_ticket_code, editable=False)
    manage_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )

    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    id_type = models.CharField(
        _("document type"), max_length=20, choices=IdType.choices, blank=True
    )
    id_number_encrypted = models.TextField(blank=True)
    # The masked form (370303********123X) is all any page ever shows.
    id_number_masked = models.CharField(_("ID number"), max_length=32, blank=True)
    # Who the person is, for "one booking per person per session": a keyed hash of the ID
    # number where the venue requires IDs, of the mobile number otherwise.
    person_key = models.CharField(max_length=64)

    party_size = models.PositiveSmallIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1)]
    )
    group_name = models.CharField(_("group"), max_length=100, blank=True)
    is_minor = models.BooleanField(default=False)
    # A walk-in was admitted at the gate with no booking in advance (bookings.walkins).
    source = models.CharField(
        _("source"), max_length=10, choices=BookingSource.choices, default=BookingSource.ONLINE
    )
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)

    consent_version = models.PositiveSmallIntegerField(null=True, blank=True)
    id_consent_version = models.PositiveSmallIntegerField(null=True, blank=True)
    guardian_consent_version = models.PositiveSmallIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the day-before reminder, once
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person_key"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="booking_one_active_per_person",
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="booking_party_positive"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            # The dashboard's check-in figures read only the bookings checked in.
            models.Index(
                fields=["session", "checked_in_at", "party_size"],
                condition=Q(checked_in_at__isnull=False),
                name="booking_checked_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.masked_name}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    # Pages ask these rather than compare status strings.
    @property
    def is_confirmed(self) -> bool:
        return self.status == BookingStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == BookingStatus.WAITING

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def cancelled_by_organiser(self) -> bool:
        return self.cancelled_by in (CancelledBy.ORGANISER, CancelledBy.ACTIVITY)


class LookupCode(models.Model):
    """A one-time code sent by SMS so that a booker can list their tickets without the ticket.

    Neither the number nor the code is stored: the number as its keyed hash (to count and find the
    codes of one number), the code as a keyed hash with the number (so a stolen table reveals no
    code). Rows outlive their ten minutes only to count the codes sent to a number in the hour;
    the daily purge removes them after a day.
    """

    phone_key = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"lookup code {self.pk}"


class SurveyAnswer(models.Model):
    """A visitor's short answer after the session: one per ticket, linked from the e-ticket."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="survey")
    # The session, kept beside the booking: the activity's results are a sum over its sessions.
    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="survey_answers"
    )
    rating = models.PositiveSmallIntegerField(_("satisfaction"))
    best = models.CharField(_("what was best"), max_length=500, blank=True)
    improve = models.CharField(_("what to improve"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="survey_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class GateTally(models.Model):
    """One press of the gate's counter (+1, +N or −1) for visitors of a session nobody books
    (科技下乡, outdoor events): the session's count is the sum of its rows, so the figures come
    from records, each with who pressed it and when."""

    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="gate_tallies"
    )
    delta = models.SmallIntegerField(_("change"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gate tally")
        verbose_name_plural = _("gate tallies")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="gate_tally_delta_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.delta:+d}"


class CheckInScan(models.Model):
    """One scan of a ticket at a gate, online or synced from an offline device: the history
    beside a booking's state. The booking's ``checked_in_at`` is the earliest scan that admitted
    it; every scan, admitted or refused, keeps its row. A device's own scan id is unique per
    device, so a batch sent twice records nothing twice."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        SYNCED = "synced", _("Synced from an offline device")

    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="checkin_scans"
    )
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    client_scan_id = models.CharField(max_length=64, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    result = models.CharField(_("scan result"), max_length=20)
    # What the offline device answered at the time, when it differs from the server's word.
    device_result = models.CharField(max_length=20, blank=True)
    override = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("check-in scan")
        verbose_name_plural = _("check-in scans")
        ordering = ("scanned_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["device_id", "client_scan_id"],
                condition=~Q(client_scan_id=""),
                name="checkin_scan_once_per_device",
            )
        ]
        indexes = [models.Index(fields=["session", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.result} · {self.scanned_at:%Y-%m-%d %H:%M:%S}"

    @property
    def result_label(self) -> str:
        from .enums import CheckInResult

        return str(CheckInResult(self.result).label)

    @property
    def admitted(self) -> bool:
        return self.result == "ok"
