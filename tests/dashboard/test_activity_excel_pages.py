"""The Excel pages of the back office: who may open them, the upload → report → confirm flow
with the upload kept in between, refusals without a 500, and the export's visibility, filters
and query count."""

from __future__ import annotations

import io
import os
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sciweek.activities.enums import ActivityState, Audience
from sciweek.activities.excel import stash
from sciweek.activities.excel.exporter import FILING_HEADERS, FULL_HEADERS
from sciweek.activities.models import Activity, AudienceTag, Session
from sciweek.audit.models import AuditEntry
from sciweek.common.storage import private_storage
from tests.activities.test_excel import (
    HEADERS,
    good_row,
    make_world,
    workbook_bytes,
    xlsx_upload,
)
from tests.factories import ActivityFactory, HostUnitFactory, SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TEMPLATE = reverse("dashboard:activity-import-template")
IMPORT = reverse("dashboard:activity-import")
EXPORT = reverse("dashboard:activity-export")


@pytest.fixture
def w():
    return make_world()


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


# Who may open what ---------------------------------------------------------------------------

ACCESS = {
    TEMPLATE: {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.AREA_REVIEWER: 403, Role.UNIT_EDITOR: 200,
               Role.GATE_STAFF: 403, Role.SIGNED_IN: 403},
    IMPORT: {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.AREA_REVIEWER: 403, Role.UNIT_EDITOR: 200,
             Role.GATE_STAFF: 403, Role.SIGNED_IN: 403},
    EXPORT: {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.AREA_REVIEWER: 200, Role.UNIT_EDITOR: 200,
             Role.GATE_STAFF: 403, Role.SIGNED_IN: 403},
}  # fmt: skip


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    [(url, role, table.get(role, 302)) for url, table in ACCESS.items()
     for role in [*table, Role.ANONYMOUS]],
)  # fmt: skip
def test_who_may_open_each_page(client, w, url, role, expected):
    response = _as(client, w.users[role]).get(url, **EN)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    "role", [Role.ANONYMOUS, Role.GATE_STAFF, Role.SIGNED_IN, Role.AREA_REVIEWER]
)
def test_uploads_are_refused_to_those_who_may_not_import(client, w, role):
    data = {"file": xlsx_upload(workbook_bytes([good_row(w, 1)])), "edition": w.edition.pk}
    response = _as(client, w.users[role]).post(IMPORT, data, **EN)
    assert response.status_code == (302 if role == Role.ANONYMOUS else 403)
    assert Activity.objects.count() == 0


def test_template_download_is_an_xlsx_attachment(client, w):
    response = _as(client, w.editor).get(TEMPLATE, {"edition": w.edition.pk})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = load_workbook(io.BytesIO(response.content))["活动信息"]
    assert [c.value for c in sheet[1]] == HEADERS


def test_list_page_offers_import_and_export(client, w):
    html = _as(client, w.editor).get(reverse("dashboard:activity-list") + "?q=abc", **EN)
    html = html.content.decode()
    assert f'href="{IMPORT}"' in html
    # The export takes the list's rows: its scope, its filters and the edition it shows.
    query = f"q=abc&amp;edition={w.edition.pk}"
    assert f'href="{EXPORT}?scope=office&amp;layout=filing&amp;{query}"' in html
    assert f'href="{EXPORT}?scope=office&amp;layout=full&amp;{query}"' in html


# Upload, report, confirm -----------------------------------------------------------------------


def _rows_with_three_bad(w):
    rows = [good_row(w, n) for n in range(200)]
    rows[8]["category"] = "不存在的类型"
    rows[48]["contact_phone"] = "12345"
    rows[118]["ends_at"] = f"{w.edition.year}-05-21 08:00"
    return rows


def _upload(client, w, rows, **extra):
    data = {"file": xlsx_upload(workbook_bytes(rows)), "edition": w.edition.pk, **extra}
    return client.post(IMPORT, data, **EN)


def _reported(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    return re.findall(r'<tr data-row="(\d+)" data-code="([a-z_]+)">', html)


def test_dry_run_page_lists_every_problem_and_keeps_the_upload(client, w):
    response = _upload(_as(client, w.editor), w, _rows_with_three_bad(w))
    assert response.status_code == 200
    assert _reported(response) == [
        ("10", "unknown_choice"),
        ("50", "bad_phone"),
        ("120", "end_before_start"),
    ]
    html = response.content.decode()
    assert "3 problems were found." in html
    assert "Import only the 197 valid rows; skip the rows with problems" in html
    assert '<td data-label="Column">联系电话</td>' in html
    assert Activity.objects.count() == 0
    (key,) = client.session["activity_imports"]
    assert f'name="key" value="{key}"' in html
    assert private_storage().exists(f"{stash.FOLDER}/{key}.xlsx")


def test_confirm_without_the_tick_imports_nothing_and_says_why(client, w):
    _upload(_as(client, w.editor), w, _rows_with_three_bad(w))
    (key,) = client.session["activity_imports"]
    response = client.post(IMPORT, {"key": key}, **EN)
    assert response.status_code == 400
    assert "Nothing was imported: correct the problems" in response.content.decode()
    assert _reported(response) == [
        ("10", "unknown_choice"),
        ("50", "bad_phone"),
        ("120", "end_before_start"),
    ]
    assert (Activity.objects.count(), Session.objects.count()) == (0, 0)
    assert private_storage().exists(f"{stash.FOLDER}/{key}.xlsx")


def test_confirm_with_the_tick_imports_the_valid_rows_without_reuploading(client, w):
    _upload(_as(client, w.editor), w, _rows_with_three_bad(w))
    (key,) = client.session["activity_imports"]
    response = client.post(IMPORT, {"key": key, "only_valid": "on"}, follow=True, **EN)
    assert response.redirect_chain == [(reverse("dashboard:activity-list"), 302)]
    assert (
        "197 activities were imported as drafts; 3 rows were skipped." in response.content.decode()
    )
    assert Activity.objects.filter(host=w.unit_a, state=ActivityState.DRAFT).count() == 197
    assert Session.objects.count() == 197
    assert AuditEntry.objects.filter(action="activity.create", actor=w.editor).count() == 197
    assert not private_storage().exists(f"{stash.FOLDER}/{key}.xlsx")
    assert client.session["activity_imports"] == {}
    # The same key cannot import twice.
    again = client.post(IMPORT, {"key": key, "only_valid": "on"}, follow=True, **EN)
    assert "That upload is no longer available" in again.content.decode()
    assert Activity.objects.count() == 197


def test_a_clean_file_imports_with_one_click(client, w):
    _upload(_as(client, w.editor), w, [good_row(w, 1), good_row(w, 2)])
    (key,) = client.session["activity_imports"]
    client.post(IMPORT, {"key": key})
    assert sorted(Activity.objects.values_list("title", flat=True)) == [
        "青少年科学实验秀1",
        "青少年科学实验秀2",
    ]


def test_another_users_key_is_useless(client, w):
    _upload(_as(client, w.editor), w, [good_row(w, 1)])
    (key,) = client.session["activity_imports"]
    client.logout()
    response = _as(client, w.area_admin).post(
        IMPORT, {"key": key, "only_valid": "on"}, follow=True, **EN
    )
    assert "That upload is no longer available" in response.content.decode()
    assert Activity.objects.count() == 0


def test_stale_uploads_are_purged(client, w):
    _upload(_as(client, w.editor), w, [good_row(w, 1)])
    (key,) = client.session["activity_imports"]
    path = private_storage().path(f"{stash.FOLDER}/{key}.xlsx")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(path, (two_days_ago, two_days_ago))
    assert stash.purge_stale() == 1
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n" + b"0" * 200, "This is not an Excel workbook (.xlsx)."),
        (b"0" * (5 * 1024 * 1024 + 1), "The file is 5.0\xa0MB; the limit is 5.0\xa0MB."),
    ],
    ids=["pdf-renamed-xlsx", "over-5mb"],
)
def test_bad_files_are_refused_with_a_message(client, w, content, message):
    data = {"file": xlsx_upload(content), "edition": w.edition.pk}
    response = _as(client, w.editor).post(IMPORT, data, **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "activity_imports" not in client.session
    assert Activity.objects.count() == 0


def test_wrong_headers_are_refused_naming_them(client, w):
    headers = [h for h in HEADERS if h != "开始时间*"]
    data = {"file": xlsx_upload(workbook_bytes([good_row(w)], headers)), "edition": w.edition.pk}
    response = _as(client, w.editor).post(IMPORT, data, **EN)
    assert response.status_code == 400
    assert "the template&#x27;s headers; missing: 开始时间*." in response.content.decode()


def test_area_admin_import_for_another_areas_unit_is_refused_per_row(client, w):
    rows = [good_row(w, 1, host="淄博市科技馆"), good_row(w, 2, host="临淄化工新材料研究院")]
    response = _upload(_as(client, w.area_admin), w, rows)
    assert _reported(response) == [("3", "not_your_unit")]
    assert (
        "“临淄化工新材料研究院” is not a unit you may import activities for."
        in response.content.decode()
    )
    (key,) = client.session["activity_imports"]
    client.post(IMPORT, {"key": key, "only_valid": "on"})
    assert list(Activity.objects.values_list("host__name", flat=True)) == ["淄博市科技馆"]


def test_a_single_host_unit_needs_no_host_column(client, w):
    form = _as(client, w.editor).get(IMPORT, **EN).content.decode()
    assert f'<input type="hidden" name="host" value="{w.unit_a.pk}"' in form
    _upload(client, w, [good_row(w, 1)], host=w.unit_a.pk)
    (key,) = client.session["activity_imports"]
    client.post(IMPORT, {"key": key})
    assert Activity.objects.get().host == w.unit_a


# Export ----------------------------------------------------------------------------------------


def _activity(w, host, title, state=ActivityState.DRAFT, **kwargs):
    activity = ActivityFactory(edition=w.edition, host=host, title=title, state=state, **kwargs)
    if state != ActivityState.DRAFT:
        activity.submitted_at = activity.state_changed_at
        activity.save()
    SessionFactory(activity=activity)
    return activity


def _exported(response) -> list[list]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    return rows


def _titles(response) -> list[str]:
    return [row[1] for row in _exported(response)[1:]]


@pytest.fixture
def listed(w):
    _activity(w, w.unit_a, "A草稿")
    _activity(w, w.unit_a, "A已发布", ActivityState.PUBLISHED, is_key=True)
    _activity(w, w.unit_b, "B草稿")
    _activity(w, w.unit_b, "B待审", ActivityState.PENDING_AREA)
    _activity(w, w.unit_b, "B已发布", ActivityState.PUBLISHED)


@pytest.mark.parametrize(
    ("role", "query", "titles"),
    [
        (Role.UNIT_EDITOR, {}, {"A草稿", "A已发布", "B已发布"}),
        (Role.UNIT_EDITOR, {"scope": "mine"}, {"A草稿", "A已发布"}),
        (Role.OTHER_UNIT_EDITOR, {}, {"B草稿", "B待审", "B已发布", "A已发布"}),
        (Role.OTHER_AREA_ADMIN, {"scope": "area"}, {"B待审"}),
        (Role.AREA_ADMIN, {"scope": "area"}, set()),
        (Role.ORGANIZER_ADMIN, {}, {"A已发布", "B待审", "B已发布"}),
        (Role.UNIT_EDITOR, {"state": "published"}, {"A已发布", "B已发布"}),
        (Role.UNIT_EDITOR, {"is_key": "true"}, {"A已发布"}),
        (Role.OTHER_UNIT_EDITOR, {"q": "草稿"}, {"B草稿"}),
    ],
)
def test_export_respects_visibility_and_filters(client, w, listed, role, query, titles):
    response = _as(client, w.users[role]).get(EXPORT, query)
    assert set(_titles(response)) == titles


def test_export_layouts(client, w, listed):
    _as(client, w.editor)
    filing = _exported(client.get(EXPORT, {"scope": "mine", "state": "published"}))
    assert filing[0] == FILING_HEADERS
    assert filing[1] == [
        1, "A已发布", "淄博市科技馆", "淄博市科技馆", f"{w.edition.year}-05-20 09:00—11:00",
        "社区文化中心 张店区人民西路1号", filing[1][6], "线下", None, 100, "王老师", "13800138000",
        "张店区", "已发布",
    ]  # fmt: skip
    full = _exported(client.get(EXPORT, {"scope": "mine", "layout": "full", "state": "published"}))
    assert full[0] == FULL_HEADERS
    row = dict(zip(FULL_HEADERS, full[1], strict=True))
    assert (row["场次数"], row["重点活动"], row["状态"], row["总容量"]) == (1, "是", "已发布", 100)


def test_export_queries_do_not_grow_with_rows(client, w):
    other = HostUnitFactory(parent=w.area_a, name="合办单位")

    def make(n):
        for i in range(n):
            a = _activity(w, w.unit_a, f"活动{i}", co_host_names="区科协")
            a.co_hosts.add(other)
            AudienceTag.objects.create(activity=a, audience=Audience.STUDENTS)

    _as(client, w.editor)
    make(1)
    with CaptureQueriesContext(connection) as one:
        assert len(_exported(client.get(EXPORT, {"layout": "full"}))) == 2
    make(49)
    with CaptureQueriesContext(connection) as fifty:
        assert len(_exported(client.get(EXPORT, {"layout": "full"}))) == 51
    assert len(fifty) == len(one)
