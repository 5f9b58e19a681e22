from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_AREA = "pending_area", _("Awaiting area review")
    PENDING_CITY = "pending_city", _("Awaiting city review")
    RETURNED = "returned", _("Returned for revision")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class Mode(models.TextChoices):
    OFFLINE = "offline", _("Offline")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Online and offline")


class Audience(models.TextChoices):
    PUBLIC = "public", _("General public")
    STUDENTS = "students", _("Students")
    TEACHERS = "teachers", _("Teachers")
    CHILDREN = "children", _("Children and families")
    FARMERS = "farmers", _("Farmers")
    RESIDENTS = "residents", _("Community residents")
    ENTERPRISE_STAFF = "enterprise_staff", _("Enterprise staff")
    SCIENTISTS = "scientists", _("S&T workers")
    SENIORS = "seniors", _("Seniors")
    OFFICIALS = "officials", _("Civil servants")


class SessionBookingState(models.TextChoices):
    """What a visitor can do with one session now. ``Session.booking_state()`` is the rule in
    Python and ``Session.objects.with_booking_state()`` the same rule in SQL; a property test
    keeps them in agreement. The values are part of the pages (``data-booking-state``)."""

    NOT_YET = "not_yet", _("Booking not open yet")
    OPEN = "open", _("Booking open")
    WAITLIST = "waitlist", _("Full — waiting list available")
    FULL = "full", _("Full")
    CLOSED = "closed", _("Booking closed")

    @property
    def window_open(self) -> bool:
        """The booking window is open (not closed by hand, not started, between opening and
        closing); whether a party fits is decided under the session's lock."""
        return self in WINDOW_OPEN_STATES

    @property
    def takes_bookings(self) -> bool:
        """``book()`` accepts one person: a place is left or the waiting list takes names."""
        return self in BOOKABLE_STATES

    # Pages ask these rather than compare state strings.
    @property
    def is_not_yet(self) -> bool:
        return self == SessionBookingState.NOT_YET

    @property
    def is_open(self) -> bool:
        return self == SessionBookingState.OPEN

    @property
    def is_waitlist(self) -> bool:
        return self == SessionBookingState.WAITLIST

    @property
    def is_full(self) -> bool:
        return self == SessionBookingState.FULL


WINDOW_OPEN_STATES = frozenset(
    {SessionBookingState.OPEN, SessionBookingState.WAITLIST, SessionBookingState.FULL}
)
BOOKABLE_STATES = frozenset({SessionBookingState.OPEN, SessionBookingState.WAITLIST})


class PermitLevel(models.TextChoices):
    """The level of the police authority that issued a large event's permit (国务院令第505号):
    the county (district) police below ``CITY_POLICE_THRESHOLD`` people, the city police from it."""

    COUNTY = "county", _("County or district police (区县公安机关)")
    CITY = "city", _("City police (市公安局)")


class DocumentKind(models.TextChoices):
    SAFETY_PLAN = "safety_plan", _("Safety plan")
    EMERGENCY_PLAN = "emergency_plan", _("Emergency plan")
    POLICE_PERMIT = "police_permit", _("Police permit (scan)")
    OTHER = "other", _("Other document")


# The notice's kinds of activity, seeded into each new edition's category list.
DEFAULT_CATEGORIES = [
    ("countryside", "科技下乡"),
    ("community", "科普进社区"),
    ("school", "科普进校园"),
    ("enterprise", "科普进企业"),
    ("youth", "青少年科普"),
    ("open_day", "开放日"),
    ("lecture", "讲座"),
    ("exhibition", "展览"),
    ("contest", "竞赛"),
    ("science_night", "科学之夜"),
    ("scientist_spirit", "科学家精神主题展"),
    ("workers_day", "全国科技工作者日"),
    ("online", "线上活动"),
    ("launch", "启动仪式"),
    ("other", "其他"),
]

# The one place for the large-event thresholds (PRODUCT.md, 国务院令第505号): from this many people
# (in a session, expected, or over a day's sessions at the venue) an activity is a large mass event.
LARGE_EVENT_THRESHOLD = 1000
# From this many, the permit comes from the city police rather than the county (district) police.
CITY_POLICE_THRESHOLD = 5000


class ChangeState(models.TextChoices):
    """A change to a published activity's time, venue or booking rules, awaiting its reviewer."""

    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What a published activity may change only with its reviewer's approval (time is the sessions').
VENUE_FIELDS = ("mode", "venue_name", "address", "latitude", "longitude")
BOOKING_RULE_FIELDS = (
    "booking_required",
    "real_name_required",
    "id_number_required",
    "waitlist_enabled",
    "max_group_size",
)
# Small corrections a host makes at once on a published activity, with an audit entry.
CORRECTION_FIELDS = ("title", "summary", "description")
