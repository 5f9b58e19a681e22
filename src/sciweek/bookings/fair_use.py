"""Fair use of places: the edition's no-show rule and "one session per person per day".

Both are edition settings (``Edition.no_show_limit`` and friends, ``one_session_per_day``), off by
default. ``enforce`` runs inside the booking's own transaction in ``services._book`` (both the fast
and the locked path), after a per-person transaction lock, so two bookings of the same person at
once (two sessions, two tabs, two phones) are decided one after the other and cannot both slip
through: PostgreSQL takes an advisory lock on the person's keyed hash; SQLite's write lock
(BEGIN IMMEDIATE) already serialises every booking.

Who a person is: the keyed hash of the resident ID where the activity requires one (the booking's
``person_key``), otherwise the mobile number. For no-shows the booker's mobile number counts as
well: the booker is the one who failed to come or cancel.

A no-show is a confirmed booking of a session that has ended without a check-in. A walk-in is
never refused for past no-shows (the visitor is at the gate), only by the per-day rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sciweek.campaigns.enums import OneSessionPerDay
from sciweek.common.crypto import keyed_hash
from sciweek.common.errors import Conflict

from .enums import ACTIVE_STATUSES, BookingStatus


def rules_on(edition) -> bool:
    return bool(edition.no_show_limit) or edition.one_session_per_day != OneSessionPerDay.OFF


def _phone_key(phone: str) -> str:
    return keyed_hash(f"phone:{phone}")


def _lock_person(booking) -> None:
    """Serialise the bookings of one person until the transaction ends (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({booking.person_key, _phone_key(booking.phone)})
    with connection.cursor() as cursor:
        for key in keys:
            # 60 bits of the keyed hash: a collision only makes two people wait for each other.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])


def person_q(activity, booking) -> Q:
    """The bookings of the same person, for the per-day rule."""
    if activity.id_number_required:
        return Q(person_key=booking.person_key)
    return Q(phone=booking.phone)


def blocked_until(*, edition, booking, now: datetime | None = None) -> datetime | None:
    """Until when the edition's no-show rule pauses this person's bookings, or None."""
    limit = edition.no_show_limit
    if not limit:
        return None
    now = now or timezone.now()
    window = timedelta(days=edition.no_show_window_days)
    block = timedelta(days=edition.no_show_block_days)
    who = Q(person_key=booking.person_key)
    if booking.phone:
        who |= Q(phone=booking.phone)
    ends = list(
        booking.__class__.objects.filter(
            who,
            session__activity__edition_id=edition.pk,
            status=BookingStatus.CONFIRMED,
            checked_in_at__isnull=True,
            session__ends_at__lt=now,
            session__ends_at__gte=now - window - block,
        )
        .order_by("session__ends_at")
        .values_list("session__ends_at", flat=True)
    )
    until = None
    # Any ``limit`` no-shows within ``window`` of each other pause booking from the last of them.
    for first, last in zip(ends, ends[limit - 1 :], strict=False):
        if last - first <= window and last + block > now:
            until = max(until, last + block) if until else last + block
    return until


def _refuse_no_show(edition, until: datetime) -> None:
    day = formats.date_format(timezone.localtime(until), "Y-m-d")
    message = ngettext(
        "You booked and did not come (nor cancel) %(n)d time within %(days)d days, so new "
        "bookings are paused until %(date)s. Cancel in time when you cannot come.",
        "You booked and did not come (nor cancel) %(n)d times within %(days)d days, so new "
        "bookings are paused until %(date)s. Cancel in time when you cannot come.",
        edition.no_show_limit,
    ) % {"n": edition.no_show_limit, "days": edition.no_show_window_days, "date": day}
    raise Conflict(message, code="no_show_blocked")


def _refuse_same_day(activity, session, booking) -> None:
    edition = activity.edition
    scope = edition.one_session_per_day
    if scope == OneSessionPerDay.OFF:
        return
    day = timezone.localdate(session.starts_at)
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    others = booking.__class__.objects.filter(
        person_q(activity, booking),
        status__in=ACTIVE_STATUSES,
        session__starts_at__gte=start,
        session__starts_at__lt=start + timedelta(days=1),
    ).exclude(session_id=session.pk)
    if scope == OneSessionPerDay.ACTIVITY:
        others = others.filter(session__activity_id=activity.pk)
        message = _(
            "This person already has a booking for another session of this activity on "
            "%(date)s: one session per person per day. Cancel that booking first to change it."
        )
    else:
        others = others.filter(session__activity__edition_id=edition.pk)
        message = _(
            "This person already has a booking for another session of the week on %(date)s: "
            "one session per person per day. Cancel that booking first to change it."
        )
    if others.exists():
        raise Conflict(message % {"date": day.isoformat()}, code="one_per_day")


def enforce(*, session, booking, walk_in: bool = False) -> None:
    """Refuse the booking when a fair-use rule forbids it (Conflict ``no_show_blocked`` or
    ``one_per_day``). Call inside the booking's transaction, before it takes places."""
    activity = session.activity
    edition = activity.edition
    if not rules_on(edition):
        return
    _lock_person(booking)
    if not walk_in and (until := blocked_until(edition=edition, booking=booking)):
        _refuse_no_show(edition, until)
    _refuse_same_day(activity, session, booking)
