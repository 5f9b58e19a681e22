"""The launch ceremony's figures in the reports: an area's delegation and exhibits on its
summary page, and the whole ceremony (guests by category, exhibits by area and strategy,
visitors) in the compiled city report and workbook."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sciweek.exhibition.models import Ceremony, Exhibit, Guest, GuestCategory
from sciweek.exhibition.selectors import ceremony_figures
from sciweek.reports.statistics import ceremony_statistics

from . import test_city_report
from .test_city_report import open_docx, run

city = test_city_report.city  # the city report's world, reused as a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceremony(city):
    """The 2023 ceremony on the key lecture (2 people booked and checked in): a leader arrived,
    张店区 sent two students (one arrived, one coming), 临淄区's delegate has not answered; 张店区
    handed in two exhibits (one selected) and keeps a draft, 临淄区's one was declined."""
    w = city
    lecture = w.activities[0]
    w.ceremony = Ceremony.objects.create(
        edition=w.edition, activity=lecture, title="2023年科技活动周启动仪式", venue="淄博科学城",
        starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=2),
        rsvp_deadline=timezone.now(), exhibit_deadline=timezone.now(),
    )  # fmt: skip
    leaders = GuestCategory.objects.create(ceremony=w.ceremony, kind="city_leader", places=5)
    students = GuestCategory.objects.create(ceremony=w.ceremony, kind="student", places=50,
                                            order=1)  # fmt: skip
    for n, (category, area, state) in enumerate([
        (leaders, None, "checked_in"), (students, w.area, "checked_in"),
        (students, w.area, "attending"), (students, w.other_area, "invited"),
    ]):  # fmt: skip
        Guest.objects.create(ceremony=w.ceremony, category=category, area=area, name=f"嘉宾{n}",
                             organization_name="单位", mobile=f"1380000000{n}", state=state)  # fmt: skip
    for submitter, strategy, state in [
        (w.area, "yellow_river", "selected"), (w.area, "green_low_carbon", "submitted"),
        (w.area, "other", "draft"), (w.other_area, "other", "declined"),
    ]:  # fmt: skip
        Exhibit.objects.create(ceremony=w.ceremony, submitter=submitter, title="展品",
                               unit_name="单位", field="新材料", strategy=strategy,
                               description="简介", state=state)  # fmt: skip
    return w


def counts(rows):
    return [(r.label, r.counts) for r in rows]


def test_the_whole_ceremony_with_its_visitors(ceremony):
    figures = ceremony_statistics(ceremony.edition)
    assert counts(figures.guests) == [
        ("市领导", {"invited": 1, "attending": 1, "arrived": 1}),
        ("学生", {"invited": 3, "attending": 2, "arrived": 1}),
    ]
    assert counts(figures.exhibits_by_strategy) == [
        ("黄河流域生态保护和高质量发展", {"submitted": 1, "selected": 1}),
        ("绿色低碳高质量发展先行区", {"submitted": 1, "selected": 0}),
        ("其他", {"submitted": 1, "selected": 0}),
    ]
    assert counts(figures.exhibits_by_area) == [
        (ceremony.area.name, {"submitted": 2, "selected": 1}),
        (ceremony.other_area.name, {"submitted": 1, "selected": 0}),
    ]
    assert figures.visitors == {"booked": 2, "checked_in": 2}


def test_one_areas_delegation_and_exhibits(ceremony):
    figures = ceremony_statistics(ceremony.edition, ceremony.area)
    assert counts(figures.guests) == [
        ("市领导", {"invited": 0, "attending": 0, "arrived": 0}),
        ("学生", {"invited": 2, "attending": 2, "arrived": 1}),
    ]
    assert counts(figures.exhibits_by_area) == [
        (ceremony.area.name, {"submitted": 2, "selected": 1})
    ]
    assert figures.visitors == {}


def test_no_ceremony_no_figures(city):
    assert ceremony_statistics(city.edition) is None


def test_the_figures_read_three_queries(ceremony, django_assert_num_queries):
    with django_assert_num_queries(3):
        ceremony_figures(ceremony.ceremony)


def test_the_area_summary_page_shows_them(client, ceremony):
    client.force_login(ceremony.area_admin)
    page = client.get(f"/office/summaries/{ceremony.summary_a.pk}/").content.decode()
    assert 'id="ceremony-figures"' in page
    table = page[page.index('id="ceremony-guests-table"') :]
    table = table[: table.index("</table>")]
    assert (
        '<tr><th scope="row">学生</th><td class="text-end">2</td><td class="text-end">2</td>'
        '<td class="text-end">1</td></tr>'
    ) in table


def test_the_city_report_tells_the_ceremony_and_attaches_its_tables(ceremony):
    doc = open_docx(run(ceremony, "docx"))
    texts = [p.text for p in doc.paragraphs]
    assert (
        "2023年科技活动周启动仪式。邀请嘉宾4人，确认出席3人，实际到场2人（市领导1人、学生1人）；"
        "各区县（功能区）和市直部门申报科技创新成果展品3件，入选1件，其中服务黄河流域生态保护和"
        "高质量发展1件；公众预约参观2人次，现场签到2人次。"
    ) in texts
    assert "4.启动仪式嘉宾和科技创新成果展展品统计表" in texts
    rows = [
        [c.text for c in row.cells] for table in doc.tables[-4:-1] for row in table.rows
    ]  # the 版记 last
    assert rows == [
        ["嘉宾类别", "邀请", "确认出席", "到场"], ["市领导", "1", "1", "1"], ["学生", "3", "2", "1"],
        ["合计", "4", "3", "2"],
        ["申报单位", "申报展品", "入选展品"], [ceremony.area.name, "2", "1"],
        [ceremony.other_area.name, "1", "0"], ["合计", "3", "1"],
        ["服务战略", "申报展品", "入选展品"], ["黄河流域生态保护和高质量发展", "1", "1"],
        ["绿色低碳高质量发展先行区", "1", "0"], ["其他", "1", "0"], ["合计", "3", "1"],
    ]  # fmt: skip


def test_the_workbook_has_the_ceremony_sheets(ceremony):
    report = run(ceremony, "xlsx")
    workbook = load_workbook(io.BytesIO(report.file.open("rb").read()))
    assert workbook.sheetnames == [
        "全市合计", "区县", "经费", "活动", "活动类型", "媒体报道", "启动仪式嘉宾", "成果展展品",
        "指标来源", "来源明细",
    ]  # fmt: skip
    assert list(workbook["启动仪式嘉宾"].iter_rows(values_only=True)) == [
        ("嘉宾类别", "邀请", "确认出席", "到场"), ("市领导", 1, 1, 1), ("学生", 3, 2, 1),
        ("合计", 4, 3, 2), ("公众预约参观（人次）", 2, None, None),
        ("公众现场签到（人次）", 2, None, None),
    ]  # fmt: skip
    assert list(workbook["成果展展品"].iter_rows(values_only=True)) == [
        ("申报单位或服务战略", "申报展品", "入选展品"), (ceremony.area.name, 2, 1),
        (ceremony.other_area.name, 1, 0), ("合计", 3, 1),
        ("黄河流域生态保护和高质量发展", 1, 1), ("绿色低碳高质量发展先行区", 1, 0), ("其他", 1, 0),
        ("合计", 3, 1),
    ]  # fmt: skip
