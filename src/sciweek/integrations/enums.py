"""The stable names an integration is written against: API client scopes and webhook events.
They are part of the API's contract (docs/api.md): add new ones, never rename."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read everything the organisation may see")
    ACTIVITIES_WRITE = "activities:write", _("File and change activities")
    BOOKINGS = "bookings", _("Book places and read a session's bookings")
    CHECKIN = "checkin", _("Check visitors in")
    REPORTS = "reports", _("Write area summaries and reports")


class EventKind(models.TextChoices):
    ACTIVITY_SUBMITTED = "activity.submitted", _("Activity submitted")
    ACTIVITY_RETURNED = "activity.returned", _("Activity returned for revision")
    ACTIVITY_PUBLISHED = "activity.published", _("Activity published")
    ACTIVITY_CANCELLED = "activity.cancelled", _("Activity cancelled")
    SESSION_CHANGED = "session.changed", _("Sessions changed")
    BOOKING_CONFIRMED = "booking.confirmed", _("Booking confirmed")
    BOOKING_WAITING = "booking.waiting", _("Booking on the waiting list")
    BOOKING_PROMOTED = "booking.promoted", _("Booking promoted from the waiting list")
    BOOKING_CANCELLED = "booking.cancelled", _("Booking cancelled")
    BOOKING_CHECKED_IN = "booking.checked_in", _("Visitor checked in")
    NOTICE_PUBLISHED = "notice.published", _("Notice published")
    NOTICE_ACKNOWLEDGED = "notice.acknowledged", _("Notice acknowledged")
    SUMMARY_SUBMITTED = "summary.submitted", _("Summary submitted")
    SUMMARY_RETURNED = "summary.returned", _("Summary returned")
    SUMMARY_ACCEPTED = "summary.accepted", _("Summary accepted")
    COMPILATION_READY = "compilation.ready", _("Compiled report ready")
