"""Builders for the gate, organiser and concurrency tests: a published open day of a host unit
in the one world (tests/world.py), and bookings made through the service."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.db import connection, connections
from django.utils import timezone

from sciweek.bookings import services
from sciweek.bookings.validation import BookingRequest
from tests.factories import ActivityFactory, EditionFactory, SessionFactory
from tests.roles import Role
from tests.world import World


def phone(n: int) -> str:
    return f"139{n:08d}"


def request_for(n: int, **fields) -> BookingRequest:
    """What booker number ``n`` types: a distinct name and mobile number."""
    defaults = {"name": f"张{n}丰", "phone": phone(n), "consent": True}
    return BookingRequest(**{**defaults, **fields})


def open_day(host, edition, **fields):
    defaults = {
        "state": "published",
        "booking_required": True,
        "real_name_required": True,
        "host": host,
        "edition": edition,
    }
    return ActivityFactory(**{**defaults, **fields})


def world(*, capacity: int = 10, **activity_fields) -> World:
    """The one world (tests/world.py) with a published open day of the unit (in 张店区) and its
    one session, starting in an hour; the other unit is in 临淄区. ``w.users[...]`` takes a ``Role`` (or an older
    name such as "organizer", "host_editor" or "other_unit")."""
    w = World("bureau", "area", "other_area", "unit", "other_unit")
    w.edition = EditionFactory(organizer=w.bureau)
    w.activity = open_day(w.unit, w.edition, **activity_fields)
    # The session starts in an hour: still open for booking, and already inside its check-in
    # window (from CHECKIN_OPENS_MINUTES_BEFORE, 2 h, before the start).
    starts = timezone.now() + timedelta(hours=1)
    w.session = SessionFactory(
        activity=w.activity,
        capacity=capacity,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    for role in (
        Role.ORGANIZER_ADMIN,
        Role.UNIT_EDITOR,
        Role.GATE_STAFF,
        Role.AREA_ADMIN,
        Role.OTHER_AREA_ADMIN,
        Role.OTHER_UNIT_EDITOR,
        Role.SIGNED_IN,
    ):
        w.build(role)
    return w


def book(session, n: int, **fields):
    return services.book(session=session, data=request_for(n, **fields))


def sqlite_file_copy(path) -> dict:
    """SQLite's in-memory test database cannot take concurrent writers (shared-cache table locks
    fail at once instead of waiting); copy it to a file, as SciWeek runs in production, and
    return the settings to reach the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return {**connection.settings_dict, "NAME": str(path)}


@contextmanager
def using_database(settings_dict: dict | None):
    """In this thread, the default database is the one ``settings_dict`` names."""
    if settings_dict is None:
        yield
        return
    previous = connections["default"]
    wrapper = previous.__class__(settings_dict, alias="default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = previous


def run_together(workers: list, *, timeout: float = 120, database: dict | None = None) -> list:
    """Run each callable in its own thread (own database connection), released together by a
    barrier; returns their results (or the exceptions they raised), in order."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        with using_database(database) if database else nullcontext():
            try:
                barrier.wait(timeout=timeout)
                results[index] = work()
            except Exception as exc:
                results[index] = exc
            finally:
                connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a worker did not finish"
    return results
