"""Excel import and export of activities: the template, the dry run's exact problem list, the
import of valid rows as drafts, and the export's layouts, visibility, neutralisation and queries."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sciweek.activities.enums import ActivityState, Audience, Mode
from sciweek.activities.excel.columns import IMPORT_COLUMNS, MAX_ROWS
from sciweek.activities.excel.exporter import FILING_HEADERS, FULL_HEADERS, write_export
from sciweek.activities.excel.importer import check_file, dry_run, import_rows
from sciweek.activities.excel.template import build_template
from sciweek.activities.models import Activity, Category, Session
from sciweek.activities.selectors import hosts_for
from sciweek.activities.services import seed_categories
from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from sciweek.common.exports import neutralise
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    FocusAreaFactory,
    HostUnitFactory,
    SessionFactory,
)
from tests.world import World

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in IMPORT_COLUMNS]
KEYS = [c.key for c in IMPORT_COLUMNS]


# Helpers shared with tests/dashboard/test_activity_excel_pages.py -----------------------------


def make_world() -> World:
    """The one world with the 2031-like edition and one more host unit in 张店区."""
    w = World("bureau", "area", "other_area", "unit")
    w.unit_a2 = HostUnitFactory(parent=w.area, name="张店区科技馆")
    w.build("other_unit")
    w.edition = EditionFactory(organizer=w.bureau)
    seed_categories(edition=w.edition)
    w.focus = FocusAreaFactory(edition=w.edition, title="科技创新成果展示")
    w.build("dept")
    return w


def good_row(w, n: int = 0, **changes) -> dict:
    """A valid row (by column key) for the world's edition; ``changes`` override cells."""
    year = w.edition.year
    row = {
        "title": f"青少年科学实验秀{n}", "category": "讲座", "focus_area": "科技创新成果展示",
        "mode": "线下", "audiences": "学生、教师", "summary": "动手做实验", "venue_name": "实验楼",
        "address": "张店区人民西路1号",
        # Half the rows as Excel datetimes, half as text, as people fill them in.
        "starts_at": datetime(year, 5, 21, 9, 0) if n % 2 else f"{year}-05-21 09:00",
        "ends_at": datetime(year, 5, 21, 11, 30) if n % 2 else f"{year}/05/21 11:30",
        "capacity": 100 + n, "booking_required": "是", "contact_name": "张老师",
        "contact_phone": "0533-2186000" if n % 3 else 13800138000, "lead_name": "李校长",
        "budget": 1500.5, "livestream_url": "", "is_key": "否", "is_series": "", "host": "",
    }  # fmt: skip
    row.update(changes)
    return row


def workbook_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "活动信息"
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append([row.get(key) for key in KEYS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_upload(data: bytes, name: str = "活动.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def read_sheet(data) -> list[list]:
    sheet = load_workbook(data if not isinstance(data, bytes) else io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def w():
    return make_world()


def _problems(report):
    return [(p.row, p.column, p.code) for p in report.problems]


def _dry(w, rows, host=None, hosts=None):
    hosts = hosts if hosts is not None else [w.unit_a]
    return dry_run(
        io.BytesIO(workbook_bytes(rows)), edition=w.edition, hosts=hosts, default_host=host
    )


# Template --------------------------------------------------------------------------------------


def test_template_has_headers_lists_and_drop_downs(w):
    wb = load_workbook(io.BytesIO(build_template(edition=w.edition, hosts=[w.unit_a, w.unit_a2])))
    assert wb.sheetnames == ["活动信息", "说明", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    sheet = wb["活动信息"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert HEADERS[:4] == ["活动名称*", "活动类型*", "主要内容", "线上/线下*"]
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["A"].width == 30
    lists = wb["选项"]
    names = list(Category.objects.filter(edition=w.edition).values_list("name", flat=True))

    def column(letter):
        return [c.value for c in lists[letter][1:] if c.value is not None]

    assert column("A") == names
    assert column("B") == ["科技创新成果展示"]
    assert column("C") == ["线下", "线上", "线上线下"]
    assert column("E") == ["是", "否"]
    assert column("F") == ["淄博市科技馆", "张店区科技馆"]
    validations = {
        str(v.sqref): (v.formula1, v.showErrorMessage)
        for v in sheet.data_validations.dataValidation
    }
    assert validations["B2:B2001"] == (f"'选项'!$A$2:$A${len(names) + 1}", True)
    assert validations["D2:D2001"] == ("'选项'!$C$2:$C$4", True)
    # Several audiences go in one cell, so their list suggests but does not refuse.
    assert validations["E2:E2001"] == ("'选项'!$D$2:$D$11", False)
    assert validations["T2:T2001"] == ("'选项'!$F$2:$F$3", True)
    help_text = "\n".join(str(c.value) for c in wb["说明"]["B"] if c.value)
    assert "一行 = 一项活动 + 一个场次" in help_text
    assert (
        "社会公众、学生、教师、亲子家庭、农民、社区居民、企业职工、科技工作者、老年人、公务员"
        in help_text
    )


def test_filled_in_template_passes_the_dry_run(w):
    wb = load_workbook(io.BytesIO(build_template(edition=w.edition, hosts=[w.unit_a])))
    wb["活动信息"].append([good_row(w, 1)[k] for k in KEYS])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    report = dry_run(out, edition=w.edition, hosts=[w.unit_a], default_host=w.unit_a)
    assert report.problems == []
    assert [r.row for r in report.rows] == [2]
    values = report.rows[0].values
    assert values["audiences"] == [Audience.STUDENTS, Audience.TEACHERS]
    assert values["starts_at"] == timezone.make_aware(datetime(w.edition.year, 5, 21, 9, 0))
    assert values["mode"] == Mode.OFFLINE
    assert values["focus_area"] == w.focus


# Dry run ---------------------------------------------------------------------------------------


def _two_hundred_rows_with_three_bad(w) -> list[dict]:
    rows = [good_row(w, n) for n in range(200)]
    rows[8]["category"] = "不存在的类型"  # Excel row 10
    rows[48]["contact_phone"] = "12345"  # Excel row 50
    rows[118]["ends_at"] = f"{w.edition.year}-05-21 08:00"  # Excel row 120
    return rows


def test_dry_run_of_200_rows_reports_exactly_the_three_bad_ones(w):
    with translation.override("en"):
        report = _dry(w, _two_hundred_rows_with_three_bad(w), host=w.unit_a)
    assert len(report.rows) == 200
    assert [(p.row, p.column, p.code, p.message) for p in report.problems] == [
        (10, "活动类型", "unknown_choice",
         "“不存在的类型” is not in the list. Choose one of: 科技下乡、科普进社区、科普进校园、科普进企业、"
         "青少年科普、开放日、讲座、展览、竞赛、科学之夜、科学家精神主题展、全国科技工作者日、线上活动、启动仪式、其他."),
        (50, "联系电话", "bad_phone",
         "Enter a mobile number or a landline with its area code, e.g. 0533-2186000."),
        (120, "结束时间", "end_before_start", "A session must end after it starts."),
    ]  # fmt: skip
    assert report.bad_rows == {10, 50, 120}
    assert len(report.valid_rows) == 197
    assert Activity.objects.count() == 0


def test_import_only_valid_rows_creates_197_drafts_with_sessions_and_audit(w):
    report = _dry(w, _two_hundred_rows_with_three_bad(w), host=w.unit_a)
    created = import_rows(report=report, edition=w.edition, by=w.editor, only_valid=True)
    assert len(created) == 197
    assert Activity.objects.filter(state=ActivityState.DRAFT, host=w.unit_a).count() == 197
    assert Session.objects.count() == 197
    assert not Activity.objects.filter(
        title__in=["青少年科学实验秀8", "青少年科学实验秀48", "青少年科学实验秀118"]
    ).exists()
    first = Activity.objects.get(title="青少年科学实验秀1")
    assert (first.area, first.category.name, first.focus_area, first.created_by) == (
        w.area_a,
        "讲座",
        w.focus,
        w.editor,
    )
    assert (first.budget, first.booking_required, first.expected_participants) == (
        1500.5,
        True,
        101,
    )
    assert set(first.audience_tags.values_list("audience", flat=True)) == {"students", "teachers"}
    session = first.sessions.get()
    assert (timezone.localtime(session.starts_at).hour, session.capacity) == (9, 101)
    actions = AuditEntry.objects.values_list("action", flat=True)
    assert actions.filter(action="activity.create").count() == 197
    assert actions.filter(action="activity.session_add").count() == 197
    entry = AuditEntry.objects.get(action="activity.import")
    assert entry.changes["created"] == [None, 197]
    assert entry.changes["skipped"] == [None, 3]


def test_without_the_tick_nothing_is_imported(w):
    report = _dry(w, _two_hundred_rows_with_three_bad(w), host=w.unit_a)
    with pytest.raises(ServiceError) as exc:
        import_rows(report=report, edition=w.edition, by=w.editor, only_valid=False)
    assert exc.value.code == "problems_remain"
    assert (Activity.objects.count(), Session.objects.count(), AuditEntry.objects.count()) == (
        0,
        0,
        0,
    )


# (column key, bad value, column name, code); every other cell of the row is valid.
BAD_CELLS = [
    ("title", "", "活动名称", "required"),
    ("title", "长" * 121, "活动名称", "too_long"),
    ("category", None, "活动类型", "required"),
    ("focus_area", "不在本届", "主要内容", "unknown_choice"),
    ("mode", "面对面", "线上/线下", "unknown_choice"),
    ("audiences", "学生、外星人", "面向对象", "unknown_audience"),
    ("summary", "简" * 201, "活动简介", "too_long"),
    ("starts_at", "明天上午", "开始时间", "bad_datetime"),
    ("starts_at", None, "开始时间", "required"),
    ("ends_at", "2030-13-40 25:00", "结束时间", "bad_datetime"),
    ("capacity", -5, "预计参与人数", "bad_integer"),
    ("capacity", 12.5, "预计参与人数", "bad_integer"),
    ("capacity", "很多", "预计参与人数", "bad_integer"),
    ("capacity", None, "预计参与人数", "required"),
    ("booking_required", "也许", "是否需预约", "bad_yes_no"),
    ("contact_name", "  ", "联系人", "required"),
    ("contact_phone", "110", "联系电话", "bad_phone"),
    ("contact_phone", None, "联系电话", "required"),
    ("budget", -1, "经费预算（元）", "bad_number"),
    ("budget", "一千", "经费预算（元）", "bad_number"),
    ("livestream_url", "javascript:alert(1)", "直播链接", "bad_url"),
    ("is_key", "maybe", "重点活动", "bad_yes_no"),
    ("host", "临淄化工新材料研究院", "承办单位", "not_your_unit"),
]


@pytest.mark.parametrize(("key", "value", "column", "code"), BAD_CELLS)
def test_each_bad_cell_is_reported_at_its_row_and_column(w, key, value, column, code):
    report = _dry(w, [good_row(w, 1), good_row(w, 2, **{key: value})], host=w.unit_a)
    assert _problems(report) == [(3, column, code)]


def test_sessions_outside_the_week_are_refused_unless_regular(w):
    year = w.edition.year
    june = {"starts_at": f"{year}-06-10 09:00", "ends_at": f"{year}-06-10 10:00"}
    report = _dry(
        w, [good_row(w, 1, **june), good_row(w, 2, is_series="是", **june)], host=w.unit_a
    )
    assert _problems(report) == [(2, "开始时间", "outside_week")]


def test_text_forms_of_dates_numbers_and_flags_are_accepted(w):
    row = good_row(
        w, 1, starts_at=f"{w.edition.year}年5月21日 09:00", ends_at=f"{w.edition.year}-05-21 10:00:00",
        capacity="1,200", budget="3000元", is_key=True, is_series="否", audiences="学生,教师；老年人",
        contact_phone="138 0013 8000", mode="线上线下", livestream_url="https://live.bilibili.com/1",
    )  # fmt: skip
    report = _dry(w, [row], host=w.unit_a)
    assert report.problems == []
    values = report.rows[0].values
    assert (values["capacity"], str(values["budget"]), values["is_key"]) == (1200, "3000.00", True)
    assert values["audiences"] == ["seniors", "students", "teachers"]
    assert values["mode"] == Mode.HYBRID


def test_blank_rows_are_skipped_and_row_numbers_stay_as_excel_shows_them(w):
    rows = [good_row(w, 1), {}, good_row(w, 3, contact_phone="1")]
    report = _dry(w, rows, host=w.unit_a)
    assert [r.row for r in report.rows] == [2, 4]
    assert _problems(report) == [(4, "联系电话", "bad_phone")]


def test_area_admin_names_the_unit_and_a_unit_of_another_area_is_refused_per_row(w):
    hosts = list(hosts_for(w.area_admin))
    assert {h.name for h in hosts} == {"淄博市科技馆", "张店区科技馆", "张店区科技局"}
    rows = [
        good_row(w, 1, host="张店区科技馆"),
        good_row(w, 2, host="临淄化工新材料研究院"),
        good_row(w, 3, host=""),
    ]
    report = _dry(w, rows, hosts=hosts)
    assert _problems(report) == [(3, "承办单位", "not_your_unit"), (4, "承办单位", "required")]
    created = import_rows(report=report, edition=w.edition, by=w.area_admin, only_valid=True)
    assert [(a.title, a.host, a.area) for a in created] == [
        ("青少年科学实验秀1", w.unit_a2, w.area_a)
    ]
    assert not Activity.objects.filter(host=w.unit_b).exists()


def test_wrong_headers_are_refused_naming_the_missing_ones(w):
    headers = [h for h in HEADERS if h not in ("活动类型*", "联系电话*")] + ["备注"]
    data = workbook_bytes([good_row(w, 1)], headers=headers)
    with translation.override("en"), pytest.raises(ServiceError) as exc:
        dry_run(io.BytesIO(data), edition=w.edition, hosts=[w.unit_a], default_host=w.unit_a)
    assert exc.value.code == "wrong_headers"
    assert exc.value.messages == [
        "The first row must hold the template's headers; missing: 活动类型*、联系电话*."
    ]


def test_headers_without_stars_or_in_another_order_are_accepted(w):
    headers = [c.name for c in IMPORT_COLUMNS]
    order = list(reversed(range(len(headers))))
    wb = Workbook()
    wb.active.append([headers[i] for i in order])
    row = good_row(w, 1)
    wb.active.append([row[KEYS[i]] for i in order])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    report = dry_run(out, edition=w.edition, hosts=[w.unit_a], default_host=w.unit_a)
    assert (report.problems, report.rows[0].values["title"]) == ([], "青少年科学实验秀1")


def test_more_than_2000_rows_are_refused(w):
    rows = [good_row(w, n % 7) for n in range(MAX_ROWS + 1)]
    with pytest.raises(ServiceError) as exc:
        _dry(w, rows, host=w.unit_a)
    assert exc.value.code == "too_many_rows"


def test_a_sheet_with_only_headers_is_refused(w):
    with pytest.raises(ServiceError) as exc:
        _dry(w, [], host=w.unit_a)
    assert exc.value.code == "empty"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7\n" + b"0" * 100, "not_xlsx"),
        ("活动名称,活动类型\n".encode(), "not_xlsx"),
        (b"PK\x03\x04" + b"\x00" * 60, "not_xlsx"),
        (b"0" * (5 * 1024 * 1024 + 1), "file_too_large"),
    ],
    ids=["pdf-renamed", "csv-renamed", "broken-zip", "over-5mb"],
)
def test_files_that_are_not_small_xlsx_are_refused(data, code):
    with pytest.raises(ServiceError) as exc:
        check_file(xlsx_upload(data))
    assert exc.value.code == code


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ServiceError) as exc:
        check_file(xlsx_upload(out.getvalue()))
    assert exc.value.code == "not_xlsx"


# Export ----------------------------------------------------------------------------------------

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)", "\t=1+1", "\r=2"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_neutralise_never_leaves_a_formula_trigger_first(value):
    out = neutralise(value)
    cleaned = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    if cleaned[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert out == "'" + cleaned
    else:
        assert out == cleaned
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))


@given(
    st.lists(
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"
            ),
            max_size=20,
        ),
        min_size=1,
        max_size=5,
    )
)
@settings(max_examples=30, deadline=None)
def test_neutralised_text_survives_a_round_trip_as_text(values):
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet()
    sheet.append([neutralise(v) for v in values])
    out = io.BytesIO()
    wb.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    for cell, value in zip(cells, values, strict=True):
        assert cell.data_type != "f"  # never a formula
        assert (cell.value or "") == neutralise(value)


def test_neutralise_leaves_numbers_alone():
    assert (neutralise(-1), neutralise(3.5), neutralise(None)) == (-1, 3.5, None)
    assert neutralise("-1") == "'-1"
    assert neutralise("科普=快乐") == "科普=快乐"


def _hostile_activity(w) -> Activity:
    host = HostUnitFactory(parent=w.area_a, name="=HOST()")
    activity = ActivityFactory(
        edition=w.edition, host=host, category=Category.objects.get(edition=w.edition, code="lecture"),
        title=HOSTILE[0], summary=HOSTILE[1], description=HOSTILE[2], venue_name=HOSTILE[3],
        address=HOSTILE[4], lead_name=HOSTILE[5], contact_name="+1", contact_phone="-1",
        co_host_names="@SUM(1)", livestream_url="=HYPERLINK(\"x\")", police_permit_number="-2",
        police_permit_authority="+3", safety_officer_name="@4", safety_officer_phone="=5",
    )  # fmt: skip
    SessionFactory(activity=activity)
    return activity


def test_export_neutralises_every_text_column(w):
    _hostile_activity(w)
    filing = read_sheet(write_export(Activity.objects.all(), layout="filing"))
    assert filing[0] == FILING_HEADERS
    start = f"{w.edition.year}-05-20 09:00—11:00"
    assert filing[1] == [
        1, "'=cmd|' /C calc'!A0", "'@SUM(1)", "'=HOST()", start, "'@SUM(A1:A2) \t=1+1",
        "讲座", "线下", None, 100, "'+1", "'-1", "张店区", "草稿",
    ]  # fmt: skip
    full = dict(
        zip(
            FULL_HEADERS,
            read_sheet(write_export(Activity.objects.all(), layout="full"))[1],
            strict=True,
        )
    )
    expected = {
        "活动名称": "'=cmd|' /C calc'!A0", "活动简介": "'+1", "活动详情": "'-1",
        "活动地点": "'@SUM(A1:A2)", "详细地址": "'\t=1+1", "负责人": "'\r=2", "联系人": "'+1",
        "联系电话": "'-1", "主办单位": "'@SUM(1)", "承办单位": "'=HOST()", "直播链接": "'=HYPERLINK(\"x\")",
        "公安许可文号": "'-2", "许可机关": "'+3", "安全责任人": "'@4", "安全责任人电话": "'=5",
    }  # fmt: skip
    assert {k: full[k] for k in expected} == expected
    for value in full.values():
        assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")))


def test_export_marks_a_large_event_by_the_one_rule(w):
    """No session reaches 1,000, but 3,000 are expected, or three 400-place sessions share a day
    at the venue: both are large mass events (``checks.is_large_event``), as on every page."""
    from datetime import timedelta

    lecture = Category.objects.get(edition=w.edition, code="lecture")

    expected = ActivityFactory(edition=w.edition, host=w.unit_a, category=lecture,
                               title="预计三千人", expected_participants=3000)  # fmt: skip
    SessionFactory(activity=expected, capacity=100)
    busy = ActivityFactory(edition=w.edition, host=w.unit_a, category=lecture,
                           title="一天三场", expected_participants=0)  # fmt: skip
    first = SessionFactory(activity=busy, capacity=400)
    for hours in (3, 6):
        SessionFactory(activity=busy, capacity=400,
                       starts_at=first.starts_at + timedelta(hours=hours),
                       ends_at=first.ends_at + timedelta(hours=hours))  # fmt: skip
    small = ActivityFactory(edition=w.edition, host=w.unit_a, category=lecture,
                            title="小型", expected_participants=0)  # fmt: skip
    SessionFactory(activity=small, capacity=999)
    rows = read_sheet(write_export(Activity.objects.all(), layout="full"))
    large = rows[0].index("大型群众性活动")
    assert {row[3]: row[large] for row in rows[1:]} == {
        "预计三千人": "是",
        "一天三场": "是",
        "小型": "否",
    }
