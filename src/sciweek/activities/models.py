import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.models import TimeStampedModel
from sciweek.common.storage import private_storage

from . import checks
from .enums import (
    VENUE_FIELDS,
    ActivityState,
    Audience,
    ChangeState,
    DocumentKind,
    Mode,
    PermitLevel,
    SessionBookingState,
)
from .workflow import EDITABLE_STATES, PUBLIC_STATES

# Sorted, so the partial indexes' condition (and their migration) is the same in every run.
PUBLIC_STATE_Q = Q(state__in=sorted(PUBLIC_STATES))


class Category(models.Model):
    """A kind of activity in one edition's list (科技下乡, 开放日, …)."""

    edition = models.ForeignKey(
        "campaigns.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="category_unique_code"),
            models.UniqueConstraint(fields=["edition", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state__in=PUBLIC_STATES)

    def taking_bookings(self):
        """Public activities that take bookings (``Activity.takes_bookings`` as a query)."""
        return self.public().filter(booking_required=True)

    def refresh_first_start(self) -> int:
        """Set ``first_start`` of these activities to their earliest session's start (None
        without sessions), in one UPDATE. The one writer of the column: every service that adds,
        moves or removes sessions calls it on the activity it changed."""
        earliest = (
            Session.objects.filter(activity=models.OuterRef("pk"))
            .order_by("starts_at")
            .values("starts_at")[:1]
        )
        return self.update(first_start=models.Subquery(earliest))


class Activity(TimeStampedModel):
    edition = models.ForeignKey(
        "campaigns.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    host = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        related_name="hosted_activities",
    )
    co_hosts = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("co-host units"),
        blank=True,
        related_name="co_hosted_activities",
    )
    co_host_names = models.CharField(
        _("other co-hosts"),
        max_length=200,
        blank=True,
        help_text=_("Co-hosts that are not on the platform, separated by commas."),
    )
    area = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="area_activities",
        limit_choices_to={"kind": "area"},
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Plain text or Markdown.")
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="activities"
    )
    focus_area = models.ForeignKey(
        "campaigns.FocusArea",
        verbose_name=_("focus area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    venue_name = models.CharField(_("venue"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    livestream_url = models.URLField(_("livestream link"), blank=True)
    replay_url = models.URLField(
        _("replay link"), blank=True, help_text=_("A recording, added once the activity is held.")
    )
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    lead_name = models.CharField(_("person in charge"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    is_key = models.BooleanField(_("key activity"), default=False)
    is_series = models.BooleanField(
        _("regular / series activity (常态化)"),
        default=False,
        help_text=_("Sessions of a series may fall outside the week's dates."),
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )

    # Booking rules, used by every session of the activity.
    booking_required = models.BooleanField(_("booking required"), default=False)
    real_name_required = models.BooleanField(_("real-name booking"), default=False)
    id_number_required = models.BooleanField(_("resident ID required"), default=False)
    waitlist_enabled = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When full, further bookings join a waiting list and move up as places free."),
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("largest group"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many people one booking may cover (a teacher booking for a class)."),
    )

    # Safety (large mass events) and confidentiality.
    police_permit_number = models.CharField(_("police permit number"), max_length=60, blank=True)
    police_permit_authority = models.CharField(_("permit issued by"), max_length=100, blank=True)
    police_permit_level = models.CharField(
        _("level of the issuing police"),
        max_length=10,
        choices=PermitLevel.choices,
        blank=True,
        help_text=_("The large-event rule reads this, not the authority's name."),
    )
    safety_officer_name = models.CharField(
        _("person responsible for safety"), max_length=50, blank=True
    )
    safety_officer_phone = models.CharField(_("safety contact phone"), max_length=20, blank=True)
    confidentiality_checked = models.BooleanField(
        _("confidentiality self-check done"),
        default=False,
        help_text=_(
            "I confirm the exhibits and content contain no state secrets or unpublished "
            "confidential research (科技保密自查)."
        ),
    )

    # Workflow.
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ActivityState.choices,
        default=ActivityState.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    last_reason = models.TextField(_("latest reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Results, after it is held.
    onsite_participants = models.PositiveIntegerField(
        _("onsite participants"), null=True, blank=True
    )
    online_participants = models.PositiveIntegerField(
        _("online participants"), null=True, blank=True
    )
    st_workers = models.PositiveIntegerField(_("S&T workers involved"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers involved"), null=True, blank=True)
    actual_cost = models.DecimalField(
        _("actual cost (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("What the activity really cost, against its budget."),
    )

    # The earliest session's start, kept by ``ActivityQuerySet.refresh_first_start`` (called by
    # the services that write sessions), so lists order and filter on an indexed column.
    first_start = models.DateTimeField(
        _("first session starts"), null=True, blank=True, editable=False
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["edition", "state"]),
            models.Index(fields=["area", "state"]),
            models.Index(fields=["state", "state_changed_at"]),
            # The lists (public site, back office, API) walk these in order and stop at a page.
            models.Index(
                fields=["edition", "first_start", "id"],
                condition=PUBLIC_STATE_Q,
                name="activity_public_by_start",
            ),
            models.Index(
                fields=["area", "edition", "first_start", "id"],
                condition=PUBLIC_STATE_Q,
                name="activity_area_by_start",
            ),
            models.Index(
                fields=["host", "edition", "first_start", "id"],
                condition=PUBLIC_STATE_Q,
                name="activity_host_by_start",
            ),
            models.Index(fields=["first_start", "id"], name="activity_all_by_start"),
            # The home page's bounded count per category.
            models.Index(
                fields=["category", "first_start"],
                condition=PUBLIC_STATE_Q,
                name="activity_public_by_category",
            ),
            models.Index(fields=["edition", "created_at", "id"], name="activity_by_filing"),
            models.Index(fields=["edition", "first_start", "id"], name="activity_by_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # ``first_start`` has one writer (``refresh_first_start``): a save of an activity
        # loaded before its sessions changed must not write back the old value.
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "first_start"
            ]  # fmt: skip
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    # Pages ask these rather than compare state strings.
    @property
    def is_published(self) -> bool:
        return self.state == ActivityState.PUBLISHED

    @property
    def is_held(self) -> bool:
        return self.state == ActivityState.HELD

    @property
    def is_returned(self) -> bool:
        return self.state == ActivityState.RETURNED

    @property
    def is_cancelled(self) -> bool:
        return self.state == ActivityState.CANCELLED

    @property
    def is_large_event(self) -> bool:
        """The one large-event rule (``checks.is_large_event``), for pages and exports; reads
        the sessions, so lists prefetch them."""
        return checks.is_large_event(self)

    @property
    def takes_bookings(self) -> bool:
        """Its sessions may be booked (each within its own booking window)."""
        return self.booking_required and self.is_public


class AudienceTag(models.Model):
    """One audience of an activity; a row per audience so lists can filter on every database."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="audience_tags")
    audience = models.CharField(max_length=20, choices=Audience.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "audience"], name="audience_unique")
        ]
        indexes = [models.Index(fields=["audience", "activity"])]

    def __str__(self) -> str:
        return self.get_audience_display()


def booking_window_q(now) -> Q:
    """Sessions whose booking window is open at ``now``: not closed by the organiser, not
    started, opened (or no opening time) and not yet closed (or no closing time). The SQL half of
    ``Session.booking_window_open``; ``book()``'s conditional UPDATE uses it as it is."""
    return Q(
        Q(booking_opens_at__isnull=True) | Q(booking_opens_at__lte=now),
        Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now),
        booking_closed=False,
        starts_at__gt=now,
    )


class SessionQuerySet(models.QuerySet):
    def with_booking_state(self, now=None):
        """Annotate ``booking_state_now``: ``Session.booking_state(now)`` computed in SQL (the
        annotation cannot share the method's name without hiding it)."""
        now = now or timezone.now()
        S = SessionBookingState
        return self.annotate(
            booking_state_now=models.Case(
                models.When(
                    booking_window_q(now),
                    then=models.Case(
                        models.When(
                            places_taken__lt=models.F("capacity"), then=models.Value(S.OPEN)
                        ),
                        models.When(
                            activity__waitlist_enabled=True,
                            capacity__gt=0,
                            then=models.Value(S.WAITLIST),
                        ),
                        default=models.Value(S.FULL),
                    ),
                ),
                models.When(
                    Q(booking_closed=False, starts_at__gt=now, booking_opens_at__gt=now),
                    then=models.Value(S.NOT_YET),
                ),
                default=models.Value(S.CLOSED),
                output_field=models.CharField(max_length=10),
            )
        )

    def bookable(self, now=None):
        """Sessions ``book()`` accepts one person for at ``now`` (a place left or a waiting
        list), of public activities that take bookings. The public list's and the API's
        ``bookable`` filter."""
        # ``with_booking_state`` in {OPEN, WAITLIST}, written out as plain conditions (the
        # window, and a place left or a waiting list a place could free up for) so the planner
        # can estimate them.
        now = now or timezone.now()
        return self.filter(
            booking_window_q(now),
            Q(places_taken__lt=models.F("capacity"))
            | Q(activity__waitlist_enabled=True, capacity__gt=0),
            activity__in=Activity.objects.taking_bookings(),
        )


class Session(models.Model):
    """One occurrence (场次) of an activity, with its capacity and booking window."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("Expected or allowed number of people; 0 for no on-site places.")
    )
    booking_opens_at = models.DateTimeField(_("booking opens"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("booking closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=120, blank=True)
    # Kept by the bookings service under this row's lock: places held by confirmed bookings.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    booking_closed = models.BooleanField(_("booking closed by the organiser"), default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(booking_closes_at__isnull=True)
                | Q(booking_opens_at__isnull=True)
                | Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="session_booking_window_ordered",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    def booking_window_open(self, now) -> bool:
        """The Python half of ``booking_window_q``."""
        return (
            not self.booking_closed
            and now < self.starts_at
            and (self.booking_opens_at is None or self.booking_opens_at <= now)
            and (self.booking_closes_at is None or now < self.booking_closes_at)
        )

    def booking_state(self, now=None) -> SessionBookingState:
        """The one rule for what a visitor can do now (``SessionBookingState``); the same rule in
        SQL is ``Session.objects.with_booking_state``. Reads ``activity.waitlist_enabled``, so
        load the activity with the session."""
        now = now or timezone.now()
        S = SessionBookingState
        if self.booking_window_open(now):
            if self.places_left > 0:
                return S.OPEN
            # No places at all: no waiting list could ever be reached (``book`` says no_places).
            return S.WAITLIST if self.activity.waitlist_enabled and self.capacity else S.FULL
        if (
            not self.booking_closed
            and now < self.starts_at
            and self.booking_opens_at is not None
            and now < self.booking_opens_at
        ):
            return S.NOT_YET
        return S.CLOSED


def _document_path(instance, filename: str) -> str:
    return f"activities/{instance.activity_id}/{instance.storage_key}"


class ActivityDocument(TimeStampedModel):
    """A plan attached to an activity (safety plan, emergency plan, other). Private file."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(storage=private_storage, upload_to=_document_path, max_length=255)
    storage_key = models.CharField(max_length=64, editable=False, default="")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity document")
        verbose_name_plural = _("activity documents")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def new_key(extension: str) -> str:
        return f"{uuid.uuid4().hex}.{extension}"


class MediaCoverage(models.Model):
    """A media report about an activity (outlet, title, link, date)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="coverage")
    outlet = models.CharField(_("outlet"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    published_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("media report")
        verbose_name_plural = _("media coverage")
        ordering = ["-published_on", "id"]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title}"


class ActivityChange(TimeStampedModel):
    """A change to a published activity's time, venue or booking rules, proposed by its host and
    applied when its reviewer (the area's, or the city's for a unit in no area) approves it.

    ``fields``: ``{activity field: new value}`` (JSON values); ``sessions``: ``{session id:
    {"starts_at": iso, "ends_at": iso}}``; ``before``: the values they replace, for the history.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="changes")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ChangeState.choices,
        default=ChangeState.PROPOSED,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    fields = models.JSONField(_("proposed values"), default=dict, blank=True)
    sessions = models.JSONField(_("session changes"), default=dict, blank=True)
    before = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("why"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity change")
        verbose_name_plural = _("activity changes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(state="proposed"),
                name="activity_change_one_pending",
            )
        ]

    def __str__(self) -> str:
        return str(self.activity)

    @property
    def is_proposed(self) -> bool:
        return self.state == ChangeState.PROPOSED

    def lines(self) -> list[tuple[str, object, object]]:
        """(what, before, after) for each proposed value, as a reviewer reads them."""
        before = self.before.get("fields", {})
        rows = [
            (Activity._meta.get_field(name).verbose_name, _shown(before.get(name)), _shown(value))
            for name, value in self.fields.items()
        ]
        moved = self.before.get("sessions", {})
        for pk, times in self.sessions.items():
            was = moved.get(pk, {})
            rows.append((
                _("session"),
                f"{_short(was.get('starts_at'))}–{_short(was.get('ends_at'))[11:]}",
                f"{_short(times['starts_at'])}–{_short(times['ends_at'])[11:]}",
            ))  # fmt: skip
        return rows

    @property
    def changes_time(self) -> bool:
        return bool(self.sessions)

    @property
    def changes_venue(self) -> bool:
        return any(name in self.fields for name in VENUE_FIELDS)


def _short(iso: str | None) -> str:
    # "2031-05-22T14:30+08:00" → "2031-05-22 14:30"
    return (iso or "")[:16].replace("T", " ")


def _shown(value) -> object:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "—" if value in (None, "") else value
