"""Bookings: capacity, the waiting list, cancellation and check-in.

Every decision about places is made inside one transaction holding the session row's lock
(``SELECT … FOR UPDATE``, or a conditional ``UPDATE`` of the row for the common case of a booking
that fits, on PostgreSQL; SQLite's write lock, taken at BEGIN IMMEDIATE), and the
database backs it with constraints: one active booking per person and session, positive party
sizes, a non-negative count of places taken. So it stays correct with any number of processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.activities.models import Session
from sciweek.common import audit
from sciweek.common.crypto import encrypt, keyed_hash
from sciweek.common.errors import Conflict, ServiceError
from sciweek.common.masking import mask_id_number
from sciweek.common.validators import normalize_mobile
from sciweek.notifications.services import queue_email

from .enums import ACTIVE_STATUSES, BookingStatus, CancelledBy, CheckInResult
from .models import Booking, ConsentText
from .purge import purge_personal_data  # noqa: F401  (one name for tasks and the command)
from .validation import BookingRequest, field_errors, normalize_id_number, person_identity


def _locked_session(session_id: int) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("activity")
        .get(pk=session_id)
    )


def _tell(booking: Booking, kind: str) -> None:
    """Queue the email for ``kind`` (confirmed, waiting, promoted, cancelled, lapsed)."""
    if booking.email:
        queue_email(
            kind=f"booking.{kind}",
            to=[booking.email],
            template=f"bookings/email/{kind}",
            context={
                "booking": booking,
                "session": booking.session,
                "activity": booking.session.activity,
            },
        )


def _consent_version(kind: str) -> int | None:
    return (
        ConsentText.objects.filter(kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


def book(*, session: Session, data: BookingRequest) -> Booking:
    """Book ``data.party_size`` places in ``session``, or join its waiting list.

    Refusals: field errors (ServiceError with a dict, status 400); ``booking_closed``,
    ``already_booked`` and ``full`` (Conflict, 409). Side effect: the confirmation or waiting-list
    email through the outbox when an address was given.
    """
    activity = session.activity
    if not activity.booking_required or not activity.is_public:
        raise Conflict(_("This session does not take bookings."), code="booking_not_offered")
    if errors := field_errors(activity, data):
        raise ServiceError(errors)
    person_key = keyed_hash(person_identity(activity, data))
    id_number = normalize_id_number(data.id_number) if activity.id_number_required else ""
    # Everything that needs no lock is done before taking it: the session row's lock serialises
    # every booking of the session, so each query inside it costs the whole queue a round trip.
    # The state is checked again under the lock; a duplicate that races past this check is
    # stopped by the unique constraint below.
    if session.booking_state() != "open":
        raise Conflict(_("Booking for this session is closed."), code="booking_closed")
    if Booking.objects.filter(
        session=session, person_key=person_key, status__in=ACTIVE_STATUSES
    ).exists():
        raise Conflict(
            _("This person already has a booking for this session."), code="already_booked"
        )
    booking = Booking(
        session=session,
        name=data.name.strip(),
        phone=normalize_mobile(data.phone),
        email=(data.email or "").strip(),
        id_type=(data.id_type or "resident_id") if id_number else "",
        id_number_encrypted=encrypt(id_number) if id_number else "",
        id_number_masked=mask_id_number(id_number) if id_number else "",
        person_key=person_key,
        party_size=data.party_size,
        group_name=(data.group_name or "").strip(),
        is_minor=data.is_minor,
        guardian_name=(data.guardian_name or "").strip(),
        consent_version=_consent_version(ConsentText.Kind.PERSONAL_DATA),
        id_consent_version=_consent_version(ConsentText.Kind.ID_NUMBER) if id_number else None,
        guardian_consent_version=_consent_version(ConsentText.Kind.GUARDIAN)
        if data.is_minor
        else None,
    )
    try:
        with transaction.atomic():
            now = timezone.now()
            # The common case in one statement: take the places if booking is open and they
            # fit. The UPDATE locks the session row until commit, and PostgreSQL evaluates the
            # condition again on the row as it is once the lock is granted.
            taken = Session.objects.filter(
                Q(booking_opens_at__isnull=True) | Q(booking_opens_at__lte=now),
                Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now),
                pk=session.pk,
                booking_closed=False,
                starts_at__gt=now,
                places_taken__lte=F("capacity") - data.party_size,
            ).update(places_taken=F("places_taken") + data.party_size)
            if taken:
                booking.status = BookingStatus.CONFIRMED
                booking.confirmed_at = now
            else:
                # Closed, or no room: decide under the row lock why.
                session = _locked_session(session.pk)
                if session.booking_state() != "open":
                    raise Conflict(_("Booking for this session is closed."), code="booking_closed")
                if data.party_size <= session.capacity - session.places_taken:
                    booking.status = BookingStatus.CONFIRMED
                    booking.confirmed_at = timezone.now()
                    Session.objects.filter(pk=session.pk).update(
                        places_taken=F("places_taken") + data.party_size
                    )
                elif session.activity.waitlist_enabled:
                    booking.status = BookingStatus.WAITING
                else:
                    raise Conflict(_("Sorry, this session is full."), code="full")
                booking.session = session
            # The same person booking twice at once: the check above passed for both, the
            # unique constraint (one active booking per person and session) stops the second
            # here, and the whole transaction, places included, is rolled back.
            booking.save(force_insert=True)
            _tell(booking, "confirmed" if booking.status == BookingStatus.CONFIRMED else "waiting")
    except IntegrityError as exc:
        raise Conflict(
            _("This person already has a booking for this session."), code="already_booked"
        ) from exc
    return booking


def waiting_position(booking: Booking) -> int | None:
    """1 for the first in line; None when not waiting."""
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = Booking.objects.filter(
        session_id=booking.session_id, status=BookingStatus.WAITING
    ).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def _promote(session: Session) -> list[Booking]:
    """Move the first waiting entries that fit into freed places, in order. The caller holds the
    session's lock, so each entry is promoted exactly once."""
    if session.booking_state() != "open":
        return []
    session.refresh_from_db(fields=["places_taken", "capacity"])
    free = session.capacity - session.places_taken
    promoted = []
    if free <= 0:
        return promoted
    now = timezone.now()
    for booking in Booking.objects.filter(session=session, status=BookingStatus.WAITING).order_by(
        "created_at", "id"
    ):
        if free <= 0:
            break
        if booking.party_size > free:
            continue
        booking.status = BookingStatus.CONFIRMED
        booking.promoted_at = booking.confirmed_at = now
        booking.save(update_fields=["status", "promoted_at", "confirmed_at"])
        free -= booking.party_size
        promoted.append(booking)
    if promoted:
        taken = sum(b.party_size for b in promoted)
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + taken)
        for booking in promoted:
            booking.session = session
            _tell(booking, "promoted")
    return promoted


def _cancel_locked(booking: Booking, *, by: str, reason: str, now: datetime) -> None:
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.cancel_reason = reason[:200]
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    if was_confirmed:
        Session.objects.filter(pk=booking.session_id).update(
            places_taken=F("places_taken") - booking.party_size
        )


def booking_cancel(
    *, booking: Booking, by: str = CancelledBy.BOOKER, actor=None, reason: str = ""
) -> list[Booking]:
    """Cancel one booking and give its places to the waiting list. Returns the promoted bookings.

    Refused for a booking already cancelled or checked in.
    """
    with transaction.atomic():
        session = _locked_session(booking.session_id)
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if not booking.is_active:
            raise ServiceError(_("This booking is already cancelled."), code="not_active")
        if booking.checked_in_at:
            raise ServiceError(
                _("A booking that has checked in cannot be cancelled."), code="checked_in"
            )
        _cancel_locked(booking, by=by, reason=reason, now=timezone.now())
        booking.session = session
        _tell(booking, "cancelled")
        if actor is not None:
            audit.record(actor=actor, action="booking.cancel", obj=session.activity,
                         object_repr=f"{session.activity} · {booking.code}", reason=reason,
                         organization_id=session.activity.host_id)  # fmt: skip
        return _promote(session)


def cancel_session_bookings(
    *, session: Session, reason: str, by, cancelled_by: str = CancelledBy.ORGANISER
) -> int:
    """Cancel every active booking of a session (the organiser's "cancel this session"), closing
    booking so nobody books again; everyone is told. Returns how many were cancelled."""
    if not reason.strip():
        raise ServiceError(
            _("Give a reason; it is sent to everyone booked."), code="reason_required"
        )
    with transaction.atomic():
        session = _locked_session(session.pk)
        now = timezone.now()
        count = 0
        for booking in Booking.objects.filter(session=session, status__in=ACTIVE_STATUSES).order_by(
            "id"
        ):
            _cancel_locked(booking, by=cancelled_by, reason=reason, now=now)
            booking.session = session
            _tell(booking, "cancelled")
            count += 1
        Session.objects.filter(pk=session.pk).update(booking_closed=True)
        if by is not None:
            audit.record(actor=by, action="session.cancel_bookings", obj=session.activity,
                         after={"session": str(session), "cancelled": count}, reason=reason,
                         organization_id=session.activity.host_id)  # fmt: skip
    return count


def session_set_capacity(*, session: Session, capacity: int, by) -> list[Booking]:
    """Change a session's capacity; raising it promotes from the waiting list at once."""
    if capacity < 0:
        raise ServiceError(_("Capacity cannot be negative."), code="invalid_capacity")
    with transaction.atomic():
        session = _locked_session(session.pk)
        if capacity < session.places_taken:
            raise ServiceError(
                _(
                    "%(n)d places are already taken; cancel bookings before lowering the capacity below that."
                )
                % {"n": session.places_taken},
                code="below_taken",
            )
        before = session.capacity
        Session.objects.filter(pk=session.pk).update(capacity=capacity)
        session.capacity = capacity
        audit.record(actor=by, action="session.capacity", obj=session.activity,
                     before={"capacity": before}, after={"capacity": capacity},
                     object_repr=f"{session.activity} · {session}",
                     organization_id=session.activity.host_id)  # fmt: skip
        return _promote(session)


def session_set_booking_closed(*, session: Session, closed: bool, by) -> None:
    with transaction.atomic():
        session = _locked_session(session.pk)
        Session.objects.filter(pk=session.pk).update(booking_closed=closed)
        audit.record(actor=by, action="session.close_booking" if closed else "session.reopen_booking",
                     obj=session.activity, object_repr=f"{session.activity} · {session}",
                     organization_id=session.activity.host_id)  # fmt: skip
        if not closed:
            session.booking_closed = False
            _promote(session)


def lapse_waiting(*, now: datetime | None = None) -> int:
    """Waiting entries lapse once their session's booking has closed; each is told once."""
    now = now or timezone.now()
    count = 0
    sessions = Session.objects.filter(bookings__status=BookingStatus.WAITING).distinct()
    for session_id in sessions.values_list("pk", flat=True):
        with transaction.atomic():
            session = _locked_session(session_id)
            if session.booking_state(now) != "closed":
                continue
            for booking in Booking.objects.filter(session=session, status=BookingStatus.WAITING):
                booking.status = BookingStatus.LAPSED
                booking.save(update_fields=["status"])
                booking.session = session
                _tell(booking, "lapsed")
                count += 1
    return count


@dataclass(frozen=True)
class CheckInOutcome:
    result: str
    booking: Booking | None = None
    when: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.result == CheckInResult.OK


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]


def check_in(*, session: Session, code: str, by) -> CheckInOutcome:
    """Check a ticket in at ``session``'s gate. Idempotent: the second scan answers ``already``
    with the time of the first; nothing else changes."""
    code = normalize_code(code)
    if not code:
        return CheckInOutcome(CheckInResult.UNKNOWN)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("session", "session__activity")
            .filter(code=code)
            .first()
        )
        if booking is None:
            return CheckInOutcome(CheckInResult.UNKNOWN)
        if booking.session_id != session.pk:
            # Only a ticket for another session of the same activity (same venue) says which
            # one; of another venue's ticket this gate learns nothing (holder, party, session).
            same_activity = booking.session.activity_id == session.activity_id
            return CheckInOutcome(CheckInResult.WRONG_SESSION, booking if same_activity else None)
        if booking.status in (BookingStatus.CANCELLED, BookingStatus.LAPSED):
            return CheckInOutcome(CheckInResult.CANCELLED, booking, booking.cancelled_at)
        if booking.status == BookingStatus.WAITING:
            return CheckInOutcome(CheckInResult.WAITING, booking)
        if booking.checked_in_at:
            return CheckInOutcome(CheckInResult.ALREADY, booking, booking.checked_in_at)
        booking.checked_in_at = timezone.now()
        booking.checked_in_by = by if getattr(by, "is_authenticated", False) else None
        booking.save(update_fields=["checked_in_at", "checked_in_by"])
        return CheckInOutcome(CheckInResult.OK, booking, booking.checked_in_at)
