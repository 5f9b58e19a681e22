"""Audit actions written for bookings and for a session's booking by its organisers."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "booking.cancel": _("Booking cancelled"),
    "booking.ticket_resent": _("E-ticket link sent again to the booker's mobile at the gate"),
    "booking.check_in_override": _("Ticket checked in outside the check-in time (override)"),
    "booking.gate_lookup": _("Visitor looked up at the gate"),
    "booking.walk_in": _("Walk-in admitted at the gate"),
    "booking.export_unmasked": _("Booking list exported with full contact details"),
    "session.capacity": _("Session capacity changed"),
    "session.close_booking": _("Booking closed for a session"),
    "session.reopen_booking": _("Booking reopened for a session"),
    "session.cancel_bookings": _("All bookings of a session cancelled"),
}
