"""What the public list's ``?bookable=on`` and the API's ``bookable=true`` list is exactly what
``book()`` accepts (issue 9: a session closed by hand used to stay listed while booking refused
it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from sciweek.activities.models import Session
from sciweek.activities.selectors import bookable_activities, public_activities
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus
from sciweek.common.errors import Conflict
from tests.factories import EditionFactory, UserFactory
from tests.showcase.conftest import activity_ids

from .builders import open_day, phone, req, session_of

pytestmark = pytest.mark.django_db

LIST = "/activities/"
API = "/api/v1/activities/"


def listed_by_page(client) -> set[int]:
    response = client.get(LIST, {"bookable": "on"})
    assert response.status_code == 200
    return set(activity_ids(response))


def listed_by_api() -> set[int]:
    response = APIClient().get(API, {"bookable": "true", "page_size": 100})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def outcome(session, n: int = 0) -> str:
    """What ``book()`` answers for one person: the booking's status or the refusal's code."""
    try:
        return services.book(session=session, data=req(phone=phone(n))).status
    except Conflict as exc:
        return exc.code


@pytest.fixture
def edition():
    return EditionFactory()


def test_closed_by_hand_is_listed_nowhere_and_refused(client, edition):
    session = session_of(open_day(edition=edition))
    activity = session.activity
    organiser = UserFactory()
    # Listed while open (and the anonymous page is now in the page cache).
    assert listed_by_page(client) == {activity.pk}
    assert listed_by_api() == {activity.pk}
    services.session_set_booking_closed(session=session, closed=True, by=organiser)
    assert listed_by_page(client) == set()
    assert listed_by_api() == set()
    assert outcome(Session.objects.get(pk=session.pk)) == "booking_closed"
    services.session_set_booking_closed(session=session, closed=False, by=organiser)
    assert listed_by_page(client) == {activity.pk}
    assert listed_by_api() == {activity.pk}
    assert outcome(Session.objects.get(pk=session.pk)) == BookingStatus.CONFIRMED


def test_cancelled_session_is_listed_nowhere(client, edition):
    session = session_of(open_day(edition=edition))
    services.book(session=session, data=req())
    assert listed_by_page(client) == {session.activity_id}
    services.cancel_session_bookings(session=session, reason="暴雨", by=UserFactory())
    assert listed_by_page(client) == set()
    assert listed_by_api() == set()
    assert outcome(Session.objects.get(pk=session.pk), 1) == "booking_closed"


def test_an_activity_stays_listed_while_another_session_is_open(client, edition):
    activity = open_day(edition=edition)
    first = session_of(activity, booking_closed=True)
    session_of(activity, starts_at=first.starts_at + timedelta(days=1))
    assert listed_by_page(client) == {activity.pk}
    assert listed_by_api() == {activity.pk}


def test_listed_exactly_when_book_accepts(client, edition):
    now = timezone.now()
    day = timedelta(days=1)

    def no_waitlist():
        return open_day(edition=edition, waitlist_enabled=False)

    def one(name, *, activity=None, **fields):
        return name, session_of(activity or open_day(edition=edition), **fields)

    cases = dict(
        [
            one("open"),
            one("closed by hand", booking_closed=True),
            one("before opening", booking_opens_at=now + day),
            one("after closing", booking_opens_at=now - 2 * day, booking_closes_at=now - day),
            one("started", starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)),
            one("full, waiting list", capacity=1, places_taken=1),
            one("full", activity=no_waitlist(), capacity=1, places_taken=1),
            one("no places, waiting list", capacity=0),
            one("no places", activity=no_waitlist(), capacity=0),
            one("last place", capacity=2, places_taken=1),
            one("no booking", activity=open_day(edition=edition, booking_required=False)),
            one("draft", activity=open_day(edition=edition, state="draft")),
            one("draft edition", activity=open_day(edition=EditionFactory(status="draft"))),
        ]
    )
    page, api = listed_by_page(client), listed_by_api()
    answers = {name: outcome(session) for name, session in cases.items()}
    by_activity = {session.activity_id: name for name, session in cases.items()}
    assert {by_activity[pk] for pk in page} == {
        "open", "full, waiting list", "last place",
    }  # fmt: skip
    assert api == page
    assert answers == {
        "open": "confirmed",
        "closed by hand": "booking_closed",
        "before opening": "booking_closed",
        "after closing": "booking_closed",
        "started": "booking_closed",
        "full, waiting list": "waiting",
        "full": "full",
        # No place could ever free up: refused, never a waiting list without end.
        "no places, waiting list": "no_places",
        "no places": "no_places",
        "last place": "confirmed",
        "no booking": "booking_not_offered",
        "draft": "booking_not_offered",
        # book() itself does not look at the edition; the page and the API answer 404 first.
        "draft edition": "confirmed",
    }


HOUR = timedelta(hours=1)
# Hours either side of now: the test takes seconds, so no state changes while it runs.
offsets = st.sampled_from([-3 * HOUR, -HOUR, HOUR, 3 * HOUR])


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    starts=st.sampled_from([-HOUR, 5 * HOUR]),
    opens=st.one_of(st.none(), offsets),
    closes=st.one_of(st.none(), offsets),
    booking_closed=st.booleans(),
    capacity=st.integers(0, 2),
    taken=st.integers(0, 2),
    waitlist=st.booleans(),
)
def test_bookable_filter_and_book_agree_on_random_sessions(
    edition, starts, opens, closes, booking_closed, capacity, taken, waitlist
):
    if opens is not None and closes is not None and closes <= opens:
        opens, closes = closes - HOUR, opens
    now = timezone.now()
    session = session_of(
        open_day(edition=edition, waitlist_enabled=waitlist),
        starts_at=now + starts,
        ends_at=now + starts + 2 * HOUR,
        booking_opens_at=None if opens is None else now + opens,
        booking_closes_at=None if closes is None else now + closes,
        booking_closed=booking_closed,
        capacity=capacity,
        places_taken=min(taken, capacity),
    )
    listed = bookable_activities(public_activities()).filter(pk=session.activity_id).exists()
    answer = outcome(session)
    if listed:
        assert answer in (BookingStatus.CONFIRMED, BookingStatus.WAITING)
    else:
        assert answer in ("booking_closed", "full", "no_places")
