"""The organiser's dashboard, its downloads, the live view and ``GET /api/v1/statistics/`` × every
role, and what each page shows. LOGIN: 302 to the sign-in page; the API answers 401."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sciweek.reports.week_statistics import StatisticsFilters, week_statistics
from tests.activities.world import activity_in, make_world
from tests.factories import EditionFactory, SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = "login"
EVERY_ROLE = list(Role)
# Who has figures: the city (staff and the platform admin), an area's staff (their area), and
# whoever files activities (a unit, a department: itself). Gate staff and a bare account do not.
NO_FIGURES = {Role.GATE_STAFF, Role.SIGNED_IN}


def expected(role, *, ok=200, anonymous=LOGIN):
    if role is Role.ANONYMOUS:
        return anonymous
    return 403 if role in NO_FIGURES else ok


PAGES = [
    ("dashboard:statistics", ""),
    ("dashboard:statistics-export", ""),
    ("dashboard:statistics-export", "?chart=by_area"),
    ("dashboard:statistics-live", ""),
    ("dashboard:statistics-live-sessions", ""),
]


@pytest.fixture
def w():
    world = make_world()
    for role in EVERY_ROLE:
        world.build(role)
    world.published = activity_in(world, "published", booking_required=True)
    world.other = activity_in(world, "published", host=world.other_unit, title="临淄的活动")
    return world


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize(("name", "query"), PAGES)
def test_pages_by_role(client, w, role, name, query):
    w.login(client, role)
    url = reverse(name) + query
    response = client.get(url)
    want = expected(role)
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    else:
        assert response.status_code == want


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_api_by_role(client, w, role):
    w.login(client, role)
    response = client.get("/api/v1/statistics/")
    assert response.status_code == expected(role, anonymous=401)
    if response.status_code == 200:
        assert response.json()["edition"]["id"] == w.edition.pk


@pytest.mark.parametrize(
    ("role", "areas"),
    [
        (Role.ORGANIZER_ADMIN, {"area", "other_area"}),
        (Role.PLATFORM_ADMIN, {"area", "other_area"}),
        (Role.AREA_ADMIN, {"area"}),
        (Role.OTHER_AREA_REVIEWER, {"other_area"}),
        (Role.UNIT_EDITOR, {"area"}),
    ],
)
def test_api_is_scoped_like_the_pages(client, w, role, areas):
    w.login(client, role)
    data = client.get("/api/v1/statistics/", {"edition": w.edition.pk}).json()
    assert {r["id"] for r in data["by_area"]["rows"]} == {getattr(w, a).pk for a in areas}
    # The same figures as the page's module computes for that user.
    page = week_statistics(w.user(role), StatisticsFilters(edition=w.edition))
    assert data["key_figures"] == page["key_figures"]


def test_api_refuses_an_area_the_user_may_not_see(client, w):
    w.login(client, Role.AREA_ADMIN)
    response = client.get("/api/v1/statistics/", {"area": w.other_area.pk})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = client.get("/api/v1/statistics/", {"date_from": "2031-13-01"})
    assert response.status_code == 400


def test_api_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/statistics/" in schema
    assert "key_figures" in schema


def test_dashboard_shows_charts_tables_and_links(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    response = client.get(reverse("dashboard:statistics"), {"edition": w.edition.pk})
    html = response.content.decode()
    # Charts are drawn from data in json_script, by a static file: no inline script.
    assert 'id="dashboard-charts" type="application/json"' in html
    assert "vendor/echarts-6.1.0/echarts.min.js" in html
    assert "<script>" not in html
    for key in ("by_area", "by_category", "sessions_by_day", "bookings_by_day", "review", "tiles"):
        assert f'data-table="{key}"' in html
        assert f'data-chart-png="{key}"' in html
        assert f"chart={key}" in html
    assert f'href="/office/activities/?edition={w.edition.pk}&amp;area={w.area.pk}' in html
    assert w.other.title not in html  # figures, not rows


def test_dashboard_filter_keeps_bad_input_with_a_message(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    response = client.get(
        reverse("dashboard:statistics"), {"date_from": "2031-05-25", "date_to": "2031-05-20"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2031-05-25"' in html
    assert response.context["form"].errors["date_to"]


def test_excel_download_has_a_sheet_per_chart(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    response = client.get(reverse("dashboard:statistics-export"), {"edition": w.edition.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 12
    stats = week_statistics(w.user(Role.ORGANIZER_ADMIN), StatisticsFilters(edition=w.edition))
    key = workbook[workbook.sheetnames[0]]
    values = [row[1] for row in key.iter_rows(min_row=2, values_only=True)]
    assert values == [f["value"] for f in stats["key_figures"]]
    one = client.get(
        reverse("dashboard:statistics-export"), {"edition": w.edition.pk, "chart": "by_area"}
    )
    assert len(load_workbook(io.BytesIO(one.content)).sheetnames) == 1


def test_excel_download_neutralises_formulas(client, w):
    w.area.name = "=HYPERLINK(1)"
    w.area.save()
    w.login(client, Role.ORGANIZER_ADMIN)
    response = client.get(
        reverse("dashboard:statistics-export"), {"edition": w.edition.pk, "chart": "by_area"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in names


def test_live_view_lists_the_days_sessions_large_events_first(client, w):
    today = timezone.localdate()
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    small = activity_in(w, "published", sessions=0, title="小型活动")
    SessionFactory(activity=small, starts_at=start, ends_at=start + timedelta(hours=2))
    large = activity_in(w, "published", sessions=0, title="大型活动")
    SessionFactory(
        activity=large,
        starts_at=start + timedelta(hours=3),
        ends_at=start + timedelta(hours=4),
        capacity=2000,
    )
    w.edition.start_date = today
    w.edition.end_date = today + timedelta(days=3)
    w.edition.save()
    w.login(client, Role.ORGANIZER_ADMIN)
    page = client.get(reverse("dashboard:statistics-live"), {"edition": w.edition.pk})
    html = page.content.decode()
    assert 'hx-trigger="every 30s"' in html
    assert html.index("大型活动") < html.index("小型活动")
    with CaptureQueriesContext(connection) as captured:
        fragment = client.get(
            reverse("dashboard:statistics-live-sessions"), {"edition": w.edition.pk}
        )
    assert fragment.content.decode().count("data-session=") == 2
    assert len(captured.captured_queries) <= 12


def test_an_area_admin_sees_its_area_only_on_the_page(client, w):
    w.login(client, Role.AREA_ADMIN)
    html = client.get(reverse("dashboard:statistics")).content.decode()
    assert w.area.name in html
    assert w.other_area.name not in html


def test_the_previous_edition_is_beside_the_key_figures(client, w):
    EditionFactory(year=2029)
    w.login(client, Role.ORGANIZER_ADMIN)
    html = client.get(reverse("dashboard:statistics"), {"edition": w.edition.pk}).content.decode()
    assert "data-previous>2029: 0<" in html


def test_the_dashboard_is_in_the_menu_of_who_may_open_it(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    assert 'href="/office/dashboard/"' in client.get("/office/notices/").content.decode()
    w.login(client, Role.GATE_STAFF)
    assert 'href="/office/dashboard/"' not in client.get("/office/gate/").content.decode()
