"""Fair use (issue 17 part 6): the edition's no-show rule and "one session per person per day",
both decided inside ``services.book``; on PostgreSQL under parallel requests."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from sciweek.activities.models import Session
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking
from sciweek.campaigns.enums import OneSessionPerDay
from sciweek.campaigns.forms import EditionForm
from sciweek.campaigns.models import Edition
from sciweek.common.errors import Conflict
from tests.bookings.gate_builders import run_together, sqlite_file_copy
from tests.factories import EditionFactory

from .builders import EN, PHONE, open_day, phone, req, resident_id, session_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def edition(**rules) -> Edition:
    return EditionFactory(**rules)


def ended(session, days_ago: float) -> None:
    """Move a booked session into the past: it ended ``days_ago`` days ago."""
    end = timezone.now() - timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(starts_at=end - timedelta(hours=2), ends_at=end)


def no_show(ed, days_ago: float, **fields):
    """A confirmed booking of a session that ended ``days_ago`` days ago, never checked in."""
    session = session_of(open_day(edition=ed))
    booking = services.book(session=session, data=req(**fields))
    ended(session, days_ago)
    return booking


def refusal(session, **fields) -> Conflict:
    with pytest.raises(Conflict) as caught:
        services.book(session=session, data=req(**fields))
    return caught.value


# The no-show rule -------------------------------------------------------------------------


def test_off_by_default_for_editions():
    ed = edition()
    assert (ed.no_show_limit, ed.no_show_window_days, ed.no_show_block_days) == (0, 90, 30)
    assert ed.one_session_per_day == OneSessionPerDay.OFF
    for days in (5, 10, 15):
        no_show(ed, days)
    booking = services.book(session=session_of(open_day(edition=ed)), data=req())
    assert booking.status == BookingStatus.CONFIRMED


def test_two_no_shows_within_90_days_pause_booking_for_30_days():
    ed = edition(no_show_limit=2, no_show_window_days=90, no_show_block_days=30)
    no_show(ed, 60)
    last = no_show(ed, 10)
    session = session_of(open_day(edition=ed))
    with pytest.raises(Conflict) as caught:
        services.book(session=session, data=req())
    error = caught.value
    assert error.code == "no_show_blocked"
    last.session.refresh_from_db()
    until = timezone.localdate(last.session.ends_at + timedelta(days=30))
    assert error.messages == [
        "You booked and did not come (nor cancel) 2 times within 90 days, so new bookings are "
        f"paused until {until.isoformat()}. Cancel in time when you cannot come."
    ]
    assert Booking.objects.filter(session=session).count() == 0
    # Another person (another mobile) books as usual.
    assert services.book(session=session, data=req(phone=phone(7))).is_confirmed


def test_one_no_show_a_check_in_or_a_cancellation_do_not_block():
    ed = edition(no_show_limit=2)
    no_show(ed, 20)
    came = no_show(ed, 15)
    Booking.objects.filter(pk=came.pk).update(checked_in_at=came.session.ends_at)
    cancelled = session_of(open_day(edition=ed))
    services.booking_cancel(booking=services.book(session=cancelled, data=req()))
    ended(cancelled, 12)
    assert services.book(session=session_of(open_day(edition=ed)), data=req()).is_confirmed


def test_the_pause_ends_after_its_days_and_old_no_shows_are_forgotten():
    ed = edition(no_show_limit=2, no_show_window_days=90, no_show_block_days=30)
    no_show(ed, 45)
    no_show(ed, 40)  # blocked until 10 days ago
    assert services.book(session=session_of(open_day(edition=ed)), data=req()).is_confirmed


def test_no_shows_further_apart_than_the_window_do_not_count_together():
    ed = edition(no_show_limit=2, no_show_window_days=7, no_show_block_days=30)
    no_show(ed, 25)
    no_show(ed, 5)  # 20 days apart: not within 7 days
    assert services.book(session=session_of(open_day(edition=ed)), data=req()).is_confirmed


def test_no_shows_of_another_edition_do_not_count():
    old = edition(no_show_limit=2)
    no_show(old, 20)
    no_show(old, 10)
    ed = edition(no_show_limit=2)
    assert services.book(session=session_of(open_day(edition=ed)), data=req()).is_confirmed


def test_the_booker_is_known_by_the_id_number_across_mobiles_at_real_name_venues():
    ed = edition(no_show_limit=2)
    number = resident_id()
    fields = {"id_number": number, "id_consent": True}
    for n, days in ((1, 30), (2, 20)):
        session = session_of(open_day(edition=ed, id_number_required=True))
        services.book(session=session, data=req(phone=phone(n), **fields))
        ended(session, days)
    venue = session_of(open_day(edition=ed, id_number_required=True))
    assert refusal(venue, phone=phone(3), **fields).code == "no_show_blocked"


def test_the_page_and_the_api_give_the_reason_and_the_code(client):
    ed = edition(no_show_limit=2)
    no_show(ed, 20)
    no_show(ed, 10)
    session = session_of(open_day(edition=ed))
    good = {"name": "张三丰", "phone": PHONE, "consent": "on"}
    page = client.post(reverse("bookings:book", args=[session.pk]), good, **EN)
    assert page.status_code == 409
    html = page.content.decode()
    assert "did not come (nor cancel) 2 times within 90 days" in html
    assert 'value="张三丰"' in html  # nothing typed is lost
    api = APIClient().post(
        reverse("api:session-bookings", args=[session.pk]),
        {"name": "张三丰", "phone": PHONE, "consent": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 409
    assert api.json()["code"] == "no_show_blocked"


# One session per person per day -----------------------------------------------------------


def _same_day_sessions(activity, count: int, *, day_offset: int = 0):
    base = timezone.localtime(timezone.now()).replace(hour=9, minute=0, second=0, microsecond=0)
    base += timedelta(days=20 + day_offset)
    return [
        session_of(activity, starts_at=base + timedelta(hours=h), ends_at=base + timedelta(hours=h, minutes=50))
        for h in range(count)
    ]  # fmt: skip


def test_one_session_per_day_across_the_edition():
    ed = edition(one_session_per_day=OneSessionPerDay.EDITION)
    first, second = open_day(edition=ed), open_day(edition=ed)
    (a,) = _same_day_sessions(first, 1)
    (b,) = _same_day_sessions(second, 1)
    (c,) = _same_day_sessions(second, 1, day_offset=1)
    services.book(session=a, data=req())
    error = refusal(b)
    assert error.code == "one_per_day"
    day = timezone.localdate(b.starts_at).isoformat()
    assert error.messages == [
        f"This person already has a booking for another session of the week on {day}: one "
        "session per person per day. Cancel that booking first to change it."
    ]
    assert services.book(session=c, data=req()).is_confirmed  # another day
    assert services.book(session=b, data=req(phone=phone(5))).is_confirmed  # another person


def test_one_session_per_day_of_each_activity():
    ed = edition(one_session_per_day=OneSessionPerDay.ACTIVITY)
    activity = open_day(edition=ed)
    a, b = _same_day_sessions(activity, 2)
    (other,) = _same_day_sessions(open_day(edition=ed), 1)
    services.book(session=a, data=req())
    assert refusal(b).code == "one_per_day"
    assert services.book(session=other, data=req()).is_confirmed


def test_a_cancelled_booking_frees_the_day():
    ed = edition(one_session_per_day=OneSessionPerDay.EDITION)
    a, b = _same_day_sessions(open_day(edition=ed), 2)
    services.booking_cancel(booking=services.book(session=a, data=req()))
    assert services.book(session=b, data=req()).is_confirmed


def test_real_name_identity_is_the_id_number_not_the_mobile():
    ed = edition(one_session_per_day=OneSessionPerDay.EDITION)
    activity = open_day(edition=ed, id_number_required=True)
    a, b = _same_day_sessions(activity, 2)
    parent = {"phone": PHONE, "id_consent": True}
    services.book(session=a, data=req(id_number=resident_id(seq=101), **parent))
    # The same parent's mobile for a second child: another person, admitted.
    assert services.book(session=b, data=req(id_number=resident_id(seq=102), **parent)).is_confirmed
    # The same ID with another mobile: the same person, refused.
    error = refusal(b, id_number=resident_id(seq=101), phone=phone(9), id_consent=True)
    assert error.code == "one_per_day"
    (c,) = _same_day_sessions(open_day(edition=ed, id_number_required=True), 1)
    assert refusal(c, id_number=resident_id(seq=101), phone=phone(9), id_consent=True).code == (
        "one_per_day"
    )


def test_the_organiser_sets_the_rules_on_the_edition_form():
    form = EditionForm()
    for name in ("no_show_limit", "no_show_window_days", "no_show_block_days",
                 "one_session_per_day"):  # fmt: skip
        assert name in form.fields
    assert form.fields["no_show_limit"].initial == 0


# Under parallel requests --------------------------------------------------------------------


def _attempt(session, **fields):
    def work():
        try:
            return services.book(session=session, data=req(**fields)).status
        except Conflict as exc:
            return exc.code

    return work


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_booking_eight_sessions_of_a_day_at_once_gets_exactly_one():
    ed = edition(one_session_per_day=OneSessionPerDay.EDITION)
    sessions = _same_day_sessions(open_day(edition=ed), 4) + _same_day_sessions(
        open_day(edition=ed), 4
    )
    outcomes = run_together([_attempt(s) for s in sessions])
    assert Counter(outcomes) == {BookingStatus.CONFIRMED: 1, "one_per_day": 7}, outcomes
    assert Booking.objects.filter(phone=PHONE, status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_different_people_are_not_held_back():
    ed = edition(one_session_per_day=OneSessionPerDay.EDITION, no_show_limit=2)
    (session,) = _same_day_sessions(open_day(edition=ed), 1)
    outcomes = run_together([_attempt(session, phone=phone(n)) for n in range(10)])
    assert outcomes == [BookingStatus.CONFIRMED] * 10
    session.refresh_from_db()
    assert session.places_taken == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_blocked_booker_is_refused_on_every_parallel_request():
    ed = edition(no_show_limit=2)
    no_show(ed, 20)
    no_show(ed, 10)
    sessions = [session_of(open_day(edition=ed)) for _ in range(6)]
    outcomes = run_together([_attempt(s) for s in sessions])
    assert outcomes == ["no_show_blocked"] * 6
    assert not Booking.objects.filter(session__in=sessions).exists()


@pytest.mark.django_db(transaction=True)
def test_one_person_in_parallel_gets_one_on_any_database(tmp_path, settings):
    """SQLite too (a file database, as deployed): its write lock queues the bookings."""
    ed = edition(one_session_per_day=OneSessionPerDay.EDITION)
    sessions = _same_day_sessions(open_day(edition=ed), 3)
    on_sqlite = "sqlite" in settings.DATABASES["default"]["ENGINE"]
    database = sqlite_file_copy(tmp_path / "db.sqlite3") if on_sqlite else None
    outcomes = run_together([_attempt(s) for s in sessions], database=database)
    assert Counter(outcomes) == {BookingStatus.CONFIRMED: 1, "one_per_day": 2}, outcomes


def test_an_edition_form_posted_without_the_rules_keeps_them():
    # A year the form accepts (the factory's sequence runs past 2100 in a long run).
    ed = edition(year=2077, no_show_limit=3, one_session_per_day=OneSessionPerDay.ACTIVITY)
    fields = ("year", "title", "theme", "start_date", "end_date", "summary_deadline",
              "receiving_section", "receiving_email")  # fmt: skip
    data = {name: getattr(ed, name) for name in fields}
    form = EditionForm(data, instance=ed)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.no_show_limit, saved.one_session_per_day) == (3, OneSessionPerDay.ACTIVITY)
    form = EditionForm({**data, "no_show_limit": 2, "no_show_window_days": 60,
                        "no_show_block_days": 14, "one_session_per_day": "edition"},
                       instance=ed)  # fmt: skip
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.no_show_limit, saved.no_show_window_days, saved.no_show_block_days) == (2, 60, 14)
    assert saved.one_session_per_day == OneSessionPerDay.EDITION
