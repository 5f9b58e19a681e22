"""``Activity.first_start``: the earliest session's start, kept by every service that writes
sessions (``sessions_changed`` → ``ActivityQuerySet.refresh_first_start``), so lists can order
on an indexed column."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from sciweek.activities import changes, services
from sciweek.activities.models import Activity, Session
from tests.activities.world import activity_in, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def at(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def stored(activity) -> datetime | None:
    return Activity.objects.values_list("first_start", flat=True).get(pk=activity.pk)


def test_adding_moving_and_removing_sessions_keeps_the_first_start(w):
    activity = activity_in(w, "draft", sessions=0)
    editor = w.user(Role.UNIT_EDITOR)
    day = w.edition.start_date
    assert stored(activity) is None
    late = services.session_save(
        session=Session(activity=activity, starts_at=at(day + timedelta(days=3), 9),
                        ends_at=at(day + timedelta(days=3), 11), capacity=20),
        by=editor,
    )  # fmt: skip
    assert stored(activity) == at(day + timedelta(days=3), 9)
    early = services.session_save(
        session=Session(activity=activity, starts_at=at(day, 14), ends_at=at(day, 16), capacity=9),
        by=editor,
    )
    assert stored(activity) == at(day, 14)
    assert activity.first_start is None  # the caller's copy; the service's own is current
    early.starts_at, early.ends_at = at(day + timedelta(days=5), 8), at(day + timedelta(days=5), 9)
    services.session_save(session=early, by=editor)
    assert stored(activity) == at(day + timedelta(days=3), 9)
    services.session_delete(session=late, by=editor)
    assert stored(activity) == at(day + timedelta(days=5), 8)
    services.session_delete(session=early, by=editor)
    assert stored(activity) is None


def test_a_stale_copy_of_the_activity_saved_later_does_not_write_the_old_value_back(w):
    activity = activity_in(w, "draft", sessions=1)
    stale = Activity.objects.get(pk=activity.pk)
    day = w.edition.start_date
    services.session_save(
        session=Session(activity=activity, starts_at=at(day, 7), ends_at=at(day, 8), capacity=5),
        by=w.user(Role.UNIT_EDITOR),
    )
    stale.title = "改了标题"
    stale.save()
    assert stored(activity) == at(day, 7)
    assert Activity.objects.get(pk=activity.pk).title == "改了标题"


def test_a_published_activity_gains_sessions_and_an_approved_move_updates_it(w):
    activity = activity_in(w, "published", sessions=1)
    editor = w.user(Role.UNIT_EDITOR)
    first = activity.sessions.get()
    day = w.edition.start_date
    assert stored(activity) == first.starts_at
    changes.session_add_published(
        activity=activity,
        session=Session(starts_at=at(day, 7, 30), ends_at=at(day, 8, 30), capacity=30),
        by=editor,
    )
    assert stored(activity) == at(day, 7, 30)
    added = changes.sessions_add_series(
        activity=activity, first_day=day, last_day=day + timedelta(days=6),
        weekdays=list(range(7)), times=[time(6, 0)], minutes=60, capacity=40, by=editor,
    )  # fmt: skip
    assert stored(activity) == min(s.starts_at for s in added) == at(day, 6)
    moves = {s.pk: (at(day + timedelta(days=6), 18), at(day + timedelta(days=6), 19))
             for s in activity.sessions.all()}  # fmt: skip
    change = changes.change_propose(activity=activity, sessions=moves, note="改期", by=editor)
    assert stored(activity) == at(day, 6)  # nothing moves before approval
    changes.change_decide(change=change, action="approve", by=w.user(Role.AREA_REVIEWER))
    assert stored(activity) == at(day + timedelta(days=6), 18)


def test_a_copy_has_the_first_start_of_its_own_sessions(w):
    source = activity_in(w, "published", sessions=2)
    editor = w.user(Role.UNIT_EDITOR)
    same = services.activity_duplicate(activity=source, by=editor)
    assert stored(same) == stored(source) is not None
    other = w.edition.__class__.objects.create(
        year=2032, title="2032", theme="t", start_date=date(2032, 5, 20),
        end_date=date(2032, 5, 27), summary_deadline=date(2032, 6, 30),
        organizer=w.bureau,
    )  # fmt: skip
    elsewhere = services.activity_duplicate(activity=source, by=editor, edition=other)
    assert elsewhere.sessions.count() == 0
    assert stored(elsewhere) is None


def test_refresh_first_start_fills_rows_written_directly(w):
    activity = activity_in(w, "published", sessions=0)
    Session.objects.bulk_create([
        Session(activity=activity, starts_at=at(w.edition.start_date, h),
                ends_at=at(w.edition.start_date, h + 1), capacity=1)
        for h in (15, 10, 12)
    ])  # fmt: skip
    assert stored(activity) is None
    assert Activity.objects.filter(pk=activity.pk).refresh_first_start() == 1
    assert stored(activity) == at(w.edition.start_date, 10)
