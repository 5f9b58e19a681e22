from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Lapsed (booking closed)")


# A person holds at most one booking per session among these.
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.WAITING)


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan", _("Mainland travel permit for Taiwan residents")
    FOREIGN_RESIDENCE = "foreign_residence", _("Foreign permanent resident ID card")


class CheckInResult(models.TextChoices):
    OK = "ok", _("Checked in")
    ALREADY = "already", _("Already checked in")
    WRONG_SESSION = "wrong_session", _("Ticket for another session")
    CANCELLED = "cancelled", _("Booking cancelled")
    WAITING = "waiting", _("Still on the waiting list")
    UNKNOWN = "unknown", _("Unknown ticket")
    OUTSIDE_WINDOW = "outside_window", _("Outside the check-in time")
    NOT_CONFIRMED = "not_confirmed", _("Invitation not confirmed")


class CancelledBy(models.TextChoices):
    BOOKER = "booker", _("The booker")
    ORGANISER = "organiser", _("The organiser")
    ACTIVITY = "activity", _("The activity was cancelled")


class BookingSource(models.TextChoices):
    ONLINE = "online", _("Booked in advance")
    WALK_IN = "walk_in", _("Walk-in admitted at the gate")


class GateLookupKind(models.TextChoices):
    """How the gate looked a visitor up (audited; the value typed is never logged)."""

    ID_NUMBER = "id_number", _("ID number")
    MOBILE = "mobile", _("Mobile number")
    NAME = "name", _("Name")
