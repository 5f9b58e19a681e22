"""The back office's activity list (issue 11): who sees which rows, its filters, its state
counts, its queries, and the bulk actions for every role; the reviewer's buttons and menu."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sciweek.activities.models import Activity, Category, MediaCoverage
from sciweek.activities.services import seed_categories
from sciweek.audit.labels import action_label
from sciweek.audit.models import AuditEntry
from tests.activities.world import ROLES, activity_in, make_world
from tests.factories import ActivityFactory, EditionFactory, HostUnitFactory, SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("dashboard:activity-list")
BULK = reverse("dashboard:activity-bulk")
HOST = {Role.UNIT_EDITOR, Role.UNIT_ADMIN, Role.AREA_ADMIN}
AREA = {Role.AREA_ADMIN, Role.AREA_REVIEWER}
CITY = {Role.ORGANIZER_REVIEWER, Role.ORGANIZER_ADMIN}


@pytest.fixture
def w():
    w = make_world()
    w.draft = activity_in(w, "draft", title="草稿活动")
    w.pending = activity_in(w, "pending_area", title="待区县审核")
    w.pending_city = activity_in(w, "pending_city", title="待市级审核")
    w.published = activity_in(w, "published", title="已发布活动")
    w.other = activity_in(w, "pending_area", host=w.other_unit, title="临淄待审")
    w.other_published = activity_in(w, "published", host=w.other_unit, title="临淄已发布")
    w.city_draft = activity_in(w, "draft", host=w.city_dept, area=w.area, title="市教育局草稿")
    return w


def titles(response) -> set[str]:
    return set(
        re.findall(r'<a href="/office/activities/\d+/">([^<]+)</a>', response.content.decode())
    )


# Who sees which rows ---------------------------------------------------------------------------

ALL_SUBMITTED = {"待区县审核", "待市级审核", "已发布活动", "临淄待审", "临淄已发布"}
MINE = {"草稿活动", "待区县审核", "待市级审核", "已发布活动"}
ROWS = {
    Role.UNIT_EDITOR: MINE,
    Role.UNIT_ADMIN: MINE,
    # Its units' drafts (it files for them) and everything submitted in 张店区, nothing of 临淄区.
    Role.AREA_ADMIN: MINE,
    Role.AREA_REVIEWER: MINE - {"草稿活动"},
    Role.OTHER_AREA_REVIEWER: {"临淄待审", "临淄已发布"},
    Role.ORGANIZER_REVIEWER: ALL_SUBMITTED,
    Role.ORGANIZER_ADMIN: ALL_SUBMITTED,
    Role.GATE_STAFF: set(),
    Role.SIGNED_IN: set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_role_its_rows(client, w, role):
    w.login(client, role)
    response = client.get(LIST, **EN)
    if role == Role.ANONYMOUS:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert titles(response) == ROWS[role]


def test_the_list_shows_the_current_edition_unless_told_otherwise(client, w):
    old = EditionFactory(year=2025, start_date=w.edition.start_date.replace(year=2025),
                         end_date=w.edition.end_date.replace(year=2025))  # fmt: skip
    seed_categories(edition=old)
    ActivityFactory(edition=old, host=w.unit, area=w.area, category=old.categories.first(),
                    state="published", title="去年的活动")  # fmt: skip
    w.login(client, Role.ORGANIZER_ADMIN)
    assert "去年的活动" not in titles(client.get(LIST))
    assert titles(client.get(LIST, {"edition": old.pk})) == {"去年的活动"}
    assert "去年的活动" in titles(client.get(LIST, {"edition": ""}))


# Filters --------------------------------------------------------------------------------------


def options(response, name) -> list[str]:
    html = response.content.decode()
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_categories_are_the_editions_own_without_a_year(client, w):
    other = EditionFactory(year=2030)
    seed_categories(edition=other)
    w.login(client, Role.AREA_REVIEWER)
    got = options(client.get(LIST, **EN), "category")
    names = list(
        Category.objects.filter(edition=w.edition)
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert got == ["All categories", *names]
    assert len(names) == Category.objects.filter(edition=other).count()


@pytest.mark.parametrize(
    ("role", "areas"),
    [(Role.AREA_REVIEWER, None), (Role.OTHER_AREA_REVIEWER, None), (Role.ORGANIZER_ADMIN, 2)],
)
def test_the_area_filter_offers_the_areas_the_user_sees(client, w, role, areas):
    w.login(client, role)
    html = client.get(LIST, **EN).content.decode()
    if areas is None:
        # One area: nothing to choose, so no area filter at all.
        assert 'name="area"' not in html
    else:
        got = options(client.get(LIST, **EN), "area")
        assert got == ["All areas", w.area.name, w.other_area.name]


def test_filters_narrow_the_rows(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    assert titles(client.get(LIST, {"area": w.other_area.pk})) == {"临淄待审", "临淄已发布"}
    assert titles(client.get(LIST, {"host": w.other_unit.pk, "state": "published"})) == {
        "临淄已发布"
    }
    assert titles(client.get(LIST, {"q": "临淄"})) == {"临淄待审", "临淄已发布"}
    w.published.is_key = True
    w.published.save(update_fields=["is_key"])
    assert titles(client.get(LIST, {"is_key": "true"})) == {"已发布活动"}
    SessionFactory(activity=w.pending_city, capacity=1200)
    assert titles(client.get(LIST, {"is_large": "true"})) == {"待市级审核"}
    assert "待市级审核" not in titles(client.get(LIST, {"is_large": "false"}))
    MediaCoverage.objects.create(activity=w.other_published, outlet="淄博日报", title="报道",
                                 published_on=w.edition.end_date)  # fmt: skip
    assert titles(client.get(LIST, {"has_media": "true"})) == {"临淄已发布"}
    # A bad value is ignored, never a 500.
    assert client.get(LIST, {"area": "x", "sort": "nope", "is_large": "maybe"}).status_code == 200


def test_sort_by_title(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    html = client.get(LIST, {"sort": "title"}).content.decode()
    got = re.findall(r'<a href="/office/activities/\d+/">([^<]+)</a>', html)
    assert got == sorted(ALL_SUBMITTED)


def test_state_tabs_count_each_state_and_link_to_it(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    html = client.get(LIST, {"area": w.area.pk}, **EN).content.decode()
    tabs = re.findall(
        r'data-state="(\w+)"[^>]*>[^<]*<span class="badge text-bg-light">(\d+)</span>', html
    )
    assert tabs == [("pending_area", "1"), ("pending_city", "1"), ("published", "1")]
    assert f'href="?area={w.area.pk}&amp;state=pending_area"' in html


def test_one_query_count_for_one_row_and_twenty(client, w):
    w.login(client, Role.ORGANIZER_ADMIN)
    client.get(LIST)
    Activity.objects.exclude(pk=w.pending.pk).delete()
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for n in range(19):
        activity_in(w, "pending_area", title=f"活动{n}", sessions=2)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(LIST)
    assert len(titles(response)) == 20
    assert len(twenty) == len(one)


# Bulk actions -----------------------------------------------------------------------------------


def bulk(client, w, role, action, activities, **extra):
    w.login(client, role)
    data = {"action": action, "ids": [a.pk for a in activities], **extra}
    return client.post(BULK, data, **EN)


def messages_of(client) -> list[str]:
    html = client.get(LIST, **EN).content.decode()
    return [m.strip() for m in re.findall(r'<div class="alert[^"]*"[^>]*>\s*(.*?)\s*<', html, re.S)]


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.ANONYMOUS])
def test_bulk_approve_for_every_role(client, w, role):
    response = bulk(client, w, role, "approve", [w.pending, w.pending_city])
    assert response.status_code == 302
    states = {
        a.title: a.state for a in Activity.objects.filter(pk__in=[w.pending.pk, w.pending_city.pk])
    }
    expected = {
        "待区县审核": "pending_city" if role in AREA else "pending_area",
        "待市级审核": "published" if role in CITY else "pending_city",
    }
    assert states == expected


def test_bulk_approve_reports_each_refused_row(client, w):
    bulk(client, w, Role.AREA_REVIEWER, "approve", [w.pending, w.pending_city, w.other])
    got = messages_of(client)
    assert got[0] == "Done for 1 activity: Approve."
    assert "Not done for “待市级审核”: You may not do “Approve” with this activity." in got
    # 临淄区's activity is not in 张店区's list: not found, not named.
    assert "1 selected activity was not found." in got
    assert Activity.objects.get(pk=w.pending.pk).state == "pending_city"


def test_bulk_return_needs_one_reason_and_gives_it_to_each(client, w):
    second = activity_in(w, "pending_area", title="第二个")
    bulk(client, w, Role.AREA_ADMIN, "return", [w.pending, second])
    assert Activity.objects.get(pk=w.pending.pk).state == "pending_area"
    assert "Reason: Give a reason for returning them." in messages_of(client)
    bulk(client, w, Role.AREA_ADMIN, "return", [w.pending, second], reason="请补充安全方案")
    rows = Activity.objects.filter(pk__in=[w.pending.pk, second.pk])
    assert {(a.state, a.last_reason) for a in rows} == {("returned", "请补充安全方案")}


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.ANONYMOUS])
def test_mark_key_is_the_organisers(client, w, role):
    bulk(client, w, role, "mark_key", [w.published])
    assert Activity.objects.get(pk=w.published.pk).is_key is (role in CITY)


def test_mark_and_unmark_key_are_audited_with_labels(client, w):
    bulk(client, w, Role.ORGANIZER_ADMIN, "mark_key", [w.published, w.pending])
    bulk(client, w, Role.ORGANIZER_ADMIN, "unmark_key", [w.pending])
    entries = AuditEntry.objects.filter(action__endswith="_key").order_by("id")
    assert [(e.action, e.object_id, e.changes) for e in entries] == [
        ("activity.mark_key", str(w.pending.pk), {"is_key": [False, True]}),
        ("activity.mark_key", str(w.published.pk), {"is_key": [False, True]}),
        ("activity.unmark_key", str(w.pending.pk), {"is_key": [True, False]}),
    ]
    with translation.override("zh-hans"):
        assert str(action_label("activity.mark_key")) == "标记为重点活动"


def test_bulk_export_is_the_selection(client, w):
    response = bulk(client, w, Role.ORGANIZER_REVIEWER, "export", [w.pending, w.other])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    column = [c.value for c in sheet[1]].index("活动名称")
    rows = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(r for r in rows if r and r != "活动名称") == [
        "临淄待审", "待区县审核",
    ]  # fmt: skip


def test_bulk_actions_offered_by_role(client, w):
    def offered(role):
        w.login(client, role)
        return options(client.get(LIST, **EN), "action")

    assert offered(Role.ORGANIZER_ADMIN) == [
        "Approve", "Return for revision", "Mark as key activity", "Remove the key mark",
        "Export the selection",
    ]  # fmt: skip
    assert offered(Role.AREA_REVIEWER) == ["Approve", "Return for revision", "Export the selection"]
    assert offered(Role.UNIT_EDITOR) == ["Export the selection"]


# The reviewer's page ---------------------------------------------------------------------------


def test_the_reviewer_is_not_offered_the_units_withdraw(client, w):
    url = reverse("dashboard:activity-detail", args=[w.pending.pk])
    w.login(client, Role.AREA_ADMIN)
    html = client.get(url, **EN).content.decode()
    assert re.findall(r'data-action="(\w+)"', html) == ["approve", "return"]
    w.login(client, Role.UNIT_EDITOR)
    assert re.findall(r'data-action="(\w+)"', client.get(url).content.decode()) == ["withdraw"]


@pytest.mark.parametrize(
    ("role", "obj", "active"),
    [
        (Role.AREA_REVIEWER, "pending", "Area review"),
        (Role.ORGANIZER_REVIEWER, "pending_city", "City review"),
        (Role.ORGANIZER_REVIEWER, "published", "Activities"),
        (Role.UNIT_EDITOR, "pending", "Activities"),
    ],
)
def test_the_menu_highlights_the_queue_an_activity_is_reviewed_from(client, w, role, obj, active):
    w.login(client, role)
    html = client.get(reverse("dashboard:activity-detail", args=[getattr(w, obj).pk]), **EN)
    html = html.content.decode()
    assert re.findall(r'<a class="nav-link active"[^>]*>(?:<i[^>]*></i> )?([^<]+)</a>', html) == [
        active
    ]


def test_the_unit_filter_offers_the_units_the_user_sees(client, w):
    second = HostUnitFactory(parent=w.area)
    w.login(client, Role.AREA_REVIEWER)
    assert options(client.get(LIST, **EN), "host") == ["All units", w.unit.name, second.name]
    w.login(client, Role.ORGANIZER_ADMIN)
    got = options(client.get(LIST, **EN), "host")
    assert {w.unit.name, w.other_unit.name, w.city_dept.name} <= set(got)
    # A unit has only itself: no unit filter, and no reason field for returning.
    w.login(client, Role.UNIT_EDITOR)
    html = client.get(LIST, **EN).content.decode()
    assert 'name="host"' not in html
    assert 'name="reason"' not in html


@pytest.mark.parametrize("ids", [["abc"], ["99999999999999999999"], []])
def test_bad_selections_are_refused_with_a_message(client, w, ids):
    w.login(client, Role.ORGANIZER_ADMIN)
    response = client.post(BULK, {"action": "approve", "ids": ids}, **EN)
    assert (response.status_code, response["Location"]) == (302, LIST)
    assert Activity.objects.get(pk=w.pending_city.pk).state == "pending_city"
