"""The gate's visitors without a booking: walk-ins admitted into free places, and the tally of
visitors at sessions nobody books.

A walk-in is a booking like any other (``Booking.source`` ``walk_in``): the same checks of what was
typed (real-name ID check digit, consents, group size), the same places through ``services.book``
and the edition's fair-use rules; it is admitted during the check-in time only and checked in at
once, so the gate's counts and the week's statistics count it with the other check-ins.

A tally is for sessions of activities that take no bookings (科技下乡, outdoor events): each press
(+1, +N, −1) is a ``GateTally`` row with who pressed it and when; the session's visitors are their
sum, never below zero (decided under the session's row lock).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.activities.models import Session
from sciweek.audit import writer as audit
from sciweek.common.errors import Conflict, ServiceError

from . import checkin_sync, services
from .enums import BookingSource, BookingStatus, CheckInResult
from .models import Booking, GateTally
from .validation import BookingRequest

# The largest single press: a coach of visitors counted at once.
MAX_TALLY_STEP = 200


def walk_in_admit(*, session: Session, data: BookingRequest, by) -> Booking:
    """Admit a visitor without a booking into a free place, checked in at once.

    Refusals: everything ``services.book`` refuses (field errors, ``full``, ``one_per_day`` …),
    and ``outside_window`` outside the session's check-in time. Side effects: the booking's
    confirmation to the visitor's phone or email (their e-ticket), the audit entry
    ``booking.walk_in``."""
    opens, closes = services.checkin_window(session)
    now = timezone.now()
    if not (opens <= now <= closes):
        raise Conflict(
            _("Walk-ins are admitted during the check-in time only (%(opens)s–%(closes)s).")
            % {
                "opens": timezone.localtime(opens).strftime("%H:%M"),
                "closes": timezone.localtime(closes).strftime("%H:%M"),
            },
            code="outside_window",
        )
    with transaction.atomic():
        booking = services.book(session=session, data=data, source=BookingSource.WALK_IN)
        if booking.status != BookingStatus.CONFIRMED:  # never: walk-ins do not wait
            raise Conflict(_("Sorry, this session is full."), code="full")
        # Recorded in the scan history like every other admission at the gate.
        outcome = checkin_sync.scan_online(session=session, code=booking.code, by=by)
        if not outcome.ok:
            raise Conflict(str(CheckInResult(outcome.result).label), code=outcome.result)
        activity = session.activity
        audit.record(
            actor=by,
            action="booking.walk_in",
            obj=activity,
            object_repr=f"{activity} · {session}",
            after={"session": session.pk, "booking": booking.pk, "people": booking.party_size},
            organization_id=activity.host_id,
        )
    return outcome.booking


def tally_total(session: Session) -> int:
    return GateTally.objects.filter(session=session).aggregate(n=Sum("delta"))["n"] or 0


def tally_add(*, session: Session, delta: int, by) -> int:
    """Add ``delta`` (±1 … ±MAX_TALLY_STEP) visitors to the session's tally; returns the new total.

    Refused (``invalid_step``) for 0 or a step too large, and (``below_zero``) when it would take
    the count below zero. The row lock on the session makes two gate phones pressing at once
    add up exactly."""
    if not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_TALLY_STEP:
        raise ServiceError(
            _("Count between 1 and %(n)d visitors at a time.") % {"n": MAX_TALLY_STEP},
            code="invalid_step",
        )
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        total = tally_total(session)
        if total + delta < 0:
            raise ServiceError(
                _("The count cannot go below zero."),
                code="below_zero",
            )
        GateTally.objects.create(session=session, delta=delta, by=by)
    return total + delta
