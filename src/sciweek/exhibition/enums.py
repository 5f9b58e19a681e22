from django.db import models
from django.utils.translation import gettext_lazy as _


class GuestCategoryKind(models.TextChoices):
    CITY_LEADER = "city_leader", _("City leaders")
    THREE_DEPARTMENTS = "three_departments", _("The three departments")
    AREA_HEAD = "area_head", _("Area heads")
    ENTERPRISE = "enterprise", _("Enterprise S&T workers")
    STUDENT = "student", _("Students")
    MEDIA = "media", _("News media")
    OTHER = "other", _("Others")


# Leaders are entered by the organiser, never named by an area (issue 14).
ORGANISER_ONLY_KINDS = frozenset(
    {GuestCategoryKind.CITY_LEADER, GuestCategoryKind.THREE_DEPARTMENTS}
)


class GuestState(models.TextChoices):
    INVITED = "invited", _("Not answered")
    ATTENDING = "attending", _("Attending")
    DECLINED = "declined", _("Declined")
    SUBSTITUTED = "substituted", _("Sends a substitute")
    CHECKED_IN = "checked_in", _("Arrived")


class GuestAction(models.TextChoices):
    ATTEND = "attend", _("Attend")
    DECLINE = "decline", _("Will not attend")
    SUBSTITUTE = "substitute", _("Send a substitute")
    CHECK_IN = "check_in", _("Check in")


ANSWERABLE = (GuestState.INVITED, GuestState.ATTENDING, GuestState.DECLINED, GuestState.SUBSTITUTED)
GUEST_TRANSITIONS: dict[str, dict[str, str]] = {
    # An answer may be changed until the deadline.
    GuestAction.ATTEND: dict.fromkeys(ANSWERABLE, GuestState.ATTENDING),
    GuestAction.DECLINE: dict.fromkeys(ANSWERABLE, GuestState.DECLINED),
    GuestAction.SUBSTITUTE: dict.fromkeys(ANSWERABLE, GuestState.SUBSTITUTED),
    GuestAction.CHECK_IN: {
        GuestState.ATTENDING: GuestState.CHECKED_IN,
        GuestState.SUBSTITUTED: GuestState.CHECKED_IN,
    },
}
COMING_STATES = frozenset({GuestState.ATTENDING, GuestState.SUBSTITUTED, GuestState.CHECKED_IN})


class Strategy(models.TextChoices):
    YELLOW_RIVER = (
        "yellow_river",
        _("Yellow River ecological protection and high-quality development"),
    )
    GREEN_LOW_CARBON = "green_low_carbon", _("Green low-carbon high-quality development pilot zone")
    OTHER = "other", _("Other")


class ExhibitState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AT_AREA = "at_area", _("Awaiting the area's approval")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    SELECTED = "selected", _("Selected")
    DECLINED = "declined", _("Not selected")


class ExhibitAction(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    AREA_APPROVE = "area_approve", _("Approve for the city")
    AREA_RETURN = "area_return", _("Return to the unit")
    SELECT = "select", _("Select for the exhibition")
    RETURN = "return", _("Return for revision")
    DECLINE = "decline", _("Decline")


# A unit's exhibit waits for its area's approval first; one submitted by an area itself or by a
# city department (no area) is routed straight to the city (``workflow._route``).
EXHIBIT_TRANSITIONS: dict[str, dict[str, str]] = {
    ExhibitAction.SUBMIT: {
        ExhibitState.DRAFT: ExhibitState.AT_AREA,
        ExhibitState.RETURNED: ExhibitState.AT_AREA,
    },
    ExhibitAction.AREA_APPROVE: {ExhibitState.AT_AREA: ExhibitState.SUBMITTED},
    ExhibitAction.AREA_RETURN: {ExhibitState.AT_AREA: ExhibitState.RETURNED},
    ExhibitAction.SELECT: {ExhibitState.SUBMITTED: ExhibitState.SELECTED},
    ExhibitAction.RETURN: {ExhibitState.SUBMITTED: ExhibitState.RETURNED},
    ExhibitAction.DECLINE: {ExhibitState.SUBMITTED: ExhibitState.DECLINED},
}
EXHIBIT_EDITABLE = frozenset({ExhibitState.DRAFT, ExhibitState.RETURNED})


class JuryScale(models.IntegerChoices):
    TEN = 10, _("0 to 10")
    HUNDRED = 100, _("0 to 100")


# The criteria a new jury starts with (issue 14): name, weight in per cent.
DEFAULT_CRITERIA = (("创新性", 40), ("科普性", 30), ("展示效果", 30))


class ExhibitMediaKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")


# Per exhibit: enough to show it, a bound so a booth page stays light (issue 14).
EXHIBIT_MEDIA_LIMITS = {ExhibitMediaKind.PHOTO: 6, ExhibitMediaKind.VIDEO: 1}
EXHIBIT_VIDEO_MAX_SECONDS = 180
