"""Activity list filters give exact result sets; list queries do not grow with the rows."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciweek.activities.models import Activity, AudienceTag, Category
from sciweek.activities.selectors import (
    ActivityFilters,
    area_review_queue,
    city_review_queue,
    filter_activities,
    own_activities,
    with_list_joins,
)
from tests.activities.world import activity_in, fresh, make_world
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def day(w, n: int, hour: int = 9) -> datetime:
    return timezone.make_aware(
        datetime.combine(w.edition.start_date + timedelta(days=n), time(hour))
    )


@pytest.fixture
def w():
    world = make_world()
    lecture = Category.objects.get(edition=world.edition, code="lecture")
    world.a = activity_in(world, "published", title="淄博市科技馆开放日", sessions=0, is_key=True,
                          venue_name="科技馆一楼", mode="offline")  # fmt: skip
    world.b = activity_in(world, "pending_area", host=world.unit_b, category=lecture, sessions=0,
                          title="新材料科普讲座", venue_name="临淄区文化中心", mode="hybrid",
                          address="临淄区桓公路", livestream_url="https://live.example.org/1")  # fmt: skip
    world.c = activity_in(world, "draft", host=world.dept, area=world.linzi, sessions=0,
                          title="气象科普直播", venue_name="", mode="online")  # fmt: skip
    SessionFactory(activity=world.a, starts_at=day(world, 0), ends_at=day(world, 0, 11))
    SessionFactory(activity=world.a, starts_at=day(world, 5), ends_at=day(world, 5, 11))
    SessionFactory(activity=world.b, starts_at=day(world, 2), ends_at=day(world, 2, 11))
    SessionFactory(activity=world.c, starts_at=day(world, 9), ends_at=day(world, 9, 11))
    AudienceTag.objects.create(activity=world.a, audience="students")
    AudienceTag.objects.create(activity=world.a, audience="teachers")
    AudienceTag.objects.create(activity=world.b, audience="students")
    AudienceTag.objects.create(activity=world.c, audience="public")
    return world


def run(f: ActivityFilters) -> set[str]:
    return set(filter_activities(Activity.objects.all(), f).values_list("title", flat=True))


def test_filters_give_exact_sets(w):
    start = w.edition.start_date
    assert run(ActivityFilters()) == {"淄博市科技馆开放日", "新材料科普讲座", "气象科普直播"}
    assert run(ActivityFilters(state="published")) == {"淄博市科技馆开放日"}
    assert run(ActivityFilters(state="returned")) == set()
    assert run(ActivityFilters(area=w.linzi.pk)) == {"新材料科普讲座", "气象科普直播"}
    assert run(ActivityFilters(area=w.zhangdian.pk)) == {"淄博市科技馆开放日"}
    assert run(ActivityFilters(category=w.category.pk)) == {"淄博市科技馆开放日", "气象科普直播"}
    assert run(ActivityFilters(is_key=True)) == {"淄博市科技馆开放日"}
    assert run(ActivityFilters(is_key=False)) == {"新材料科普讲座", "气象科普直播"}
    assert run(ActivityFilters(mode="hybrid")) == {"新材料科普讲座"}
    assert run(ActivityFilters(audience="students")) == {"淄博市科技馆开放日", "新材料科普讲座"}
    assert run(ActivityFilters(audience="seniors")) == set()
    assert run(ActivityFilters(edition=w.edition.pk, state="draft")) == {"气象科普直播"}
    # Dates: any session overlapping the range.
    assert run(ActivityFilters(date_from=start + timedelta(days=3))) == {
        "淄博市科技馆开放日",
        "气象科普直播",
    }
    assert run(ActivityFilters(date_to=start + timedelta(days=1))) == {"淄博市科技馆开放日"}
    assert run(
        ActivityFilters(date_from=start + timedelta(days=1), date_to=start + timedelta(days=4))
    ) == {"新材料科普讲座"}
    assert run(ActivityFilters(date_from=date(2040, 1, 1))) == set()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("开放日", {"淄博市科技馆开放日"}),  # title
        ("临淄化工", {"新材料科普讲座"}),  # host name
        ("文化中心", {"新材料科普讲座"}),  # venue
        ("桓公路", {"新材料科普讲座"}),  # address
        ("教育局", {"气象科普直播"}),  # a city department host
        ("科普", {"新材料科普讲座", "气象科普直播"}),
        ("不存在的活动", set()),
    ],
)
def test_search_matches_chinese_in_title_host_and_venue(w, q, expected):
    assert run(ActivityFilters(q=q)) == expected


def test_filters_combine_and_never_duplicate_rows(w):
    qs = filter_activities(
        Activity.objects.all(),
        ActivityFilters(audience="students", date_from=w.edition.start_date, q="科"),
    )
    assert sorted(qs.values_list("title", flat=True)) == ["新材料科普讲座", "淄博市科技馆开放日"]


def test_list_joins_figures(w):
    row = with_list_joins(Activity.objects.filter(pk=w.a.pk)).get()
    assert row.first_start == day(w, 0)
    assert row.last_end == day(w, 5, 11)
    assert (row.largest_session, row.total_capacity) == (100, 200)


def test_queues_and_own_activities(w):
    assert set(own_activities(fresh(w.host_editor))) == {w.a}
    assert set(area_review_queue(fresh(w.other_area_reviewer))) == {w.b}
    assert set(area_review_queue(fresh(w.area_reviewer))) == set()
    assert set(city_review_queue(fresh(w.area_admin))) == set()
    pending_city = activity_in(w, "pending_city")
    assert set(city_review_queue(fresh(w.city_reviewer))) == {pending_city}


def _list_queries(qs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        for activity in with_list_joins(qs):
            _ = (activity.host.name, activity.area.name, activity.category.name,
                 activity.edition.year, list(activity.sessions.all()),
                 [t.audience for t in activity.audience_tags.all()], activity.first_start)  # fmt: skip
    return len(ctx.captured_queries)


def test_list_query_count_is_the_same_for_1_and_20_activities():
    w = make_world()
    activity_in(w, "published", sessions=2)
    one = _list_queries(Activity.objects.all())
    for _ in range(19):
        a = activity_in(w, "published", sessions=2)
        AudienceTag.objects.create(activity=a, audience="students")
    assert Activity.objects.count() == 20
    twenty = _list_queries(Activity.objects.all())
    assert one == twenty == 3


def test_the_large_filter_and_badge_follow_the_one_rule(w, client):
    """Three 400-place sessions on one day, or 3,000 expected: large (as ``is_large_event``
    says); the same sessions on three days: not."""
    from django.urls import reverse

    from sciweek.activities import checks
    from tests.roles import Role

    for n in range(3):
        SessionFactory(activity=w.a, capacity=400, starts_at=day(w, 1, 9 + 3 * n),
                       ends_at=day(w, 1, 10 + 3 * n))  # fmt: skip
    w.b.sessions.update(capacity=400)
    Activity.objects.filter(pk=w.c.pk).update(expected_participants=3000)
    large = {a.title for a in Activity.objects.all() if checks.is_large_event(a)}
    assert large == {"淄博市科技馆开放日", "气象科普直播"}
    assert run(ActivityFilters(is_large=True)) == large
    assert run(ActivityFilters(is_large=False)) == {"新材料科普讲座"}
    assert with_list_joins(Activity.objects.filter(pk=w.a.pk)).get().is_large_event is True

    Activity.objects.filter(pk=w.b.pk).update(expected_participants=1000)
    reviewer = Role.AREA_REVIEWER if w.b.area_id == w.area.pk else Role.OTHER_AREA_REVIEWER
    w.login(client, reviewer)
    page = client.get(reverse("dashboard:review-area")).content.decode()
    row = page[page.index(f'data-activity="{w.b.pk}"') :].split("</tr>")[0]
    assert "text-bg-danger" in row
