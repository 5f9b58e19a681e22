"""No public page renders an unbounded set: the calendar shows one day a page, at most
``CALENDAR_PAGE_SIZE`` sessions; lists count at most their pages; the sitemap is an index of
bounded pages."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from sciweek.activities.models import Activity, Session
from sciweek.common.pagination import CappedPaginator
from sciweek.showcase import selectors
from tests.showcase.conftest import local, make_activity

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sessions_listed(response) -> int:
    return response.content.decode().count('<li class="list-group-item">')


def test_the_calendar_shows_one_day_with_links_to_the_next_and_previous(client, world):
    w = world
    first = make_activity(w.current, w.unit, title="第一天的活动", days=(0,))
    second = make_activity(w.current, w.unit, title="第二天的活动", days=(1,))
    page = client.get("/calendar/").content.decode()  # the week has not begun: its first day
    assert first.title in page and second.title not in page
    day2 = w.current.start_date + timedelta(days=1)
    assert f'href="?day={day2:%Y-%m-%d}" data-day-nav="next"' in page
    assert 'data-day-nav="previous"' not in page
    page = client.get(f"/calendar/?day={day2:%Y-%m-%d}").content.decode()
    assert second.title in page and first.title not in page
    assert f'href="?day={w.current.start_date:%Y-%m-%d}" data-day-nav="previous"' in page
    last = client.get(f"/calendar/?day={w.current.end_date:%Y-%m-%d}").content.decode()
    assert 'data-day-nav="next"' not in last
    assert last.count("?day=") == len(selectors.calendar_days(w.current)) + 1  # strip + previous


@pytest.mark.parametrize("day", ["junk", "2031-02-30", "2031-5-1", "9" * 400])
def test_a_bad_day_shows_the_first_day_not_an_error(client, world, day):
    activity = make_activity(world.current, world.unit, title="首日活动", days=(0,))
    response = client.get("/calendar/", {"day": day})
    assert response.status_code == 200
    assert activity.title in response.content.decode()


def test_a_day_with_more_sessions_than_a_page_is_paged(client, world):
    w = world
    activity = make_activity(w.current, w.unit, title="热门开放日", days=())
    start = local(w.current.start_date, 8)
    size = selectors.CALENDAR_PAGE_SIZE
    Session.objects.bulk_create(
        Session(activity=activity, starts_at=start + timedelta(minutes=n),
                ends_at=start + timedelta(minutes=n + 60), capacity=5)
        for n in range(size + 3)
    )  # fmt: skip
    Activity.objects.filter(pk=activity.pk).refresh_first_start()
    first = client.get("/calendar/")
    assert sessions_listed(first) == size
    assert "?page=2" in first.content.decode()
    second = client.get("/calendar/?page=2")
    assert sessions_listed(second) == 3


def test_the_capped_paginator_counts_no_further_than_its_pages(world):
    w = world
    for n in range(7):
        make_activity(w.current, w.unit, title=f"活动{n}")
    paginator = CappedPaginator(Activity.objects.order_by("id"), 2)
    paginator.max_pages = 3
    assert (paginator.count, paginator.capped, paginator.num_pages, paginator.cap) == (
        7,
        True,
        3,
        6,
    )
    assert len(paginator.get_page(99).object_list) == 2  # the last page served is the third
    roomy = CappedPaginator(Activity.objects.order_by("id"), 2)
    assert (roomy.count, roomy.capped, roomy.num_pages) == (7, False, 4)


def test_a_list_with_more_than_its_pages_says_so(client, world, monkeypatch):
    w = world
    for n in range(5):
        make_activity(w.current, w.unit, title=f"活动{n}")
    monkeypatch.setattr(CappedPaginator, "max_pages", 2)
    from sciweek.showcase.views import ActivityListView

    monkeypatch.setattr(ActivityListView, "paginate_by", 2)
    page = client.get("/activities/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 4 found: narrow the filters to see them all." in page
    assert "Page 1 of 2" in page


def test_the_sitemap_is_an_index_of_bounded_pages(client, world, monkeypatch):
    from sciweek.showcase.sitemaps import ActivitySitemap

    monkeypatch.setattr(ActivitySitemap, "limit", 2)
    activities = [make_activity(world.current, world.unit, title=f"活动{n}") for n in range(5)]
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    pages = [e.text for e in index.findall("s:sitemap/s:loc", NS)]
    activity_pages = [p for p in pages if "sitemap-activities.xml" in p]
    listed = Activity.objects.filter(pk__in=[a.pk for a in activities])  # ids may have gaps
    assert len(activity_pages) == (max(a.pk for a in listed) - min(a.pk for a in listed)) // 2 + 1
    seen = []
    for page in activity_pages:
        body = ET.fromstring(client.get(page.removeprefix("http://testserver")).content)  # noqa: S314
        locs = [e.text for e in body.findall("s:url/s:loc", NS)]
        assert len(locs) <= 2
        seen += locs
    assert sorted(seen) == sorted(f"http://testserver/activities/{a.pk}/" for a in activities)


def test_an_editions_calendar_feed_carries_at_most_its_limit(client, world, monkeypatch):
    from icalendar import Calendar

    from sciweek.showcase import views

    make_activity(world.current, world.unit, title="三天的活动", days=(0, 1, 2))
    monkeypatch.setattr(views, "FEED_LIMIT", 2)
    feed = Calendar.from_ical(client.get("/calendar.ics").content)
    starts = [e["DTSTART"].dt for e in feed.walk("VEVENT")]
    assert len(starts) == 2
    assert starts == sorted(starts)
    assert starts[0] == local(world.current.start_date, 9)


def test_a_sitemap_page_is_a_key_range_not_a_count_and_an_offset(client, world, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sciweek.showcase.sitemaps import ActivitySitemap

    monkeypatch.setattr(ActivitySitemap, "limit", 2)
    for n in range(5):
        make_activity(world.current, world.unit, title=f"活动{n}")
    pages = ActivitySitemap().paginator.num_pages
    for url in ("/sitemap.xml", f"/sitemap-activities.xml?p={pages}"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = " ".join(q["sql"] for q in queries).upper()
        assert "OFFSET" not in sql and "COUNT(" not in sql, url
    assert client.get(f"/sitemap-activities.xml?p={pages + 1}").status_code == 404
    assert client.get("/sitemap-activities.xml?p=junk").status_code == 404
