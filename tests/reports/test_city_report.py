"""The compiled city report read back as a reader's Word would: GB/T 9704-2012 layout (A4, the
standard's margins, 22 × 28 grid, named fonts for east-Asian text in zh-CN, page numbers
outside), tables within the text block with numbers on one line, totals that leave out a
returned summary and say so, the workbook's formatting and sources that recount, the upward
filing, spend against budget, versions with a hash of the figures, and the command."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from lxml import etree
from openpyxl import load_workbook

from sciweek.activities.enums import ActivityState
from sciweek.activities.models import MediaCoverage, Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings.models import Booking
from sciweek.common.errors import ServiceError
from sciweek.reports import officedoc
from sciweek.reports.compile import generated_prose
from sciweek.reports.figures import FIXED_FIGURES
from sciweek.reports.models import CompiledReport
from sciweek.reports.services import (
    compile_request,
    compile_run,
    figures_update,
    refresh_figures,
    report_prose_save,
    summary_transition,
)
from sciweek.reports.statistics import activity_ledger, city_figures, compute_figures
from tests.factories import ActivityFactory, CategoryFactory, HostUnitFactory, SessionFactory

from .conftest import complete

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _booking(session, n, *, size=1, checked=False):
    # Places taken as the booking services keep them (the figures read the session's counter).
    Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + size)
    return Booking.objects.create(
        session=session, status="confirmed", name=f"访客{n}", phone=f"1390000{n:04d}",
        person_key=f"c{session.pk}-{n}", party_size=size,
        checked_in_at=timezone.now() if checked else None,
    )  # fmt: skip


@pytest.fixture
def city(world):
    """张店区 (accepted) and 临淄区 (returned), each with held activities, bookings, coverage,
    budgets and actual costs; 张店区 changed one figure with a note."""
    w = world
    lecture = CategoryFactory(edition=w.edition, code="lecture", name="科普讲座")
    open_day = CategoryFactory(edition=w.edition, code="open_day", name="开放日")
    held = {"edition": w.edition, "state": ActivityState.HELD}
    a1 = ActivityFactory(**held, host=w.unit_a, category=lecture, title="人工智能科普讲座",
                         is_key=True, onsite_participants=1234567, online_participants=300,
                         st_workers=4, volunteers=6, budget=Decimal("50000"),
                         actual_cost=Decimal("46800.50"))  # fmt: skip
    a2 = ActivityFactory(**held, host=w.unit_a, category=open_day, title="科技馆开放日",
                         budget=Decimal("8000"), actual_cost=Decimal("7600"))  # fmt: skip
    other_unit = HostUnitFactory(parent=w.area_b, name="临淄化工新材料研究院")
    b1 = ActivityFactory(**held, host=other_unit, category=lecture, title="新材料讲座",
                         onsite_participants=900, budget=Decimal("3000"),
                         actual_cost=Decimal("2900"))  # fmt: skip
    s1 = SessionFactory(activity=a1)
    s2 = SessionFactory(activity=a2)
    SessionFactory(activity=a2, starts_at=s2.starts_at + timedelta(days=1),
                   ends_at=s2.ends_at + timedelta(days=1))  # fmt: skip
    _booking(s1, 1, size=2, checked=True)
    _booking(s2, 2, size=3, checked=True)
    _booking(s2, 3)
    _booking(SessionFactory(activity=b1), 4, size=7, checked=True)
    MediaCoverage.objects.create(activity=a1, outlet="淄博日报", title="讲座",
                                 published_on=w.edition.start_date)  # fmt: skip
    for summary in (w.summary_a, w.summary_b):
        refresh_figures(summary=summary)
    figures_update(summary=w.summary_a, values={"volunteers": (Decimal(20), "含学生志愿者")},
                   by=w.area_user_a)  # fmt: skip
    w.summary_a.highlights_text = "首次开展人工智能主题科普讲座。"
    w.summary_a.problems_text = "基层科普场地不足。"
    w.summary_a.save()
    w.summary_b.highlights_text = "不应出现在报告中的退回内容。"
    w.summary_b.save()
    for summary, user in ((w.summary_a, w.area_user_a), (w.summary_b, w.area_user_b)):
        complete(summary, user)
        summary_transition(summary=summary, action="submit", by=user)
    summary_transition(summary=w.summary_a, action="accept", by=w.organizer)
    summary_transition(summary=w.summary_b, action="return", by=w.organizer, reason="数据不符")
    w.activities = (a1, a2, b1)
    return w


def run(world, kind, **fields):
    report = CompiledReport.objects.create(task=world.task, kind=kind, **fields)
    report = compile_run(report.pk)
    assert (report.status, report.error) == ("done", "")
    return report


def open_docx(report):
    return Document(io.BytesIO(report.file.open("rb").read()))


def part_xml(report, name: str):
    with zipfile.ZipFile(io.BytesIO(report.file.open("rb").read())) as archive:
        return etree.fromstring(archive.read(name))


def test_docx_is_a4_with_the_standards_margins_and_grid(city):
    report = run(city, "docx")
    doc = open_docx(report)
    section = doc.sections[0]
    mm = {
        name: round(getattr(section, name).mm, 1)
        for name in ("page_width", "page_height", "top_margin", "bottom_margin",
                     "left_margin", "right_margin")
    }  # fmt: skip
    assert mm == {
        "page_width": 210.0, "page_height": 297.0, "top_margin": 37.0, "bottom_margin": 35.0,
        "left_margin": 28.0, "right_margin": 26.0,
    }  # fmt: skip
    # The text block: 156 × 225 mm.
    assert round(Emu(section.page_width - section.left_margin - section.right_margin).mm) == 156
    assert round(Emu(section.page_height - section.top_margin - section.bottom_margin).mm) == 225
    settings = doc.settings.element
    assert settings.find(qn("w:mirrorMargins")) is not None  # binding side alternates
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    char_pitch = Pt(16 + int(grid.get(qn("w:charSpace"))) / 4096)
    assert int(Mm(225).twips // line_pitch) == 22
    assert int(Mm(156) // char_pitch) == 28
    normal = doc.styles["Normal"].paragraph_format
    assert (normal.line_spacing.twips, normal.first_line_indent.pt) == (line_pitch, 32.0)


def _fonts(style):
    rpr = style.element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    lang = rpr.find(qn("w:lang"))
    return (
        fonts.get(qn("w:eastAsia")),
        fonts.get(qn("w:eastAsiaTheme")),
        style.font.size.pt,
        lang.get(qn("w:eastAsia")) if lang is not None else None,
    )


def test_docx_names_the_fonts_for_east_asian_text_in_zh_cn(city):
    report = run(city, "docx")
    doc = open_docx(report)
    assert _fonts(doc.styles["Normal"]) == ("仿宋_GB2312", None, 16.0, "zh-CN")
    assert _fonts(doc.styles["Title"]) == ("方正小标宋简体", None, 22.0, "zh-CN")
    assert _fonts(doc.styles["Heading 1"]) == ("黑体", None, 16.0, "zh-CN")
    assert _fonts(doc.styles["Heading 2"]) == ("楷体_GB2312", None, 16.0, "zh-CN")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # No Japanese locale left anywhere (the default template's themeFontLang was ja-JP).
    for name in ("word/styles.xml", "word/settings.xml", "word/document.xml"):
        assert "ja-JP" not in etree.tostring(part_xml(report, name)).decode()
    table = {
        f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
        for f in part_xml(report, "word/fontTable.xml").findall(qn("w:font"))
        if f.find(qn("w:altName")) is not None
    }
    assert table["方正小标宋简体"] == "宋体" and table["仿宋_GB2312"] == "仿宋"
    assert table["楷体_GB2312"] == "楷体"
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.text == f"关于{city.edition.title}\n开展情况的报告"
    headings = {p.style.name: [] for p in doc.paragraphs}
    for p in doc.paragraphs:
        headings[p.style.name].append(p.text)
    assert headings["Heading 1"][:2] == ["一、总体情况", "二、各区县（功能区）活动情况"]
    assert headings["Heading 2"] == [f"（一）{city.area.name}"]  # only the accepted area


def _footer_field(footer):
    p = footer.paragraphs[0]
    xml = p._p
    return (
        p.paragraph_format.alignment,
        [c.get(qn("w:fldCharType")) for c in xml.iter(qn("w:fldChar"))],
        "".join(t.text for t in xml.iter(qn("w:instrText"))).strip(),
        "".join(t.text for t in xml.iter(qn("w:t"))),
    )


def test_docx_page_numbers_outside_as_dashes_around_a_page_field(city):
    doc = open_docx(run(city, "docx"))
    assert doc.settings.odd_and_even_pages_header_footer is True
    section = doc.sections[0]
    odd, even = _footer_field(section.footer), _footer_field(section.even_page_footer)
    assert odd == (2, ["begin", "separate", "end"], "PAGE", "— 1 —")  # RIGHT
    assert even == (0, ["begin", "separate", "end"], "PAGE", "— 1 —")  # LEFT
    assert section.footer.paragraphs[0].paragraph_format.right_indent.pt == 14.0
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent.pt == 14.0


def _twips(element, tag):
    return int(element.find(qn(tag)).get(qn("w:w")))


def test_docx_tables_fit_the_text_block_and_keep_numbers_on_one_line(city):
    doc = open_docx(run(city, "docx"))
    text_block = int(Mm(156).twips)
    assert len(doc.tables) == 4  # three attachments' tables and the closing block (版记)
    for table in doc.tables[:-1]:
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= text_block
        assert _twips(tbl.tblPr, "w:tblW") <= text_block
        for row in table.rows[1:]:
            for cell, width in zip(row.cells, grid, strict=True):
                tcpr = cell._tc.tcPr
                assert tcpr.find(qn("w:noWrap")) is not None
                size = cell.paragraphs[0].runs[0].font.size
                needed = officedoc.text_width(cell.text, size) + 2 * officedoc.CELL_MARGIN
                assert needed <= Mm(width / 56.6929), (cell.text, width)
    participation = doc.tables[0]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in participation.rows[1:]}
    # 张店区: a 1,234,567 onsite figure stays whole in its cell.
    assert rows["张店区"][4] == "1,234,570"  # its recorded 1,234,567 and the open day's gate 3


def test_docx_totals_leave_out_the_returned_area_and_say_so(city):
    doc = open_docx(run(city, "docx"))
    participation = doc.tables[0]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in participation.rows[1:]}
    returned = f"{city.area_b.short_name}*" if len(city.area_b.name) > 5 else f"{city.area_b.name}*"
    assert rows[returned] == ["—"] * 6
    assert rows["合计"] == rows["张店区"]  # activities, sessions, bookings, check-ins, …
    assert rows["合计"][:4] == ["2", "3", "6", "5"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{city.area_b.name}总结报告已退回修改，未计入全市合计" in text
    assert "全市1个区县（功能区）共举办科普活动2项、3场次" in text
    assert "首次开展人工智能主题科普讲座。" in text and "基层科普场地不足" in text
    assert "不应出现在报告中的退回内容" not in text
    # Spend, not budget: 46,800.50 + 7,600 against 58,000.
    assert "全市活动经费预算58,000元，实际投入54,400.50元，为预算的93.8%" in text


def test_key_activities_of_a_returned_area_are_left_out(city):
    ActivityFactory(edition=city.edition, state=ActivityState.HELD, is_key=True,
                    host=city.activities[2].host, category=city.activities[2].category,
                    title="退回区县的重点活动")  # fmt: skip
    text = "\n".join(p.text for p in open_docx(run(city, "docx")).paragraphs)
    assert "1.人工智能科普讲座。" in text
    assert "退回区县的重点活动" not in text


def test_docx_ends_with_the_issuing_organ_date_and_seal_position(city):
    report = run(city, "docx")
    doc = open_docx(report)
    texts = [p.text for p in doc.paragraphs]
    organ = texts.index(city.edition.organizer.name)
    today = timezone.localdate()
    assert texts[organ + 1] == f"{today.year}年{today.month}月{today.day}日"
    date_p = doc.paragraphs[organ + 1]
    assert date_p.paragraph_format.right_indent.pt == 64.0  # four characters of 3号
    assert date_p.paragraph_format.alignment == 2
    marks = [b.get(qn("w:name")) for b in doc.paragraphs[organ]._p.iter(qn("w:bookmarkStart"))]
    assert marks == ["seal"]
    # Room for the seal above the organ, kept on the page of the text before it.
    assert texts[organ - 3 : organ] == ["", "", ""]
    assert all(p.paragraph_format.keep_with_next for p in doc.paragraphs[organ - 4 : organ + 1])
    assert texts[organ - 4].startswith("3.")  # the attachments' list before it


def test_docx_key_activity_carries_its_photo_resized(city, settings):
    from PIL import Image

    from sciweek.media.models import MediaItem

    big = io.BytesIO()
    Image.new("RGB", (3000, 2000), "teal").save(big, "JPEG")
    item = MediaItem(activity=city.activities[0], kind="photo", title="讲座现场",
                     original_name="x.jpg", content_type="image/jpeg", size=len(big.getvalue()))  # fmt: skip
    from django.core.files.base import ContentFile

    item.file.save("x.jpg", ContentFile(big.getvalue()), save=False)
    item.save()
    doc = open_docx(run(city, "docx"))
    shapes = doc.inline_shapes
    assert len(shapes) == 1
    assert round(shapes[0].width.mm) == 120
    blob = doc.part.related_parts[
        shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    assert Image.open(io.BytesIO(blob)).size == (1600, 1067)
    texts = [p.text for p in doc.paragraphs]
    assert "讲座现场" in texts


def test_files_are_named_for_what_they_are(city, client):
    title = city.edition.title
    names = {kind: run(city, kind).download_name for kind in ("docx", "xlsx", "zip_all", "upward")}
    assert names == {
        "docx": f"{title}总结报告.docx",
        "xlsx": f"{title}统计表.xlsx",
        "zip_all": f"{title}资料汇编.zip",
        "upward": f"{title}上报表.xlsx",
    }
    assert (
        run(city, "zip_area", area=city.area).download_name
        == f"{title}{city.area.name}资料汇编.zip"
    )
    client.force_login(city.organizer)
    report = CompiledReport.objects.filter(kind="docx").first()
    response = client.get(f"/office/summaries/compiled/{report.pk}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "%E6%80%BB%E7%BB%93%E6%8A%A5%E5%91%8A.docx" in response["Content-Disposition"]


def _sheet_rows(workbook, name):
    return list(workbook[name].iter_rows(values_only=True))


def test_workbook_has_widths_bold_frozen_headers_formats_and_totals(city):
    report = run(city, "xlsx")
    workbook = load_workbook(io.BytesIO(report.file.open("rb").read()))
    assert workbook.sheetnames == [
        "全市合计", "区县", "经费", "活动", "活动类型", "媒体报道", "指标来源", "来源明细",
    ]  # fmt: skip
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert sheet.column_dimensions["A"].width >= 8, sheet.title
    areas = workbook["区县"]
    header = [c.value for c in areas[1]]
    rows = {r[0]: r for r in _sheet_rows(workbook, "区县")[1:]}
    total = rows["合计"]
    assert areas.max_row == 4 and all(c.font.b for c in areas[4])
    col = header.index(str(FIXED_FIGURES[0][1]))
    assert (rows[city.area.name][col], rows[city.area_b.name][col], total[col]) == (2, None, 2)
    assert rows[city.area_b.name][3] == "未计入"
    assert areas.cell(row=2, column=col + 1).number_format == "#,##0"
    spend = {r[0]: r for r in _sheet_rows(workbook, "经费")[1:]}
    assert spend["合计"][1:3] == (58000.0, 54400.5)
    totals = {r[0]: r[1] for r in _sheet_rows(workbook, "全市合计")[1:]}
    note = next(r[2] for r in _sheet_rows(workbook, "全市合计") if r[0] == "说明")
    assert f"{city.area_b.name}总结报告已退回修改，未计入全市合计" in note
    assert len(totals) >= 12


def test_sources_sheet_lets_every_figure_be_recounted(city):
    report = run(city, "xlsx")
    workbook = load_workbook(io.BytesIO(report.file.open("rb").read()), read_only=True)
    ledger_rows = _sheet_rows(workbook, "来源明细")
    header = ledger_rows[0]
    by_area = {}
    for row in ledger_rows[1:]:
        by_area.setdefault(row[0], []).append(dict(zip(header, row, strict=True)))
    sources = _sheet_rows(workbook, "指标来源")
    label = {key: str(text) for key, text, _source in FIXED_FIGURES}
    checked = 0
    for area in (city.area, city.area_b):
        platform = compute_figures(city.edition, area)
        rows = by_area[area.name]
        recounted = {
            "activities": len(rows),
            "sessions": sum(r["场次"] for r in rows),
            "bookings": sum(r["预约人次"] for r in rows),
            "check_ins": sum(r["签到人次"] for r in rows),
            "onsite": sum(r["现场参与"] for r in rows),
            "online": sum(r["线上参与"] for r in rows),
            "st_workers": sum(r["科技工作者"] for r in rows),
            "media_reports": sum(r["媒体报道"] for r in rows),
            "budget": sum(r["预算（元）"] for r in rows),
            "funds": sum(r["实际投入（元）"] for r in rows),
        }
        for key, value in recounted.items():
            row = next(r for r in sources if r[0] == area.name and r[1] == label[key])
            # The platform's figure on the sources sheet, a recount of the ledger, and the
            # figure the summary was pre-filled with all agree.
            assert row[3] == value == float(platform[key]), (area.name, key)
            checked += 1
        ids = {r["活动编号"] for r in rows}
        assert ids == {r.pk for r in activity_ledger(city.edition, [area])}
    assert checked == 20
    volunteers = next(r for r in sources if r[0] == city.area.name and r[1] == label["volunteers"])
    assert volunteers[2:7] == (20, 6, 20, "含学生志愿者", "计入")
    returned = next(r for r in sources if r[0] == city.area_b.name and r[1] == label["onsite"])
    assert (returned[2], returned[3], returned[6]) == (None, 900, "未计入")
    counted = next(r for r in sources if r[0] == city.area.name and r[1] == label["activities"])
    assert counted[8] == 2
    assert f"{city.activities[0].pk}：人工智能科普讲座" in counted[9]


def test_include_unreported_counts_the_returned_areas_records_and_says_so(city):
    report = run(city, "docx", include_unreported=True)
    doc = open_docx(report)
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in doc.tables[0].rows[1:]}
    assert rows["合计"][0] == "3"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "按平台活动记录统计" in text


def test_upward_filing_lists_activities_and_survey_indicators(city):
    report = run(city, "upward")
    workbook = load_workbook(io.BytesIO(report.file.open("rb").read()), read_only=True)
    activities = _sheet_rows(workbook, "活动清单")
    assert activities[0] == ("序号", "活动名称", "主办（承办）单位", "区县", "开始时间", "结束时间",
                             "活动地点", "活动类型", "面向对象", "参与人数", "线上/线下")  # fmt: skip
    assert {r[1] for r in activities[1:]} == {"人工智能科普讲座", "科技馆开放日", "新材料讲座"}
    indicators = {r[0]: r for r in _sheet_rows(workbook, "科普统计指标")[1:]}
    assert indicators["科技活动周：科普专题活动次数"][1] == 2  # the returned area is left out
    assert indicators["科普（技）讲座：举办次数"][1] == 1
    assert indicators["科研机构和大学向社会开放：开放单位个数"][1] == 1
    assert indicators["科普经费：科普活动支出"][1] == 54400.5
    assert all(r[3] for r in indicators.values())  # each says which figure fills it


def test_each_compilation_is_a_numbered_version_with_a_hash_of_its_figures(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = compile_request(task=city.task, kind="docx", by=city.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        second = compile_request(task=city.task, kind="docx", by=city.organizer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    digest = city_figures(city.task).digest()
    assert first.figures_hash == second.figures_hash == digest
    assert open_docx(second).core_properties.subject == digest
    assert digest in "\n".join(p.text for p in open_docx(second).paragraphs)
    entry = AuditEntry.objects.filter(action="report.compile").latest("id")
    assert entry.changes["version"] == [None, 2]
    assert entry.changes["include_unreported"] == [None, False]
    # A changed record changes the recount's hash.
    figures_update(
        summary=city.summary_b, values={"onsite": (Decimal(1), "核实")}, by=city.area_user_b
    )
    assert city_figures(city.task, include_unreported=True).digest() != digest


def test_compile_report_command_writes_the_files_and_prints_their_paths(city, tmp_path, capsys):
    city.edition.year = 2023
    city.edition.save()
    call_command("compile_report", "--edition", "2023", "--out", str(tmp_path))
    printed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    title = city.edition.title
    assert [Path(p).name for p in printed] == [
        f"{title}总结报告.docx", f"{title}统计表.xlsx", f"{title}上报表.xlsx", f"{title}资料汇编.zip",
    ]  # fmt: skip
    assert all(Path(p).stat().st_size > 0 for p in printed)
    assert round(Emu(Document(printed[0]).sections[0].page_width).mm) == 210


def test_compile_report_command_refuses_an_unknown_year(city, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No edition of 1999"):
        call_command("compile_report", "--edition", "1999", "--out", str(tmp_path))


def test_organiser_edits_the_prose_and_the_next_compilation_uses_it(city):
    generated = generated_prose(city.task)
    assert generated["report_overview"].startswith(
        "活动周期间，全市1个区县（功能区）共举办科普活动2项"
    )
    report_prose_save(
        task=city.task,
        texts={"report_overview": "  全市活动周亮点纷呈。\n参与人数创新高。 ",
               "report_outlook": generated["report_outlook"]},
        by=city.organizer,
    )  # fmt: skip
    city.task.refresh_from_db()
    # The outlook was left as generated: stored empty, so it keeps following the figures.
    assert (city.task.report_overview, city.task.report_outlook) == (
        "全市活动周亮点纷呈。\n参与人数创新高。",
        "",
    )
    entry = AuditEntry.objects.get(action="report.prose")
    assert entry.changes == {"sections": [None, ["report_overview"]]}
    texts = [p.text for p in open_docx(run(city, "docx")).paragraphs]
    assert "全市活动周亮点纷呈。" in texts and "参与人数创新高。" in texts
    assert not any(t.startswith("活动周期间，全市") for t in texts)
    # The note on what the totals leave out stays, whatever the organiser wrote.
    assert any(f"{city.area_b.name}总结报告已退回修改" in t for t in texts)
    # Saving the same again writes no second entry.
    report_prose_save(task=city.task, texts={"report_overview": "全市活动周亮点纷呈。\n参与人数创新高。"},
                      by=city.organizer)  # fmt: skip
    assert AuditEntry.objects.filter(action="report.prose").count() == 1


def test_prose_too_long_is_refused_and_nothing_saved(city):
    with pytest.raises(ServiceError) as caught:
        report_prose_save(
            task=city.task, texts={"report_overview": "长" * 20001}, by=city.organizer
        )
    assert "report_overview" in caught.value.message_dict
    city.task.refresh_from_db()
    assert city.task.report_overview == ""
    assert not AuditEntry.objects.filter(action="report.prose").exists()


def test_prose_page_keeps_what_was_typed_when_refused(client, city):
    client.force_login(city.organizer)
    url = f"/office/summaries/compile/prose/?edition={city.edition.pk}"
    typed = "<script>x</script>" + "长" * 20001
    response = client.post(url, {"report_overview": typed, "report_outlook": "=cmd|x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>x</script>" not in body
    city.task.refresh_from_db()
    assert city.task.report_overview == ""
    response = client.post(url, {"report_overview": "概述。", "report_outlook": "下一步。"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?edition={city.edition.pk}#prose")
    page = client.get(f"/office/summaries/compile/?edition={city.edition.pk}").content.decode()
    assert "概述。" in page and "下一步。" in page


def _in_order(element, order):
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    ranks = [rank[c.tag] for c in element if c.tag in rank]
    return ranks == sorted(ranks)


def test_docx_properties_are_in_the_schemas_order_so_word_opens_it(city):
    report = run(city, "docx")
    for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
        root = part_xml(report, name)
        for tag, order in (("w:rPr", officedoc.RPR_ORDER), ("w:pPr", officedoc.PPR_ORDER),
                           ("w:tblPr", officedoc.TBLPR_ORDER)):  # fmt: skip
            for element in root.iter(qn(tag)):
                assert _in_order(element, order), (name, tag, [c.tag for c in element])
    settings = [c.tag.split("}")[1] for c in part_xml(report, "word/settings.xml")]
    assert settings.index("zoom") < settings.index("mirrorMargins") < settings.index("proofState")


def test_each_summary_figure_links_to_the_records_behind_it(client, city):
    a1, a2, _b1 = city.activities
    client.force_login(city.area_user_a)
    page = client.get(f"/office/summaries/{city.summary_a.pk}/").content.decode()
    assert f"/office/summaries/{city.summary_a.pk}/figures/onsite/records/" in page
    response = client.get(f"/office/summaries/{city.summary_a.pk}/figures/onsite/records/")
    assert response.status_code == 200
    body = response.content.decode()
    # 1,234,567 recorded on the lecture, 3 from the gate on the open day: 1,234,570.
    assert 'id="recount">1234570<' in body
    assert f'data-activity="{a1.pk}"' in body and f'data-activity="{a2.pk}"' in body
    assert "新材料讲座" not in body  # another area's record
    assert (
        client.get(f"/office/summaries/{city.summary_a.pk}/figures/units_open/records/").status_code
        == 200
    )
    # An unknown figure, or one of another area's summary, is not found.
    assert (
        client.get(f"/office/summaries/{city.summary_a.pk}/figures/nope/records/").status_code
        == 404
    )
    assert (
        client.get(f"/office/summaries/{city.summary_b.pk}/figures/onsite/records/").status_code
        == 404
    )


def test_figure_records_page_query_count_does_not_grow_with_rows(
    client, city, django_assert_max_num_queries
):
    client.force_login(city.organizer)
    url = f"/office/summaries/{city.summary_a.pk}/figures/activities/records/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(20):
        ActivityFactory(edition=city.edition, host=city.unit_a, state=ActivityState.HELD,
                        category=city.activities[0].category, title=f"追加活动{n}")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
