"""Every figure of the dashboard (``reports.week_statistics``) recounted from the raw records of
a test world, in plain Python; the scope of each role; a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciweek.activities.models import Activity, Category, MediaCoverage, Session
from sciweek.activities.services import seed_categories
from sciweek.bookings.models import Booking, SurveyAnswer
from sciweek.campaigns.enums import NoticeStatus
from sciweek.campaigns.models import NoticeRecipient
from sciweek.reports.models import AreaSummary, ReportingTask
from sciweek.reports.week_statistics import StatisticsFilters, tile_layout, week_statistics
from tests.activities.world import make_world
from tests.factories import ActivityFactory, EditionFactory, NoticeFactory, SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

PUBLIC = {"published", "held"}
_people = iter(range(10_000))


def book(session, status="confirmed", party=1, checked_in=None):
    n = next(_people)
    if status == "confirmed":  # as the booking services keep it, under the session's lock
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + party)
    return Booking.objects.create(
        session=session,
        status=status,
        name=f"访客{n}",
        phone=f"139{n:08d}",
        person_key=f"key-{n}",
        party_size=party,
        checked_in_at=checked_in,
    )


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def fill(w, edition, *, scale: int = 1):
    """Activities of both areas in every state, sessions on three days (one long past), bookings
    of every status, check-ins, results, coverage and budgets."""
    past = timezone.localdate() - timedelta(days=3)
    days = [edition.start_date, edition.start_date + timedelta(days=1), past]
    categories = list(Category.objects.filter(edition=edition).order_by("position")[:3])
    made = []
    for n in range(scale):
        for i, (state, host) in enumerate(
            [
                ("published", w.unit),
                ("published", w.other_unit),
                ("held", w.unit),
                ("held", w.other_unit),
                ("pending_area", w.unit),
                ("pending_city", w.other_unit),
                ("returned", w.unit),
                ("cancelled", w.other_unit),
                ("draft", w.unit),
                ("draft", w.other_unit),
                ("withdrawn", w.unit),
            ]
        ):
            extra = {}
            if state == "held":
                extra = {"onsite_participants": 40 + i if host == w.unit else None,
                         "online_participants": 100 * (i + 1)}  # fmt: skip
            activity = ActivityFactory(
                state=state,
                host=host,
                area=host.area,
                edition=edition,
                submitted_at=None if state == "draft" and host == w.other_unit else timezone.now(),
                category=categories[(i + n) % len(categories)],
                budget=Decimal("1000.50") * (i + 1),
                latitude=Decimal("36.80") if host == w.unit else Decimal("36.85"),
                longitude=Decimal("118.05") if host == w.unit else Decimal("118.30"),
                **extra,
            )
            for k, day in enumerate(days[: 1 + i % 3]):
                start = at(day, 9 + k)
                session = SessionFactory(
                    activity=activity,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    capacity=10 + i,
                )
                visitor = book(session, party=2, checked_in=start + timedelta(minutes=10 + i))
                SurveyAnswer.objects.create(
                    booking=visitor, session=session, rating=1 + (i + k) % 5, best="讲解好"
                )
                book(session)
                book(session, status="waiting", party=3)
                book(session, status="cancelled")
                if i % 2:
                    book(session, checked_in=start + timedelta(minutes=70))
            if i % 3 == 0:
                MediaCoverage.objects.create(
                    activity=activity, outlet="淄博日报", title="报道", published_on=days[0]
                )
            made.append(activity)
    return made


@pytest.fixture
def w():
    world = make_world()
    world.previous = EditionFactory(year=2030)
    seed_categories(edition=world.previous)
    fill(world, world.previous)
    fill(world, world.edition)
    notice = NoticeFactory(edition=world.edition, status=NoticeStatus.PUBLISHED)
    now = timezone.now()
    for org, done in ((world.area, True), (world.unit, False), (world.other_area, False)):
        NoticeRecipient.objects.create(
            notice=notice, organization=org, acknowledged_at=now if done else None
        )
    yesterday = timezone.localdate() - timedelta(days=1)
    task = ReportingTask.objects.create(edition=world.edition, deadline=yesterday)
    task.areas.set([world.area, world.other_area])
    AreaSummary.objects.create(task=task, area=world.area, state="accepted")
    return world


def recount(w, scope, areas=None):
    """The figures from the records, one row at a time, as a person would count them."""
    now = timezone.now()
    activities = [a for a in Activity.objects.filter(edition=w.edition) if scope(a)]
    public = [a for a in activities if a.state in PUBLIC]
    public_ids = {a.pk for a in public}
    sessions = [s for s in Session.objects.all() if s.activity_id in public_ids]
    session_by_id = {s.pk: s for s in sessions}
    bookings = [b for b in Booking.objects.all() if b.session_id in session_by_id]
    answers = [a for a in SurveyAnswer.objects.all() if a.session_id in session_by_id]
    area_of = {a.pk: a.area_id for a in activities}

    checked_by_activity = defaultdict(int)
    for b in bookings:
        if b.checked_in_at:
            checked_by_activity[session_by_id[b.session_id].activity_id] += b.party_size

    def number(total):
        return float(total) if total != int(total) else int(total)

    budget = sum((a.budget or 0) for a in public)
    funds = sum((a.actual_cost or 0) for a in public)
    key = {
        "activities": len(public),
        "sessions": len(sessions),
        "places": sum(s.capacity for s in sessions),
        "bookings": sum(b.party_size for b in bookings if b.status == "confirmed"),
        "check_ins": sum(b.party_size for b in bookings if b.checked_in_at),
        "onsite": sum(
            a.onsite_participants
            if a.onsite_participants is not None
            else checked_by_activity[a.pk]
            for a in public
        ),
        "online": sum(a.online_participants or 0 for a in public),
        "media_reports": sum(1 for c in MediaCoverage.objects.all() if c.activity_id in public_ids),
        "budget": number(budget),
        "funds": number(funds),
        "survey_answers": len(answers),
        "satisfaction": round(sum(a.rating for a in answers) / len(answers), 2) if answers else 0,
    }

    def buckets(rows):
        return {
            "filed": sum(a.submitted_at is not None for a in rows),
            "in_review": sum(a.state in ("pending_area", "pending_city") for a in rows),
            "returned": sum(a.state == "returned" for a in rows),
            "published": sum(a.state == "published" for a in rows),
            "held": sum(a.state == "held" for a in rows),
            "cancelled": sum(a.state == "cancelled" for a in rows),
        }

    by_area = {
        area.pk: buckets([a for a in activities if a.area_id == area.pk])
        for area in (areas or (w.area, w.other_area))
    }
    by_category = {
        c.pk: buckets([a for a in activities if a.category_id == c.pk])
        for c in Category.objects.filter(edition=w.edition)
    }

    def people(rows_sessions, rows_bookings):
        booked = sum(b.party_size for b in rows_bookings if b.status == "confirmed")
        return {
            "sessions": len(rows_sessions),
            "capacity": sum(s.capacity for s in rows_sessions),
            "booked": booked,
            "waiting": sum(b.party_size for b in rows_bookings if b.status == "waiting"),
            "checked_in": sum(b.party_size for b in rows_bookings if b.checked_in_at),
            "no_show": sum(
                b.party_size
                for b in rows_bookings
                if b.status == "confirmed"
                and not b.checked_in_at
                and session_by_id[b.session_id].ends_at < now
            ),
        }

    day_of = {s.pk: timezone.localtime(s.starts_at).date().isoformat() for s in sessions}
    by_day = {
        day: people(
            [s for s in sessions if day_of[s.pk] == day],
            [b for b in bookings if day_of[b.session_id] == day],
        )
        for day in sorted(set(day_of.values()))
    }
    bookings_by_area = {
        area_id: people(
            [s for s in sessions if area_of[s.activity_id] == area_id],
            [b for b in bookings if area_of[session_by_id[b.session_id].activity_id] == area_id],
        )
        for area_id in {area_of[s.activity_id] for s in sessions}
    }
    hours = defaultdict(int)
    for b in bookings:
        if b.checked_in_at:
            local = timezone.localtime(b.checked_in_at).replace(minute=0, second=0, microsecond=0)
            hours[local.isoformat()] += b.party_size
    waiting = [a for a in activities if a.state in ("pending_area", "pending_city")]
    return {
        "key": key,
        "by_area": by_area,
        "by_category": by_category,
        "by_day": by_day,
        "bookings_by_area": bookings_by_area,
        "hours": dict(sorted(hours.items())),
        "review": {
            state: sum(a.state == state for a in waiting)
            for state in ("pending_area", "pending_city")
        },
        "oldest": [a.pk for a in sorted(waiting, key=lambda a: (a.state_changed_at, a.pk))][:10],
    }


def check(stats, expected):
    assert {f["key"]: f["value"] for f in stats["key_figures"]} == expected["key"]
    assert {r["id"]: r["counts"] for r in stats["by_area"]["rows"]} == expected["by_area"]
    assert {r["id"]: r["counts"] for r in stats["by_category"]["rows"]} == expected["by_category"]
    fields = ("sessions", "capacity", "booked", "waiting", "checked_in", "no_show")
    assert {d["date"]: {k: d[k] for k in fields} for d in stats["by_day"]} == expected["by_day"]
    assert {a["id"]: {k: a[k] for k in fields} for a in stats["bookings_by_area"]} == expected[
        "bookings_by_area"
    ]
    assert {h["hour"]: h["people"] for h in stats["check_ins_by_hour"]} == expected["hours"]
    assert {r["level"]: r["count"] for r in stats["review"]} == expected["review"]
    assert [a["id"] for a in stats["review_oldest"]] == expected["oldest"]


def test_every_figure_matches_a_recount_for_the_city(w):
    user = w.user(Role.ORGANIZER_ADMIN)
    stats = week_statistics(user, StatisticsFilters(edition=w.edition))
    # The city sees everything ever submitted, not another unit's unsubmitted draft.
    expected = recount(w, lambda a: a.submitted_at is not None or a.state in PUBLIC)
    check(stats, expected)
    assert expected["key"]["check_ins"] > 0 and expected["by_day"]  # the world has figures
    assert any(d["no_show"] for d in expected["by_day"].values())


def test_the_previous_edition_stands_beside_each_figure(w):
    stats = week_statistics(w.user(Role.ORGANIZER_ADMIN), StatisticsFilters(edition=w.edition))
    assert stats["previous_edition"]["year"] == 2030
    edition, w.edition = w.edition, w.previous
    before = recount(w, lambda a: a.submitted_at is not None or a.state in PUBLIC)["key"]
    w.edition = edition
    assert {f["key"]: f["previous"] for f in stats["key_figures"]} == before


def test_an_area_admin_sees_only_its_area(w):
    stats = week_statistics(w.user(Role.AREA_ADMIN), StatisticsFilters(edition=w.edition))
    check(stats, recount(w, lambda a: a.area_id == w.area.pk, areas=[w.area]))
    assert [r["id"] for r in stats["by_area"]["rows"]] == [w.area.pk]
    assert [t["id"] for t in stats["tiles"]] == [w.area.pk]
    assert [a["id"] for a in stats["acknowledgements"]] == [w.area.pk]
    assert w.other_area.name not in str(stats)


def test_a_unit_sees_only_itself(w):
    stats = week_statistics(w.user(Role.UNIT_EDITOR), StatisticsFilters(edition=w.edition))
    check(stats, recount(w, lambda a: a.host_id == w.unit.pk, areas=[w.area]))


def test_filters_by_area_category_and_dates(w):
    category = Category.objects.filter(edition=w.edition).order_by("position").first()
    day = w.edition.start_date + timedelta(days=1)
    filters = StatisticsFilters(
        edition=w.edition, area=w.other_area.pk, category=category.pk, date_from=day, date_to=day
    )
    stats = week_statistics(w.user(Role.ORGANIZER_ADMIN), filters)
    on_day = set(Session.objects.filter(starts_at__date=day).values_list("activity_id", flat=True))
    expected = recount(
        w,
        lambda a: (
            (a.submitted_at is not None or a.state in PUBLIC)
            and a.area_id == w.other_area.pk
            and a.category_id == category.pk
            and a.pk in on_day
        ),
    )
    # Sessions and bookings are those of the days asked for.
    expected["by_day"] = {d: v for d, v in expected["by_day"].items() if d == day.isoformat()}
    assert {f["key"]: f["value"] for f in stats["key_figures"]} == expected["key"]
    assert [d["date"] for d in stats["by_day"]] == list(expected["by_day"])
    assert {r["id"]: r["counts"] for r in stats["by_area"]["rows"]} == {
        w.other_area.pk: expected["by_area"][w.other_area.pk]
    }


def test_acknowledgements_summaries_and_tiles(w):
    stats = week_statistics(w.user(Role.ORGANIZER_ADMIN), StatisticsFilters(edition=w.edition))
    acks = {a["id"]: (a["acknowledged"], a["missing"]) for a in stats["acknowledgements"]}
    # The area itself acknowledged; its unit and the other area did not.
    assert acks == {w.area.pk: (1, 1), w.other_area.pk: (0, 1)}
    summaries = {s["id"]: (s["status"], s["late"]) for s in stats["summaries"]}
    assert summaries == {w.area.pk: ("accepted", False), w.other_area.pk: ("not_started", True)}
    assert stats["summary_counts"] == {
        "accepted": 1, "submitted": 0, "returned": 0, "missing": 1, "late": 1
    }  # fmt: skip
    tiles = {t["id"]: t for t in stats["tiles"]}
    public = {
        area.pk: Activity.objects.filter(edition=w.edition, area=area, state__in=PUBLIC).count()
        for area in (w.area, w.other_area)
    }
    assert {pk: t["activities"] for pk, t in tiles.items()} == public
    # The other area lies east of the first: its tile is to the right.
    assert tiles[w.other_area.pk]["col"] > tiles[w.area.pk]["col"]


def test_every_figure_links_to_its_records(w, client):
    stats = week_statistics(w.user(Role.ORGANIZER_ADMIN), StatisticsFilters(edition=w.edition))
    client.force_login(w.user(Role.ORGANIZER_ADMIN))
    row = next(r for r in stats["by_area"]["rows"] if r["id"] == w.area.pk)
    response = client.get(row["urls"]["published"])
    assert response.status_code == 200
    assert response.context["paginator"].count == row["counts"]["published"]
    activities = next(f for f in stats["key_figures"] if f["key"] == "activities")
    assert f"edition={w.edition.pk}" in activities["url"]


def test_tile_layout_places_by_position_and_fills_the_rest():
    layout = tile_layout([(36.9, 118.0), (36.9, 118.4), (36.5, 118.0), None])
    assert layout == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert tile_layout([]) == []
    assert tile_layout([None, None, None]) == [(0, 0), (0, 1), (1, 0)]


def count_queries(user, edition) -> int:
    with CaptureQueriesContext(connection) as captured:
        week_statistics(user, StatisticsFilters(edition=edition))
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(w):
    user = w.user(Role.ORGANIZER_ADMIN)
    count_queries(user, w.edition)  # the user's memberships are read once per request
    small = count_queries(user, w.edition)
    fill(w, w.edition, scale=3)
    assert count_queries(user, w.edition) == small
