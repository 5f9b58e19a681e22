"""activity_file: an activity with its sessions, all or nothing, the one service the back-office
form, the API's create and the Excel import share."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sciweek.activities import services
from sciweek.activities.models import Activity, Session
from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from tests.activities.world import activity_in, fresh, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def at(w, day: int, hour: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(w.edition.start_date + timedelta(days=day), time(hour))
    )


def new_activity(w) -> Activity:
    return Activity(
        edition=w.edition, host=w.unit_a, title="科普进社区", category=w.category,
        venue_name="和平社区广场", address="张店区和平街道", contact_name="李老师",
        contact_phone="13800138000", confidentiality_checked=True,
    )  # fmt: skip


def test_activity_file_creates_the_activity_with_its_sessions(w):
    user = fresh(w.host_editor)
    activity = services.activity_file(
        activity=new_activity(w),
        by=user,
        audiences=["public"],
        sessions=[
            Session(starts_at=at(w, 1, 9), ends_at=at(w, 1, 11), capacity=80),
            Session(starts_at=at(w, 2, 9), ends_at=at(w, 2, 11), capacity=40),
        ],
    )
    assert list(activity.sessions.order_by("starts_at").values_list("capacity", flat=True)) == [
        80,
        40,
    ]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "activity.create",
        "activity.session_add",
        "activity.session_add",
    ]


def test_a_refused_session_leaves_nothing_behind(w):
    with pytest.raises(ServiceError) as refused:
        services.activity_file(
            activity=new_activity(w),
            by=fresh(w.host_editor),
            sessions=[
                Session(starts_at=at(w, 1, 9), ends_at=at(w, 1, 11), capacity=80),
                Session(starts_at=at(w, 1, 11), ends_at=at(w, 1, 9), capacity=80),
            ],
        )
    assert refused.value.code == "session_order"
    assert not Activity.objects.exists()
    assert not Session.objects.exists()
    assert not AuditEntry.objects.exists()


def test_activity_file_changes_and_removes_sessions_of_a_draft(w):
    activity = activity_in(w, sessions=2)
    first, second = activity.sessions.order_by("starts_at")
    first.capacity = first.capacity + 5
    services.activity_file(
        activity=activity, by=fresh(w.host_editor), sessions=[first], deleted_sessions=[second]
    )
    assert list(activity.sessions.values_list("pk", "capacity")) == [(first.pk, first.capacity)]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "activity.update",
        "activity.session_delete",
        "activity.session_update",
    ]
