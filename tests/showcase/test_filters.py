"""The public list's filters and search give exact result sets; pagination splits them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sciweek.activities.models import Category

from .conftest import EN, activity_ids, make_activity


@pytest.fixture
def fw(world):
    """Four public activities that differ in every filtered attribute.

    robots:    张店, 开放日, day 1,          students,          offline, bookable now
    chemistry: 临淄, 讲座,   day 3,          seniors,           online,  no booking
    materials: 临淄, 开放日, day 5,          students+children, hybrid,  booking closed
    astronomy: 张店, 讲座,   days 1 and 7,   public,            offline, no booking
    """
    w = world
    w.robots = make_activity(
        w.current, w.museum, title="机器人开放日", category="open_day", days=(0,),
        audiences=("students",), mode="offline", venue_name="科技馆一楼", booking_required=True,
    )  # fmt: skip
    w.chemistry = make_activity(
        w.current, w.institute, title="趣味化学讲座", category="lecture", days=(2,),
        audiences=("seniors",), mode="online", venue_name="稷下小学报告厅",
    )  # fmt: skip
    w.materials = make_activity(
        w.current, w.institute, title="新材料实验室开放日", category="open_day", days=(4,),
        audiences=("students", "children"), mode="hybrid", venue_name="研究院实验楼",
        booking_required=True,
    )  # fmt: skip
    closed = timezone.now() - timedelta(days=1)
    w.materials.sessions.update(
        booking_opens_at=closed - timedelta(days=1), booking_closes_at=closed
    )
    w.astronomy = make_activity(
        w.current, w.museum, title="天文科普讲座", category="lecture", days=(0, 6),
        audiences=("public",), mode="offline", venue_name="淄博市天文台",
    )  # fmt: skip
    w.category_pk = {
        c.code: c.pk
        for c in Category.objects.filter(edition=w.current, code__in=["open_day", "lecture"])
    }
    return w


def ids(client, query: str) -> set[int]:
    response = client.get(f"/activities/?{query}")
    assert response.status_code == 200
    return set(activity_ids(response))


def day(w, offset: int) -> str:
    return (w.current.start_date + timedelta(days=offset)).isoformat()


def test_no_filter_lists_everything_by_first_session(client, fw):
    w = fw
    response = client.get("/activities/")
    # Robots and astronomy both start on day 1 at 09:00: the id breaks the tie.
    first_day = sorted([w.robots.pk, w.astronomy.pk])
    assert activity_ids(response) == [*first_day, w.chemistry.pk, w.materials.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("area={linzi}", {"chemistry", "materials"}),
        ("area={zhangdian}", {"robots", "astronomy"}),
        ("category={open_day}", {"robots", "materials"}),
        ("area={linzi}&category={open_day}", {"materials"}),
        ("date_from={d2}&date_to={d2}", {"chemistry"}),
        ("date_from={d4}", {"materials", "astronomy"}),
        ("date_to={d0}", {"robots", "astronomy"}),
        ("date_from={d5}&date_to={d5}", set()),
        ("audience=students", {"robots", "materials"}),
        ("audience=seniors", {"chemistry"}),
        ("audience=farmers", set()),
        ("mode=online", {"chemistry"}),
        ("mode=hybrid", {"materials"}),
        ("mode=offline", {"robots", "astronomy"}),
        ("bookable=on", {"robots"}),
        ("q=天文", {"astronomy"}),
        ("q=开放日", {"robots", "materials"}),
        ("q=化工", {"chemistry", "materials"}),
        ("q=稷下", {"chemistry"}),
        ("q=科技馆", {"robots", "astronomy"}),
        ("q=%20机器人%20", {"robots"}),
        ("q=不存在的活动", set()),
        ("q=化学&area={linzi}&mode=online&audience=seniors", {"chemistry"}),
    ],
)
def test_filters_give_exact_result_sets(client, fw, query, expected):
    w = fw
    query = query.format(
        linzi=w.linzi.pk,
        zhangdian=w.zhangdian.pk,
        open_day=w.category_pk["open_day"],
        **{f"d{n}": day(w, n) for n in range(7)},
    )
    assert ids(client, query) == {getattr(w, name).pk for name in expected}


def test_a_category_of_another_edition_is_ignored_not_an_error(client, fw):
    w = fw
    other = Category.objects.get(edition=w.archive, code="open_day")
    response = client.get(f"/activities/?category={other.pk}")
    assert response.status_code == 200
    # An invalid value makes the form invalid; the visitor still gets the whole list.
    assert len(activity_ids(response)) == 4


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("date_from=not-a-date", 200),
        ("area=abc", 200),
        ("mode=nonsense", 200),
        ("q=" + "长" * 200, 200),
        ("page=abc", 200),  # not a page number: ignored, the first page
        ("page=99", 404),
    ],
)
def test_malformed_filters_never_fail(client, fw, query, status):
    assert client.get(f"/activities/?{query}").status_code == status


def test_a_hostile_search_is_shown_escaped(client, fw):
    response = client.get("/activities/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_the_count_is_shown(client, fw):
    response = client.get(f"/activities/?area={fw.linzi.pk}", **EN)
    assert "2 activities found" in response.content.decode()


def test_pagination_splits_the_list_by_twenty(client, world):
    made = [
        make_activity(world.current, world.museum, title=f"分页活动{n:02d}", hour=8 + n % 10)
        for n in range(25)
    ]
    expected = [a.pk for a in sorted(made, key=lambda a: (a.sessions.get().starts_at, a.pk))]
    first = client.get("/activities/")
    second = client.get("/activities/?page=2")
    assert activity_ids(first) == expected[:20]
    assert activity_ids(second) == expected[20:]
    assert client.get("/activities/?page=3").status_code == 404
