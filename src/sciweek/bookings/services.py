"""Bookings: capacity, the waiting list, cancellation and check-in.

Every decision that gives places is made inside one transaction holding the session row's lock
(``SELECT … FOR UPDATE``, or a conditional ``UPDATE`` of the row for the common case of a booking
that fits, on PostgreSQL; SQLite's write lock, taken at BEGIN IMMEDIATE), and the
database backs it with constraints: one active booking per person and session, positive party
sizes, a non-negative count of places taken. So it stays correct with any number of processes.

The session row is the hot spot of a popular session, so a booking holds it as briefly as it
can: "full" without a waiting list is answered from an unlocked read (it gives nothing), and a
booking that fits inserts its row and its email before the conditional UPDATE, which is the
transaction's last statement. Only a full session with a waiting list takes ``FOR UPDATE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.activities.enums import SessionBookingState
from sciweek.activities.models import Session, booking_window_q
from sciweek.audit import writer as audit
from sciweek.common import metrics
from sciweek.common.crypto import encrypt, keyed_hash
from sciweek.common.errors import Conflict, ServiceError
from sciweek.common.events import emit
from sciweek.common.masking import mask_id_number
from sciweek.common.validators import normalize_mobile
from sciweek.exhibition import services as ceremony_services

from . import fair_use
from .enums import ACTIVE_STATUSES, BookingSource, BookingStatus, CancelledBy, CheckInResult
from .exports import export_workbook
from .models import Booking, ConsentText
from .purge import purge_personal_data  # noqa: F401  (one name for tasks and the command)
from .validation import BookingRequest, field_errors, normalize_id_number, person_identity
from .workflow import BOOKING, BookingAction
from .workflow import tell as _tell


def _locked_session(session_id: int) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("activity")
        .get(pk=session_id)
    )


def _consent_version(kind: str) -> int | None:
    return (
        ConsentText.objects.filter(kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


def _refuse_party_too_large(session: Session, party_size: int) -> None:
    """A party larger than every place the session has could never be served, even if every
    other booking were cancelled: refuse it rather than keep it waiting for ever. A session with
    no on-site places (capacity 0: online only, or places not yet set) is refused the same way,
    waiting list or not: nothing could ever free up for the list to reach. Reads only the session
    already loaded, so it costs no query (inside the lock or out); the public pages' ``full``
    (``Session.booking_state``) agrees."""
    if session.capacity == 0:
        raise Conflict(
            _("This session has no places to book (0 places): choose another session."),
            code="no_places",
        )
    if session.capacity < party_size:
        raise Conflict(
            _(
                "This session has %(places)s places in all, fewer than the %(party)s people of "
                "this booking: book a smaller group or another session."
            )
            % {"places": session.capacity, "party": party_size},
            code="party_too_large",
        )


# Tries of ``book``: a place freed between the unlocked read and the UPDATE, or a deadlock
# between two bookings of the same person, sends it round again; more than this says "full".
_ATTEMPTS = 3


def _window_q(now, walk_in: bool) -> Q:
    """When places may be taken: the booking window, or for a walk-in (admitted at the gate
    within the check-in time, checked by ``walkins``) whenever the organiser has not closed
    booking."""
    return Q(booking_closed=False) if walk_in else booking_window_q(now)


def _fits_now(session_id: int, party_size: int, walk_in: bool = False) -> bool | None:
    """Whether ``party_size`` places are free now, or None when the booking window is shut,
    from one unlocked read of the session row."""
    now = timezone.now()
    window_q = _window_q(now, walk_in)
    row = (
        Session.objects.filter(pk=session_id)
        .annotate(window=ExpressionWrapper(window_q, output_field=BooleanField()))
        .values_list("window", "places_taken", "capacity")
        .get()
    )
    window, taken, capacity = row
    if not window:
        return None
    return taken + party_size <= capacity


def _fresh(booking: Booking) -> None:
    """Make a booking whose insert was rolled back insertable again."""
    booking.pk = None
    booking.confirmed_at = None
    booking._state.adding = True


def _is_deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def _book_fast(booking: Booking, session: Session, party_size: int, walk_in: bool = False) -> bool:
    """The common case: insert the confirmed booking and queue its email first, then take the
    places with one conditional UPDATE as the transaction's last statement, so the session row
    is locked only from that UPDATE to the commit (what pgbench's hot-row transaction holds).
    False (everything rolled back) when the places are gone or the window shut meanwhile."""
    with transaction.atomic():
        fair_use.enforce(session=session, booking=booking, walk_in=walk_in)
        now = timezone.now()
        BOOKING.start(booking, BookingStatus.CONFIRMED)
        booking.confirmed_at = now
        # The same person booking twice at once: the early check passed for both, the unique
        # constraint (one active booking per person and session) stops the second here.
        booking.save(force_insert=True)
        _tell(booking, "confirmed")
        emit("booking.confirmed", booking)
        # PostgreSQL evaluates the condition again on the row as it is once the lock is granted.
        taken = Session.objects.filter(
            _window_q(now, walk_in),
            pk=session.pk,
            places_taken__lte=F("capacity") - party_size,
        ).update(places_taken=F("places_taken") + party_size)
        if not taken:
            transaction.set_rollback(True)
    if not taken:
        _fresh(booking)
    return bool(taken)


def _book_locked(booking: Booking, session: Session, party_size: int) -> Booking:
    """A full session with a waiting list: decide under the row lock whether the booking gets a
    place (one was freed) or waits, so a freed place goes to exactly one booking."""
    with transaction.atomic():
        session = _locked_session(session.pk)
        if not session.booking_state().window_open:
            raise Conflict(_("Booking for this session is closed."), code="booking_closed")
        booking.session = session
        fair_use.enforce(session=session, booking=booking)
        if party_size <= session.capacity - session.places_taken:
            BOOKING.start(booking, BookingStatus.CONFIRMED)
            booking.confirmed_at = timezone.now()
            Session.objects.filter(pk=session.pk).update(
                places_taken=F("places_taken") + party_size
            )
        else:
            # The capacity as read under the lock (the organiser may have lowered it).
            _refuse_party_too_large(session, party_size)
            BOOKING.start(booking, BookingStatus.WAITING)
        booking.save(force_insert=True)
        _tell(booking, "confirmed" if booking.status == BookingStatus.CONFIRMED else "waiting")
        emit(f"booking.{booking.status}", booking)
    return booking


def book(*, session: Session, data: BookingRequest, source: str = BookingSource.ONLINE) -> Booking:
    """Book ``data.party_size`` places (see ``_book``), counting the attempt by its outcome."""
    try:
        booking = _book(session=session, data=data, source=source)
    except ServiceError as error:
        # A dict of field errors has no single code: it is one invalid attempt.
        metrics.booking_attempt(getattr(error, "code", None) or "invalid")
        raise
    metrics.booking_attempt(booking.status)
    return booking


def _book(*, session: Session, data: BookingRequest, source: str) -> Booking:
    """Book ``data.party_size`` places in ``session``, or join its waiting list.

    Refusals: field errors (ServiceError with a dict, status 400); ``booking_closed``,
    ``no_places``, ``party_too_large``, ``already_booked``, ``full`` and the edition's fair-use
    rules ``no_show_blocked`` and ``one_per_day`` (Conflict, 409). Side effect: the confirmation
    or waiting-list email through the outbox when an address was given.

    A walk-in (``source`` ``walk_in``, from ``walkins.walk_in_admit``) takes the same places under
    the same rules, but after the booking window (the gate checks the check-in time) and never
    onto the waiting list.
    """
    walk_in = source == BookingSource.WALK_IN
    activity = session.activity
    if not activity.takes_bookings:
        raise Conflict(_("This session does not take bookings."), code="booking_not_offered")
    if errors := field_errors(activity, data):
        raise ServiceError(errors)
    person_key = keyed_hash(person_identity(activity, data))
    id_number = normalize_id_number(data.id_number) if activity.id_number_required else ""
    # Everything that needs no lock is done before taking it: the session row's lock serialises
    # every booking of the session, so each query inside it costs the whole queue a round trip.
    # The state is checked again under the lock; a duplicate that races past this check is
    # stopped by the unique constraint below.
    if session.booking_closed if walk_in else not session.booking_state().window_open:
        raise Conflict(_("Booking for this session is closed."), code="booking_closed")
    _refuse_party_too_large(session, data.party_size)
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
        source=source,
        guardian_name=(data.guardian_name or "").strip(),
        consent_version=_consent_version(ConsentText.Kind.PERSONAL_DATA),
        id_consent_version=_consent_version(ConsentText.Kind.ID_NUMBER) if id_number else None,
        guardian_consent_version=_consent_version(ConsentText.Kind.GUARDIAN)
        if data.is_minor
        else None,
    )
    waitlist = activity.waitlist_enabled and not walk_in
    for _attempt in range(_ATTEMPTS):
        # An unlocked read (MVCC: it waits for nobody) answers "full" for a session without a
        # waiting list, and sends a full session with one straight to the locked path.
        fits = _fits_now(session.pk, data.party_size, walk_in)
        if fits is None:
            raise Conflict(_("Booking for this session is closed."), code="booking_closed")
        if not fits and not waitlist:
            raise Conflict(_("Sorry, this session is full."), code="full")
        try:
            if fits and _book_fast(booking, session, data.party_size, walk_in):
                return booking
            if waitlist:
                return _book_locked(booking, session, data.party_size)
        except IntegrityError as exc:
            raise Conflict(
                _("This person already has a booking for this session."), code="already_booked"
            ) from exc
        except OperationalError as exc:
            # The same person booking twice at once, one on each path, can wait on each other
            # (the unique index and the session row): PostgreSQL ends one; try it again.
            if not _is_deadlock(exc):
                raise
        _fresh(booking)
    raise Conflict(_("Sorry, this session is full."), code="full")


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
    if not session.booking_state().window_open:
        return []
    session.refresh_from_db(fields=["places_taken", "capacity"])
    free = session.capacity - session.places_taken
    promoted = []
    if free <= 0:
        return promoted
    for booking in Booking.objects.filter(session=session, status=BookingStatus.WAITING).order_by(
        "created_at", "id"
    ):
        if free <= 0:
            break
        if booking.party_size > free:
            continue
        booking.session = session
        free -= booking.party_size
        promoted.append(booking)
    if promoted:
        BOOKING.transition_many(promoted, BookingAction.PROMOTE, by=None)
        taken = sum(b.party_size for b in promoted)
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + taken)
    return promoted


def _places_held(bookings: list[Booking]) -> int:
    return sum(b.party_size for b in bookings if b.status == BookingStatus.CONFIRMED)


def _give_back(session: Session, places: int) -> None:
    if places:
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") - places)


def booking_cancel(
    *, booking: Booking, by: str = CancelledBy.BOOKER, actor=None, reason: str = ""
) -> list[Booking]:
    """Cancel one booking and give its places to the waiting list. Returns the promoted bookings.

    Refused for a booking already cancelled or checked in. Side effects: the cancellation
    email; audit entry ``booking.cancel`` when an organiser (``actor``) cancels.
    """
    with transaction.atomic():
        session = _locked_session(booking.session_id)
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        booking.session = session
        places = _places_held([booking])
        changes = {"cancelled_by": by, "cancel_reason": reason.strip()[:200]}
        BOOKING.transition(
            booking, BookingAction.CANCEL, by=actor, reason=reason, changes=changes, locked=True
        )
        _give_back(session, places)
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
        bookings = list(
            Booking.objects.filter(session=session, status__in=ACTIVE_STATUSES).order_by("id")
        )
        places = _places_held(bookings)
        for booking in bookings:
            booking.session = session
        # One move for the lot; the organiser's one audit entry below says how many.
        changes = {"cancelled_by": cancelled_by, "cancel_reason": reason.strip()[:200]}
        BOOKING.transition_many(
            bookings, BookingAction.CALL_OFF, by=None, reason=reason, changes=changes
        )
        _give_back(session, places)
        count = len(bookings)
        _set_booking_closed(session, True)
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


def _set_booking_closed(session: Session, closed: bool) -> None:
    # save(), not update(): its post_save starts a new public page-cache generation, so the
    # cached "bookable" list stops (or starts) showing the session at once.
    session.booking_closed = closed
    session.save(update_fields=["booking_closed"])


def session_set_booking_closed(*, session: Session, closed: bool, by) -> None:
    with transaction.atomic():
        session = _locked_session(session.pk)
        _set_booking_closed(session, closed)
        audit.record(actor=by, action="session.close_booking" if closed else "session.reopen_booking",
                     obj=session.activity, object_repr=f"{session.activity} · {session}",
                     organization_id=session.activity.host_id)  # fmt: skip
        if not closed:
            _promote(session)


def lapse_waiting(*, now: datetime | None = None) -> int:
    """Waiting entries lapse once their session's booking has closed; each is told once."""
    now = now or timezone.now()
    count = 0
    sessions = Session.objects.filter(bookings__status=BookingStatus.WAITING).distinct()
    for session_id in sessions.values_list("pk", flat=True):
        with transaction.atomic():
            session = _locked_session(session_id)
            if session.booking_state(now) != SessionBookingState.CLOSED:
                continue
            waiting = list(Booking.objects.filter(session=session, status=BookingStatus.WAITING))
            for booking in waiting:
                booking.session = session
            BOOKING.transition_many(waiting, BookingAction.LAPSE, by=None)
            count += len(waiting)
    return count


def remind_tomorrow(*, now: datetime | None = None) -> int:
    """The reminder the day before, with the ticket link, to every confirmed booking of a session
    that starts tomorrow (Asia/Shanghai) and has not been reminded; each booking is reminded once
    however often this runs (the booking's row is locked and stamped with the message queued).
    Returns how many were reminded."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        reminded_at__isnull=True,
        checked_in_at__isnull=True,
        session__starts_at__date=tomorrow,
        session__starts_at__gt=now,
    ).exclude(phone="", email="")
    count = 0
    for booking_id in list(due.order_by("id").values_list("pk", flat=True)):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("session__activity__edition")
                .filter(pk=booking_id, status=BookingStatus.CONFIRMED, reminded_at__isnull=True)
                .first()
            )
            if booking is None:
                continue
            booking.reminded_at = timezone.now()
            booking.save(update_fields=["reminded_at"])
            _tell(booking, "reminder")
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


def checkin_window(session: Session) -> tuple[datetime, datetime]:
    """When tickets of ``session`` may be checked in: from ``CHECKIN_OPENS_MINUTES_BEFORE``
    minutes before it starts until it ends."""
    before = timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE)
    return session.starts_at - before, session.ends_at


def check_in(
    *, session: Session, code: str, by, override: bool = False, now: datetime | None = None
) -> CheckInOutcome:
    """Check a ticket in at ``session``'s gate. Idempotent: the second scan answers ``already``
    with the time of the first; nothing else changes.

    Outside :func:`checkin_window` a valid ticket answers ``outside_window`` (``when``: the
    window's opening, or its close once past), unless ``override`` is asked by a user with
    ``bookings.override_checkin_window``; such a check-in writes ``booking.check_in_override``.
    """
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
            # Not a ticket: perhaps a ceremony guest's invitation QR, checked in at the same gate.
            return _check_in_guest(session, code, by, override, now)
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
        checker = by if getattr(by, "is_authenticated", False) else None
        opens, closes = checkin_window(session)
        now = now or timezone.now()
        outside = not (opens <= now <= closes)
        if outside:
            allowed = checker is not None and checker.has_perm(
                "bookings.override_checkin_window", session
            )
            if not (override and allowed):
                return CheckInOutcome(
                    CheckInResult.OUTSIDE_WINDOW, booking, opens if now < opens else closes
                )
            activity = session.activity
            audit.record(
                actor=checker,
                action="booking.check_in_override",
                obj=activity,
                object_repr=f"{activity} · {session}",
                after={"session": session.pk, "booking": booking.pk},
                organization_id=activity.host_id,
            )
        BOOKING.transition(
            booking,
            BookingAction.CHECK_IN,
            by=checker,
            changes={"checked_in_by": checker},
            locked=True,
        )
        return CheckInOutcome(CheckInResult.OK, booking, booking.checked_in_at)


def _outside_window(session: Session, checker, override: bool, now: datetime | None):
    """``(opens or closes)`` when a check-in now must be refused, else None."""
    opens, closes = checkin_window(session)
    now = now or timezone.now()
    if opens <= now <= closes:
        return None
    allowed = checker is not None and checker.has_perm("bookings.override_checkin_window", session)
    if override and allowed:
        return None
    return opens if now < opens else closes


def _check_in_guest(session: Session, code: str, by, override: bool, now) -> CheckInOutcome:
    """A ceremony guest's invitation code at the gate of the ceremony's activity: the same
    answers as a ticket (unknown, another gate, not confirmed, already, outside the time)."""
    guest = ceremony_services.guest_locked_by_code(code)
    if guest is None:
        return CheckInOutcome(CheckInResult.UNKNOWN)
    if guest.ceremony.activity_id != session.activity_id:
        return CheckInOutcome(CheckInResult.WRONG_SESSION)
    if guest.is_checked_in:
        return CheckInOutcome(CheckInResult.ALREADY, guest, guest.checked_in_at)
    if not guest.is_coming:
        return CheckInOutcome(CheckInResult.NOT_CONFIRMED, guest)
    checker = by if getattr(by, "is_authenticated", False) else None
    if (edge := _outside_window(session, checker, override, now)) is not None:
        return CheckInOutcome(CheckInResult.OUTSIDE_WINDOW, guest, edge)
    ceremony_services.guest_check_in(guest=guest, by=checker)
    return CheckInOutcome(CheckInResult.OK, guest, guest.checked_in_at)


@transaction.atomic
def booking_export_unmasked(*, session: Session, reason: str, by) -> bytes:
    """The session's booking list with names, numbers and ID numbers in clear, as xlsx bytes.

    The caller has checked ``bookings.export_personal_data``. Side effect: the audit entry
    ``booking.export_unmasked`` with the reason, in the same transaction as the export, so no
    list leaves without its entry."""
    activity = session.activity
    audit.record(
        actor=by,
        action="booking.export_unmasked",
        obj=activity,
        object_repr=f"{activity} · {session}",
        reason=reason,
        after={"session": session.pk},
        organization_id=activity.host_id,
    )
    return export_workbook(session, unmasked=True)
