"""A published activity lives on: corrections at once, changes of time, venue or booking rules
through an approved change, sessions added one at a time or as a series, a replay link."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from sciweek.activities import changes
from sciweek.activities.audit_labels import AUDIT_ACTIONS
from sciweek.activities.models import ActivityChange, Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings.models import Booking
from sciweek.bookings.services import book, booking_cancel
from sciweek.bookings.validation import BookingRequest
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.notifications.models import OutboxMessage
from tests.activities.world import activity_in, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = make_world()
    world.published = activity_in(world, "published", booking_required=True)
    world.session = world.published.sessions.get()
    return world


def at(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def actions(activity) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(activity.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


PHONES = iter(range(13800000001, 13900000000))


def booking(session, name, email):
    return book(
        session=session,
        data=BookingRequest(name=name, phone=str(next(PHONES)), email=email, consent=True),
    )


def test_a_typo_is_fixed_at_once_with_an_audit_entry(w):
    editor = w.user(Role.UNIT_EDITOR)
    old = w.published.title
    changes.activity_correct(
        activity=w.published, values={"title": "科技馆开放日（更正）"}, by=editor
    )
    w.published.refresh_from_db()
    assert w.published.title == "科技馆开放日（更正）"
    entry = AuditEntry.objects.get(action="activity.correct")
    assert entry.changes == {"title": [old, "科技馆开放日（更正）"]}
    assert entry.actor == editor


def test_a_correction_without_a_change_or_of_a_draft_is_refused(w):
    with pytest.raises(ServiceError) as same:
        changes.activity_correct(activity=w.published, values={"title": w.published.title}, by=None)
    assert same.value.code == "no_change"
    draft = activity_in(w, "draft")
    with pytest.raises(ServiceError) as not_published:
        changes.activity_correct(activity=draft, values={"title": "x"}, by=None)
    assert not_published.value.code == "not_published"


def test_a_time_change_waits_for_the_area_and_then_every_booker_hears_of_it(w):
    first = booking(w.session, "张三", "zhang@example.test")
    second = booking(w.session, "李四", "li@example.test")
    gone = booking(w.session, "王五", "wang@example.test")
    booking_cancel(booking=gone)
    OutboxMessage.objects.all().delete()
    day = w.edition.start_date + timedelta(days=2)
    change = changes.change_propose(
        activity=w.published,
        sessions={w.session.pk: (at(day, 14, 30), at(day, 16, 30))},
        note="场馆检修",
        by=w.user(Role.UNIT_EDITOR),
    )
    w.session.refresh_from_db()
    assert w.session.starts_at == at(w.edition.start_date, 9)  # nothing moves before approval
    assert not OutboxMessage.objects.exists()

    changes.change_decide(change=change, action="approve", by=w.user(Role.AREA_REVIEWER))

    w.session.refresh_from_db()
    assert (w.session.starts_at, w.session.ends_at) == (at(day, 14, 30), at(day, 16, 30))
    rows = list(OutboxMessage.objects.order_by("id").values_list("kind", "channel", "recipient"))
    # A change is urgent: by email and by SMS (bookings.messages.channels).
    assert rows == [
        ("booking.changed", "email", "zhang@example.test"),
        ("booking.changed", "sms", first.phone),
        ("booking.changed", "email", "li@example.test"),
        ("booking.changed", "sms", second.phone),
    ]
    message = OutboxMessage.objects.get(recipient="zhang@example.test")
    assert f"{day:%Y-%m-%d} 14:30–16:30" in message.body
    text = OutboxMessage.objects.get(recipient=first.phone).body
    assert f"{day:%m-%d} 14:30" in text and first.manage_token in text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "confirmed")  # both still booked
    change.refresh_from_db()
    assert change.is_proposed is False
    assert actions(w.published)[-2:] == ["activity.change_propose", "activity_change.approve"]


def test_a_venue_change_tells_the_bookers_of_every_coming_session(w):
    other = Session.objects.create(
        activity=w.published, starts_at=at(w.edition.end_date, 9), ends_at=at(w.edition.end_date, 11),
        capacity=10,
    )  # fmt: skip
    booking(w.session, "张三", "zhang@example.test")
    booking(other, "李四", "li@example.test")
    OutboxMessage.objects.all().delete()
    change = changes.change_propose(
        activity=w.published, fields={"venue_name": "科技馆二号厅", "address": w.published.address},
        by=w.user(Role.UNIT_ADMIN),
    )  # fmt: skip
    assert change.fields == {"venue_name": "科技馆二号厅"}  # the unchanged address is dropped
    changes.change_decide(change=change, action="approve", by=w.user(Role.AREA_ADMIN))
    w.published.refresh_from_db()
    assert w.published.venue_name == "科技馆二号厅"
    assert sorted(OutboxMessage.objects.values_list("channel", "recipient")) == sorted(
        [
            ("email", "li@example.test"),
            ("email", "zhang@example.test"),
            *(("sms", b.phone) for b in Booking.objects.all()),
        ]
    )
    assert all("科技馆二号厅" in m.body for m in OutboxMessage.objects.all())


def test_a_booking_rule_change_applies_without_messages(w):
    booking(w.session, "张三", "zhang@example.test")
    OutboxMessage.objects.all().delete()
    change = changes.change_propose(
        activity=w.published, fields={"max_group_size": 40}, by=w.user(Role.UNIT_EDITOR)
    )
    changes.change_decide(change=change, action="approve", by=w.user(Role.AREA_REVIEWER))
    w.published.refresh_from_db()
    assert w.published.max_group_size == 40
    assert not OutboxMessage.objects.exists()


def test_a_rejected_change_needs_a_reason_and_changes_nothing(w):
    change = changes.change_propose(
        activity=w.published, fields={"venue_name": "别处"}, by=w.user(Role.UNIT_EDITOR)
    )
    with pytest.raises(ServiceError) as no_reason:
        changes.change_decide(change=change, action="reject", by=w.user(Role.AREA_REVIEWER))
    assert no_reason.value.code == "reason_required"
    changes.change_decide(
        change=change, action="reject", by=w.user(Role.AREA_REVIEWER), reason="场地未备案"
    )
    change.refresh_from_db()
    assert (change.state, change.reason) == ("rejected", "场地未备案")
    w.published.refresh_from_db()
    assert w.published.venue_name == "社区文化中心"
    assert actions(w.published)[-1] == "activity_change.reject"


@pytest.mark.parametrize(
    "role", [Role.UNIT_EDITOR, Role.OTHER_AREA_REVIEWER, Role.ORGANIZER_REVIEWER, Role.GATE_STAFF]
)
def test_only_the_area_decides_a_change_of_a_unit_in_an_area(w, role):
    change = changes.change_propose(
        activity=w.published, fields={"venue_name": "别处"}, by=w.user(Role.UNIT_EDITOR)
    )
    with pytest.raises(PermissionRefused):
        changes.change_decide(change=change, action="approve", by=w.user(role))


def test_the_city_decides_a_change_of_a_city_level_activity(w):
    city = activity_in(w, "published", host=w.city_dept, area=None)
    change = changes.change_propose(
        activity=city, fields={"venue_name": "市民中心"}, by=w.user(Role.CITY_DEPT_EDITOR)
    )
    with pytest.raises(PermissionRefused):
        changes.change_decide(change=change, action="approve", by=w.user(Role.AREA_REVIEWER))
    changes.change_decide(change=change, action="approve", by=w.user(Role.ORGANIZER_REVIEWER))
    city.refresh_from_db()
    assert city.venue_name == "市民中心"


def test_proposals_that_cannot_be_made_are_refused(w):
    by = w.user(Role.UNIT_EDITOR)
    with pytest.raises(ServiceError) as nothing:
        changes.change_propose(activity=w.published, fields={"venue_name": "社区文化中心"}, by=by)
    assert nothing.value.code == "no_change"
    with pytest.raises(ServiceError) as bad_field:
        changes.change_propose(activity=w.published, fields={"title": "x"}, by=by)
    assert bad_field.value.code == "bad_field"
    with pytest.raises(ServiceError) as bad_value:
        changes.change_propose(activity=w.published, fields={"max_group_size": 0}, by=by)
    assert bad_value.value.code == "bad_value"
    outside = w.edition.end_date + timedelta(days=30)
    with pytest.raises(ServiceError) as outside_week:
        changes.change_propose(
            activity=w.published, sessions={w.session.pk: (at(outside, 9), at(outside, 10))}, by=by
        )
    assert outside_week.value.code == "session_outside_week"
    changes.change_propose(activity=w.published, fields={"venue_name": "别处"}, by=by)
    with pytest.raises(ServiceError) as pending:
        changes.change_propose(activity=w.published, fields={"address": "别的地址"}, by=by)
    assert pending.value.code == "change_pending"
    assert ActivityChange.objects.count() == 1


def test_a_change_of_an_activity_cancelled_meanwhile_cannot_be_approved(w):
    change = changes.change_propose(
        activity=w.published, fields={"venue_name": "别处"}, by=w.user(Role.UNIT_EDITOR)
    )
    w.published.state = "cancelled"
    w.published.save(update_fields=["state"])
    with pytest.raises(ServiceError) as refused:
        changes.change_decide(change=change, action="approve", by=w.user(Role.AREA_REVIEWER))
    assert refused.value.code == "not_published"


def test_a_published_activity_gains_a_session(w):
    day = w.edition.start_date + timedelta(days=1)
    session = changes.session_add_published(
        activity=w.published,
        session=Session(starts_at=at(day, 9, 30), ends_at=at(day, 11), capacity=30),
        by=w.user(Role.UNIT_EDITOR),
    )
    assert list(w.published.sessions.values_list("pk", flat=True)) == [w.session.pk, session.pk]
    assert actions(w.published)[-1] == "activity.session_add"


def test_series_slots_are_every_chosen_weekday_at_each_time():
    # 2031-05-19 is a Monday.
    slots = changes.series_slots(
        first_day=date(2031, 5, 19), last_day=date(2031, 5, 25), weekdays=[0, 1, 2, 3, 4],
        times=[time(14, 30), time(9, 30)], minutes=90,
    )  # fmt: skip
    local = [
        (f"{timezone.localtime(s):%m-%d %H:%M}", f"{timezone.localtime(e):%H:%M}") for s, e in slots
    ]
    assert local == [
        ("05-19 09:30", "11:00"), ("05-19 14:30", "16:00"),
        ("05-20 09:30", "11:00"), ("05-20 14:30", "16:00"),
        ("05-21 09:30", "11:00"), ("05-21 14:30", "16:00"),
        ("05-22 09:30", "11:00"), ("05-22 14:30", "16:00"),
        ("05-23 09:30", "11:00"), ("05-23 14:30", "16:00"),
    ]  # fmt: skip


def test_a_series_within_the_week_is_added_all_at_once(w):
    added = changes.sessions_add_series(
        activity=w.published, first_day=date(2031, 5, 26), last_day=date(2031, 5, 31),
        weekdays=[0, 2], times=[time(9, 30), time(14, 30)], minutes=60, capacity=40,
        by=w.user(Role.UNIT_EDITOR),
    )  # fmt: skip
    assert len(added) == 4
    assert w.published.sessions.count() == 5
    entry = AuditEntry.objects.get(action="activity.sessions_add_series")
    assert entry.changes == {
        "count": [None, 4],
        "first": [None, "2031-05-26T09:30+08:00"],
        "last": [None, "2031-05-28T14:30+08:00"],
    }


def test_a_series_outside_the_week_is_refused_unless_the_activity_is_a_series(w):
    kwargs = {
        "first_day": date(2031, 5, 26), "last_day": date(2031, 6, 6), "weekdays": [0], "times": [time(9, 30)],
        "minutes": 60, "capacity": 40, "by": w.user(Role.UNIT_EDITOR),
    }  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        changes.sessions_add_series(activity=w.published, **kwargs)
    assert refused.value.code == "session_outside_week"
    assert w.published.sessions.count() == 1
    w.published.is_series = True
    w.published.save(update_fields=["is_series"])
    assert len(changes.sessions_add_series(activity=w.published, **kwargs)) == 2


def test_an_empty_or_endless_series_is_refused(w):
    by = w.user(Role.UNIT_EDITOR)
    with pytest.raises(ServiceError) as empty:
        changes.sessions_add_series(
            activity=w.published, first_day=date(2031, 5, 24), last_day=date(2031, 5, 25),
            weekdays=[0], times=[time(9)], minutes=60, capacity=1, by=by,
        )  # fmt: skip
    assert empty.value.code == "series_empty"
    w.published.is_series = True
    w.published.save(update_fields=["is_series"])
    with pytest.raises(ServiceError) as endless:
        changes.sessions_add_series(
            activity=w.published, first_day=date(2031, 1, 1), last_day=date(2031, 12, 31),
            weekdays=range(7), times=[time(9)], minutes=60, capacity=1, by=by,
        )  # fmt: skip
    assert endless.value.code == "series_too_long"


def test_a_replay_link_is_added_once_held(w):
    with pytest.raises(ServiceError) as early:
        changes.replay_set(activity=w.published, url="https://v.example.test/1", by=None)
    assert early.value.code == "not_held"
    held = activity_in(w, "held")
    with pytest.raises(ServiceError) as bad:
        changes.replay_set(activity=held, url="javascript:alert(1)", by=None)
    assert bad.value.code == "bad_url"
    changes.replay_set(activity=held, url="https://v.example.test/1", by=w.user(Role.UNIT_EDITOR))
    held.refresh_from_db()
    assert held.replay_url == "https://v.example.test/1"
    assert actions(held)[-1] == "activity.replay"


def test_every_new_audit_code_has_a_label():
    for code in (
        "activity.correct", "activity.change_propose", "activity_change.approve",
        "activity_change.reject", "activity.sessions_add_series", "activity.replay",
    ):  # fmt: skip
        assert code in AUDIT_ACTIONS


def test_a_session_that_makes_it_a_large_event_without_its_papers_is_refused(w):
    day = w.edition.start_date + timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        changes.session_add_published(
            activity=w.published,
            session=Session(starts_at=at(day, 9), ends_at=at(day, 11), capacity=3000),
            by=w.user(Role.UNIT_EDITOR),
        )
    assert refused.value.code == "large_event_incomplete"
    assert w.published.sessions.count() == 1


def test_an_edit_corrects_and_proposes_together_or_not_at_all(w):
    by = w.user(Role.UNIT_EDITOR)
    edit = changes.published_edit(
        activity=w.published, corrections={"title": "更正后的标题"},
        fields={"venue_name": "二号厅"}, by=by,
    )  # fmt: skip
    w.published.refresh_from_db()
    assert (edit.corrected, edit.change.fields) == (True, {"venue_name": "二号厅"})
    assert w.published.title == "更正后的标题"
    # A correction alone is published even while a change awaits approval.
    only_text = changes.published_edit(
        activity=w.published, corrections={"title": "再次更正"},
        fields={"venue_name": w.published.venue_name}, by=by,
    )  # fmt: skip
    assert (only_text.corrected, only_text.change) == (True, None)
    # A refused proposal keeps the typo fix from being saved alone.
    with pytest.raises(ServiceError) as pending:
        changes.published_edit(
            activity=w.published, corrections={"title": "第三次"}, fields={"venue_name": "三号厅"},
            by=by,
        )  # fmt: skip
    assert pending.value.code == "change_pending"
    w.published.refresh_from_db()
    assert w.published.title == "再次更正"
    assert actions(w.published).count("activity.correct") == 2


def test_an_edit_that_changes_nothing_is_refused(w):
    with pytest.raises(ServiceError) as nothing:
        changes.published_edit(
            activity=w.published, corrections={"title": w.published.title},
            fields={"venue_name": w.published.venue_name}, by=w.user(Role.UNIT_EDITOR),
        )  # fmt: skip
    assert nothing.value.code == "no_change"
    assert "activity.correct" not in actions(w.published)


def test_the_change_pages_catch_no_service_error():
    """RefusalMixin turns refusals into pages; the views never decide on an error's code."""
    from pathlib import Path

    import sciweek.dashboard.changes.views as views

    assert "except ServiceError" not in Path(views.__file__).read_text()
