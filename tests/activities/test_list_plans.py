"""On PostgreSQL the main activity lists read a page from an index in list order: no sequential
scan of the activity table, no sort of every matching row (what made /activities/ take 2 s at
100,000 activities). Data from ``bench/bulk.py`` (the same generator the benchmarks use)."""

from datetime import timedelta

import pytest
from bench.bulk import generate
from django.contrib.auth import get_user_model
from django.db import connection

from sciweek.activities.selectors import (
    ActivityFilters,
    city_review_queue,
    filter_activities,
    office_activities,
    order_activities,
    with_list_joins,
)
from sciweek.campaigns.selectors import current_edition
from sciweek.organizations.models import Organization
from sciweek.showcase import selectors

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def bulk():
    figures = generate(activities=4000, sessions_per_activity=2.0, bookings=0, demo=False)
    assert figures["activities"] == 4000
    return current_edition()


def plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def assert_reads_an_index(qs, *indexes: str) -> None:
    """The page of ``qs`` comes from one of ``indexes`` (read in list order, either way)."""
    text = plan(qs[:20])
    assert any(
        f"Index Scan {how}using {index} on activities_activity" in text
        for index in indexes
        for how in ("", "Backward ")
    ), text
    assert "Seq Scan on activities_activity" not in text, text


def test_the_public_list_and_an_areas_page_read_the_start_index(bulk):
    edition = bulk
    assert_reads_an_index(
        selectors.search_public(edition, ActivityFilters()), "activity_public_by_start"
    )
    area = Organization.objects.get(slug="zhangdian")
    qs = with_list_joins(selectors.public_activities(edition).filter(area=area)).order_by(
        "first_start", "id"
    )
    assert_reads_an_index(qs, "activity_area_by_start", "activity_public_by_start")


def test_the_back_office_list_reads_the_filing_index(bulk):
    organizer = get_user_model().objects.get(username="organizer")
    qs = with_list_joins(
        filter_activities(office_activities(organizer), ActivityFilters(edition=bulk.pk))
    ).order_by("-created_at", "-id")
    assert_reads_an_index(qs, "activity_by_filing")
    by_start = order_activities(
        with_list_joins(
            filter_activities(office_activities(organizer), ActivityFilters(edition=bulk.pk))
        ),
        "start",
    )
    assert_reads_an_index(by_start, "activity_by_start")


def test_the_calendar_reads_a_day_from_the_session_start_index(bulk):
    text = plan(selectors.sessions_on(bulk, bulk.start_date + timedelta(days=2))[:100])
    assert "Index Scan using activities__starts__" in text, text
    assert "Seq Scan on activities_session" not in text, text


def test_the_city_queue_reads_the_state_index(bulk):
    organizer = get_user_model().objects.get(username="organizer")
    qs = with_list_joins(city_review_queue(organizer)).order_by("state_changed_at", "id")
    text = plan(qs[:20])
    assert "Seq Scan on activities_activity" not in text, text
