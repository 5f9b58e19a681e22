"""A booking's life, declared once (see ``common.workflow``).

Creation is not a move: ``services.book`` gives a new booking its first state (confirmed, or
waiting when the session is full) under the session's lock. After that, every change of status
goes through ``BOOKING``. Checking in keeps the booking confirmed and stamps the time: the
status a booking shows the API and its owner stays "confirmed", and a checked-in booking keeps
its place.

Every move is made by a caller that already holds the session's (or, at the gate, the
booking's) row lock and has decided who may act (a ticket's secret, a gate permission), so the
table has no permissions of its own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sciweek.common.errors import ServiceError
from sciweek.common.workflow import Workflow
from sciweek.notifications.services import queue_email, queue_sms

from .enums import BookingStatus as S


class BookingAction(models.TextChoices):
    PROMOTE = "promote", _("Give a place from the waiting list")
    CANCEL = "cancel", _("Cancel the booking")
    # The session or the activity is called off: every active booking goes, checked in or not.
    CALL_OFF = "call_off", _("Cancel with the session")
    LAPSE = "lapse", _("Lapse")
    CHECK_IN = "check_in", _("Check in")


TRANSITIONS: dict[str, dict[str, str]] = {
    BookingAction.PROMOTE: {S.WAITING: S.CONFIRMED},
    BookingAction.CANCEL: {S.CONFIRMED: S.CANCELLED, S.WAITING: S.CANCELLED},
    BookingAction.CALL_OFF: {S.CONFIRMED: S.CANCELLED, S.WAITING: S.CANCELLED},
    BookingAction.LAPSE: {S.WAITING: S.LAPSED},
    BookingAction.CHECK_IN: {S.CONFIRMED: S.CONFIRMED},
}


def tell(booking, kind: str, *, sms: bool = False) -> None:
    """Queue the email for ``kind`` (confirmed, waiting, promoted, cancelled, lapsed, changed);
    with ``sms``, a short text to the booker's mobile as well (``bookings/sms/<kind>``), for news
    that must reach someone who may not read mail before setting out: a new time or venue, a
    session called off."""
    context = {"booking": booking, "session": booking.session, "activity": booking.session.activity}
    if booking.email:
        queue_email(
            kind=f"booking.{kind}",
            to=[booking.email],
            template=f"bookings/email/{kind}",
            context=context,
        )
    if sms and booking.phone:
        queue_sms(
            kind=f"booking.{kind}", to=[booking.phone], template=f"bookings/sms/{kind}",
            context=context,
        )  # fmt: skip


def _not_checked_in(booking) -> None:
    if booking.checked_in_at:
        raise ServiceError(
            _g("A booking that has checked in cannot be cancelled."), code="checked_in"
        )


def _not_yet_checked_in(booking) -> None:
    if booking.checked_in_at:
        raise ServiceError(_g("This ticket has already been checked in."), code="already")


def _not_allowed(booking, action: str) -> ServiceError:
    if action in (BookingAction.CANCEL, BookingAction.CALL_OFF):
        return ServiceError(_g("This booking is already cancelled."), code="not_active")
    return ServiceError(
        _g("“%(action)s” is not possible for a booking that is “%(state)s”.")
        % {"action": BookingAction(action).label, "state": booking.get_status_display()},
        code="transition_not_allowed",
    )


BOOKING = Workflow(
    name="booking",
    model="bookings.Booking",
    field="status",
    states=S,
    actions=BookingAction,
    transitions=TRANSITIONS,
    permissions=dict.fromkeys(BookingAction.values),
    system_actions=frozenset(BookingAction.values),
    checks={BookingAction.CANCEL: [_not_checked_in], BookingAction.CHECK_IN: [_not_yet_checked_in]},
    timestamps={
        BookingAction.PROMOTE: ["promoted_at", "confirmed_at"],
        BookingAction.CANCEL: ["cancelled_at"],
        BookingAction.CALL_OFF: ["cancelled_at"],
        BookingAction.CHECK_IN: ["checked_in_at"],
    },
    related=("session", "session__activity"),
    # One entry when an organiser cancels one booking, on the activity's history; the booker's
    # own cancellation and the system's moves are not the office's actions.
    audit_actions=frozenset({BookingAction.CANCEL}),
    audit_system=False,
    audit_changes=False,
    audit_object=lambda booking: booking.session.activity,
    audit_repr=lambda booking: f"{booking.session.activity} · {booking.code}",
    audit_organization=lambda booking: booking.session.activity.host_id,
    effects={
        BookingAction.PROMOTE: [lambda move: tell(move.obj, "promoted")],
        BookingAction.CANCEL: [lambda move: tell(move.obj, "cancelled")],
        BookingAction.CALL_OFF: [lambda move: tell(move.obj, "cancelled", sms=True)],
        BookingAction.LAPSE: [lambda move: tell(move.obj, "lapsed")],
    },
    tones={
        S.CONFIRMED: "success",
        S.WAITING: "warning",
        S.CANCELLED: "secondary",
        S.LAPSED: "secondary",
    },
    not_allowed=_not_allowed,
)
