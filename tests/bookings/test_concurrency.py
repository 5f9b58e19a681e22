"""Capacity and "exactly once" under real concurrency: threads, each with its own database
connection, released together. On PostgreSQL the session row's lock decides; the SQLite
variant (fewer threads) relies on BEGIN IMMEDIATE serialising writers."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from sciweek.activities.models import Session
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus, CancelledBy, CheckInResult
from sciweek.bookings.models import Booking
from sciweek.common.errors import Conflict
from tests.bookings.gate_builders import (
    book,
    request_for,
    run_together,
    sqlite_file_copy,
    using_database,
    world,
)
from tests.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _outcome(session, n):
    def work():
        try:
            return book(session, n).status
        except Conflict as exc:
            return exc.code

    return work


def _prefill(session, count: int, start: int = 10_000) -> None:
    for n in range(start, start + count):
        book(session, n)


def _confirmed_places(session) -> int:
    return (
        Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).aggregate(
            n=Sum("party_size")
        )["n"]
        or 0
    )


def _assert_last_places(session, outcomes, *, threads: int, places: int, waitlist: bool):
    session.refresh_from_db()
    counts = Counter(outcomes)
    assert counts[BookingStatus.CONFIRMED] == places, counts
    if waitlist:
        assert counts[BookingStatus.WAITING] == threads - places, counts
    else:
        assert counts["full"] == threads - places, counts
    assert session.places_taken == session.capacity == _confirmed_places(session)
    keys = Booking.objects.filter(session=session).values_list("person_key", flat=True)
    assert len(keys) == len(set(keys))  # nobody twice


@pytest.mark.postgres
@pytest.mark.parametrize("waitlist", [True, False], ids=["waiting list", "no waiting list"])
def test_sixty_threads_for_the_last_ten_places_never_oversell(waitlist):
    w = world(capacity=40, waitlist_enabled=waitlist)
    _prefill(w.session, 30)
    outcomes = run_together([_outcome(w.session, n) for n in range(60)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    _assert_last_places(w.session, outcomes, threads=60, places=10, waitlist=waitlist)
    assert Booking.objects.filter(session=w.session).count() == 30 + (60 if waitlist else 10)


def test_threads_for_the_last_places_never_oversell_on_any_database(tmp_path):
    """Also on SQLite (a file database, as deployed): fewer threads, the writers queue on the
    database's lock (BEGIN IMMEDIATE, 20 s busy timeout)."""
    w = world(capacity=8)
    _prefill(w.session, 5)
    database = None
    if connection.vendor == "sqlite":
        database = sqlite_file_copy(tmp_path / "concurrent.sqlite3")
    outcomes = run_together([_outcome(w.session, n) for n in range(12)], database=database)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with using_database(database):
        _assert_last_places(w.session, outcomes, threads=12, places=3, waitlist=True)


@pytest.mark.postgres
def test_twenty_threads_booking_the_same_person_give_one_booking():
    w = world(capacity=100)
    outcomes = run_together([_outcome(w.session, 7) for _ in range(20)])
    counts = Counter(outcomes)
    assert counts == {BookingStatus.CONFIRMED: 1, "already_booked": 19}, counts
    assert Booking.objects.filter(session=w.session).count() == 1
    assert Session.objects.get(pk=w.session.pk).places_taken == 1


@pytest.mark.postgres
def test_concurrent_cancellations_promote_each_waiting_entry_once_in_order():
    w = world(capacity=10)
    confirmed = [book(w.session, n) for n in range(10)]
    waiting = [book(w.session, n) for n in range(100, 130)]
    assert {b.status for b in confirmed} == {BookingStatus.CONFIRMED}
    assert {b.status for b in waiting} == {BookingStatus.WAITING}

    def cancel(booking):
        return lambda: services.booking_cancel(booking=booking, by=CancelledBy.BOOKER)

    results = run_together([cancel(b) for b in confirmed])
    assert not [r for r in results if isinstance(r, Exception)], results
    promoted_ids = [b.pk for batch in results for b in batch]
    assert len(promoted_ids) == len(set(promoted_ids)) == 10
    # The first ten in line, and nobody else.
    assert sorted(promoted_ids) == sorted(b.pk for b in waiting[:10])
    session = Session.objects.get(pk=w.session.pk)
    assert session.places_taken == 10 == _confirmed_places(session)
    statuses = dict(Booking.objects.filter(session=session).values_list("pk", "status"))
    assert [statuses[b.pk] for b in waiting[:10]] == [BookingStatus.CONFIRMED] * 10
    assert [statuses[b.pk] for b in waiting[10:]] == [BookingStatus.WAITING] * 20
    assert [statuses[b.pk] for b in confirmed] == [BookingStatus.CANCELLED] * 10
    assert (
        Booking.objects.filter(session=session, promoted_at__isnull=False).count() == 10
    )  # each promoted once


@pytest.mark.postgres
def test_ten_threads_checking_in_one_ticket_give_one_ok():
    w = world(capacity=10)
    booking = book(w.session, 1)
    gate = w.users[Role.GATE_STAFF]

    def scan():
        return services.check_in(session=w.session, code=booking.code, by=gate).result

    outcomes = run_together([scan for _ in range(10)])
    assert Counter(outcomes) == {CheckInResult.OK: 1, CheckInResult.ALREADY: 9}, outcomes
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert booking.checked_in_by == gate


def test_request_for_gives_distinct_people():
    assert request_for(1).phone != request_for(2).phone


@pytest.mark.postgres
def test_same_person_at_the_last_place_with_a_waiting_list_gives_one_booking():
    """Both paths at once (the fast insert-then-UPDATE and the locked waiting-list path) for one
    person: one booking, the rest ``already_booked``, no deadlock reaching the caller."""
    w = world(capacity=5, waitlist_enabled=True)
    _prefill(w.session, 4)
    outcomes = run_together([_outcome(w.session, 7) for _ in range(20)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    counts = Counter(outcomes)
    assert counts["already_booked"] == 19, counts
    assert Booking.objects.filter(session=w.session).count() == 5
    assert Session.objects.get(pk=w.session.pk).places_taken == _confirmed_places(w.session)


@pytest.mark.postgres
def test_full_without_a_waiting_list_is_answered_while_the_row_is_locked():
    """A refusal takes no lock: with the session rows held by another transaction, "full" comes
    back at once; a booking that fits waits for its row and gets the place once it is free."""
    import threading
    from datetime import timedelta

    from django.db import transaction

    from tests.factories import SessionFactory

    w = world(capacity=3, waitlist_enabled=False)
    _prefill(w.session, 3)
    other = SessionFactory(
        activity=w.activity,
        capacity=3,
        starts_at=w.session.starts_at + timedelta(days=1),
        ends_at=w.session.ends_at + timedelta(days=1),
    )
    locked, release = threading.Event(), threading.Event()
    full, fits = [], []

    def hold():
        with transaction.atomic():
            list(Session.objects.select_for_update().filter(pk__in=[w.session.pk, other.pk]))
            locked.set()
            release.wait(30)
        connection.close()

    def attempt(session, into):
        into.append(_outcome(session, 1)())
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        refused = threading.Thread(target=attempt, args=(w.session, full))
        refused.start()
        refused.join(5)
        assert full == ["full"]  # answered while the row is locked
        booker = threading.Thread(target=attempt, args=(other, fits))
        booker.start()
        booker.join(1)
        assert booker.is_alive() and not fits  # the place needs the row
    finally:
        release.set()
        holder.join(10)
    booker.join(10)
    assert fits == [BookingStatus.CONFIRMED]
    assert Session.objects.get(pk=other.pk).places_taken == 1
    assert Session.objects.get(pk=w.session.pk).places_taken == 3
