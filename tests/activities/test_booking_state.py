"""A session's booking state is one rule written twice: ``Session.booking_state()`` in Python and
``Session.objects.with_booking_state()`` in SQL (plus ``booking_window_q``, the condition of
``book()``'s UPDATE). These properties keep the two in agreement on random sessions, times on
both sides of every boundary included; they run on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sciweek.activities.enums import (
    BOOKABLE_STATES,
    WINDOW_OPEN_STATES,
    SessionBookingState,
)
from sciweek.activities.models import Session, booking_window_q
from tests.factories import ActivityFactory, EditionFactory

pytestmark = pytest.mark.django_db

S = SessionBookingState
NOW = datetime(2031, 5, 20, 1, 30, tzinfo=UTC)

# Offsets from "now". Every rule compares a time with now, so what matters is the side of now
# a time falls on: "exactly now" and "a microsecond either side" come up often.
US = timedelta(microseconds=1)
near = st.sampled_from(
    [timedelta(hours=-2), timedelta(minutes=-1), -US, timedelta(0), US, timedelta(minutes=1),
     timedelta(hours=2)]
)  # fmt: skip
maybe_near = st.one_of(st.none(), near)


@st.composite
def session_specs(draw):
    opens = draw(maybe_near)
    closes = draw(maybe_near)
    if opens is not None and closes is not None and closes <= opens:
        # The database insists that a window closes after it opens.
        opens, closes = closes, opens
        if closes == opens:
            closes = opens + US
    capacity = draw(st.integers(0, 3))
    return {
        "starts": draw(near),
        "opens": opens,
        "closes": closes,
        "booking_closed": draw(st.booleans()),
        "capacity": capacity,
        # Above the capacity too: the rules must not care how the counter got there.
        "places_taken": draw(st.integers(0, capacity + 1)),
        "activity": draw(st.sampled_from(["waitlist", "no_waitlist", "no_booking", "draft"])),
    }


@pytest.fixture
def activities(db):
    edition = EditionFactory(year=2031)
    published = {"state": "published", "booking_required": True, "edition": edition}
    return {
        "waitlist": ActivityFactory(**published, waitlist_enabled=True),
        "no_waitlist": ActivityFactory(**published, waitlist_enabled=False),
        "no_booking": ActivityFactory(**{**published, "booking_required": False}),
        "draft": ActivityFactory(**{**published, "state": "draft"}),
    }


def _create(activities, specs, now) -> list[int]:
    sessions = [
        Session(
            activity=activities[spec["activity"]],
            starts_at=now + spec["starts"],
            ends_at=now + spec["starts"] + timedelta(hours=1),
            booking_opens_at=None if spec["opens"] is None else now + spec["opens"],
            booking_closes_at=None if spec["closes"] is None else now + spec["closes"],
            booking_closed=spec["booking_closed"],
            capacity=spec["capacity"],
            places_taken=spec["places_taken"],
        )
        for spec in specs
    ]
    return [s.pk for s in Session.objects.bulk_create(sessions)]


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(session_specs(), min_size=1, max_size=6),
    micro=st.sampled_from([0, 1, 500_000]),
)
def test_python_and_sql_rules_agree(activities, specs, micro):
    now = NOW + timedelta(microseconds=micro)
    with transaction.atomic():
        pks = _create(activities, specs, now)
        rows = Session.objects.filter(pk__in=pks)
        in_sql = dict(rows.with_booking_state(now).values_list("pk", "booking_state_now"))
        bookable = set(rows.bookable(now).values_list("pk", flat=True))
        window_open = set(rows.filter(booking_window_q(now)).values_list("pk", flat=True))
        # Read back, so Python sees the stored values (the database's time precision).
        for session in rows.select_related("activity"):
            state = session.booking_state(now)
            assert in_sql[session.pk] == state, session.__dict__
            assert (session.pk in window_open) == session.booking_window_open(now)
            assert (session.pk in window_open) == (state in WINDOW_OPEN_STATES)
            accepts = session.activity.takes_bookings and state in BOOKABLE_STATES
            assert (session.pk in bookable) == accepts
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, S.OPEN),
        ({"booking_closed": True}, S.CLOSED),
        ({"starts_at": NOW}, S.CLOSED),
        ({"starts_at": NOW + timedelta(microseconds=1)}, S.OPEN),
        ({"booking_opens_at": NOW}, S.OPEN),
        ({"booking_opens_at": NOW + timedelta(microseconds=1)}, S.NOT_YET),
        ({"booking_opens_at": NOW + timedelta(days=1), "booking_closed": True}, S.CLOSED),
        ({"booking_closes_at": NOW}, S.CLOSED),
        ({"booking_closes_at": NOW + timedelta(microseconds=1)}, S.OPEN),
        ({"places_taken": 2}, S.WAITLIST),
        # No places at all: no waiting list could ever be reached.
        ({"capacity": 0, "places_taken": 0}, S.FULL),
        ({"places_taken": 1}, S.OPEN),
        ({"places_taken": 2, "booking_closes_at": NOW}, S.CLOSED),
    ],
)
def test_each_boundary(activities, fields, expected):
    """The boundaries by hand: a window includes its opening instant and excludes its closing
    one; a session that has started is closed."""
    values = {
        "activity": activities["waitlist"],
        "starts_at": NOW + timedelta(days=2),
        "capacity": 2,
        "places_taken": 0,
        **fields,
    }
    values["ends_at"] = values["starts_at"] + timedelta(hours=1)
    session = Session.objects.create(**values)
    assert session.booking_state(NOW) == expected
    annotated = Session.objects.with_booking_state(NOW).get(pk=session.pk)
    assert annotated.booking_state_now == expected


def test_full_without_a_waiting_list_is_full(activities):
    starts = NOW + timedelta(days=2)
    session = Session.objects.create(
        activity=activities["no_waitlist"], starts_at=starts, ends_at=starts + timedelta(hours=1),
        capacity=3, places_taken=3,
    )  # fmt: skip
    assert session.booking_state(NOW) == S.FULL
    assert Session.objects.with_booking_state(NOW).get(pk=session.pk).booking_state_now == "full"
    assert not Session.objects.filter(pk=session.pk).bookable(NOW).exists()


def test_states_keep_the_values_the_pages_use():
    assert S.values == ["not_yet", "open", "waitlist", "full", "closed"]
    assert [s for s in S if s.window_open] == [S.OPEN, S.WAITLIST, S.FULL]
    assert [s for s in S if s.takes_bookings] == [S.OPEN, S.WAITLIST]
