"""The city report's frame in GB/T 9704-2012 layout, read back with python-docx: the masthead
(版头: the red issuing organ's mark, the document number and signer, the red line), the
addressee (主送机关) and the closing block (版记: 抄送, 印发 and the date between separator
lines at the foot of the last page); and each compiled version keeping the texts it was asked
with, so a later edit never changes it."""

import io
from datetime import date

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from sciweek.reports.models import CompiledReport
from sciweek.reports.services import compile_request, compile_run, report_prose_save

from . import test_city_report as base

city = base.city  # the fixture: 张店区 accepted, 临淄区 returned
open_docx, run = base.open_docx, base.run

pytestmark = pytest.mark.django_db

SETTINGS = {
    "report_issuer_mark": "淄博市科学技术局文件",
    "report_number": "淄科字〔2023〕12号",
    "report_recipient": "山东省科学技术厅",
    "report_copy_to": "市委宣传部，市科协",
    "report_printer": "淄博市科学技术局办公室",
    "report_printed_on": date(2023, 6, 20),
}


def _save(world, **texts):
    report_prose_save(task=world.task, texts=texts, by=world.organizer)
    world.task.refresh_from_db()


def _font(run):
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _border(paragraph, side):
    pbdr = paragraph._p.pPr.find(qn("w:pBdr"))
    line = pbdr.find(qn(f"w:{side}")) if pbdr is not None else None
    return None if line is None else (line.get(qn("w:sz")), line.get(qn("w:color")))


def test_masthead_is_the_red_mark_the_centred_number_and_the_red_line(city):
    _save(city, **SETTINGS)
    doc = open_docx(run(city, "docx"))
    p = doc.paragraphs
    mark = p[0]
    assert mark.text == "淄博市科学技术局文件"
    assert mark.alignment == 1  # centred
    assert round(mark.paragraph_format.space_before.mm) == 35  # under the text block's top
    (run_,) = mark.runs
    assert str(run_.font.color.rgb) == "FF0000"
    assert _font(run_) == "方正小标宋简体"
    assert run_.font.size.pt == 36
    # The number two lines under the mark, centred, with the red line 4 mm (11 pt) under it.
    assert [x.text for x in p[1:4]] == ["", "", "淄科字〔2023〕12号"]
    assert p[3].alignment == 1
    assert _border(p[3], "bottom") == ("8", "FF0000")
    assert p[3]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:space")) == "11"
    # The title two lines under the red line, then one empty line and the addressee flush left.
    assert [x.text for x in p[4:6]] == ["", ""]
    assert p[6].style.name == "Title" and p[6].text.startswith("关于")
    assert p[7].text == ""
    assert p[8].text == "山东省科学技术厅："
    assert p[8].paragraph_format.first_line_indent == 0
    assert p[9].text.startswith("按照") or "现将有关情况报告如下" in p[9].text


def test_a_report_sent_upward_names_its_signer_beside_the_number(city):
    _save(city, **SETTINGS, report_signer="王明")
    doc = open_docx(run(city, "docx"))
    line = doc.paragraphs[3]
    assert line.text == "\u3000淄科字〔2023〕12号\t签发人：王明"
    assert line.alignment == 0  # left, the signer at a right tab one character in
    (stop,) = line.paragraph_format.tab_stops
    assert round(stop.position.mm) == 156 - 6  # 156 mm less one 3号 character (5.6 mm)
    assert _font(line.runs[-1]) == "楷体_GB2312"
    assert _border(line, "bottom") == ("8", "FF0000")


def test_closing_block_ends_the_last_page_with_copy_and_printing_lines(city):
    _save(city, **SETTINGS)
    doc = open_docx(run(city, "docx"))
    # One section: the page numbers go on to the end; the block is the document's last table,
    # floating at the foot of the text block of the page it falls on.
    assert len(doc.sections) == 1
    block = doc.tables[-1]
    position = block._tbl.tblPr.find(qn("w:tblpPr"))
    assert {k.split("}")[1]: v for k, v in position.attrib.items()} == {
        "topFromText": "0", "bottomFromText": "0", "vertAnchor": "margin",
        "horzAnchor": "margin", "tblpXSpec": "center", "tblpYSpec": "bottom",
    }  # fmt: skip
    assert block._tbl.tblPr.find(qn("w:tblOverlap")).get(qn("w:val")) == "never"
    assert doc.element.body[-2].tag == qn("w:p")  # the paragraph it is anchored to, last
    assert doc.element.body[-3] is block._tbl
    block = doc.tables[-1]
    assert [r.cells[0].text for r in block.rows] == [
        "抄送：市委宣传部，市科协。",
        "淄博市科学技术局办公室\t2023年6月20日印发",
    ]
    borders = {
        child.tag.split("}")[1]: (child.get(qn("w:val")), child.get(qn("w:sz")))
        for child in block._tbl.tblPr.find(qn("w:tblBorders"))
    }
    assert borders == {
        "top": ("single", "8"), "bottom": ("single", "8"), "insideH": ("single", "6"),
        "left": ("nil", None), "right": ("nil", None), "insideV": ("nil", None),
    }  # fmt: skip
    assert block._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == "8844"  # the text block
    copy_p, print_p = (r.cells[0].paragraphs[0] for r in block.rows)
    for paragraph in (copy_p, print_p):
        assert paragraph.runs[0].font.size.pt == 14  # 4号
        assert _font(paragraph.runs[0]) == "仿宋_GB2312"
        assert paragraph.paragraph_format.right_indent.pt == 14
    # 抄送 one character in, its wrapped lines under the first organ.
    assert copy_p.paragraph_format.left_indent.pt == 56
    assert copy_p.paragraph_format.first_line_indent.pt == -42
    assert print_p.paragraph_format.left_indent.pt == 14
    (stop,) = print_p.paragraph_format.tab_stops
    assert round(stop.position.pt) == round(156 / 25.4 * 72 - 14)
    # The signature block stays where it was, before the attachments.
    texts = [x.text for x in doc.paragraphs]
    assert texts.index(city.edition.organizer.name) < texts.index("附件1")


def test_without_settings_the_mark_and_printer_are_the_organiser_and_the_date_today(city):
    doc = open_docx(run(city, "docx"))
    organ = city.edition.organizer.name
    assert doc.paragraphs[0].text == f"{organ}文件"
    assert _border(doc.paragraphs[0], "bottom") == ("8", "FF0000")  # no number: under the mark
    assert doc.paragraphs[3].style.name == "Title"
    # No addressee: the opening paragraph follows the title's empty line.
    assert doc.paragraphs[4].text == ""
    assert "现将有关情况报告如下：" in doc.paragraphs[5].text
    today = timezone.localdate()
    block = doc.tables[-1]
    assert [r.cells[0].text for r in block.rows] == [
        f"{organ}\t{today.year}年{today.month}月{today.day}日印发"
    ]


def test_a_version_keeps_the_texts_it_was_asked_with(city, django_capture_on_commit_callbacks):
    _save(city, report_overview="第一稿概述。", report_number="淄科字〔2023〕12号")
    # Asked for with the first text, compiled after the organiser changed it.
    first = compile_request(task=city.task, kind="docx", by=city.organizer)
    _save(city, report_overview="第二稿概述。", report_number="淄科字〔2023〕13号")
    compile_run(first.pk)
    first.refresh_from_db()
    assert first.texts["report_overview"] == "第一稿概述。"
    assert first.texts["report_number"] == "淄科字〔2023〕12号"
    assert first.texts["report_printed_on"] == ""
    texts = [p.text for p in open_docx(first).paragraphs]
    assert "第一稿概述。" in texts and "淄科字〔2023〕12号" in texts
    assert "第二稿概述。" not in texts
    with django_capture_on_commit_callbacks(execute=True):
        second = compile_request(task=city.task, kind="docx", by=city.organizer)
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert "第二稿概述。" in [p.text for p in open_docx(second).paragraphs]
    # The first version downloads unchanged after the later edit and compilation.
    stored = first.file.open("rb").read()
    _save(city, report_overview="第三稿概述。")
    from django.test import Client

    client = Client()
    client.force_login(city.organizer)
    response = client.get(f"/office/summaries/compiled/{first.pk}/")
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content]) == stored
    )
    assert CompiledReport.objects.get(pk=first.pk).texts["report_overview"] == "第一稿概述。"


def test_compile_page_saves_the_settings_and_keeps_them_when_refused(client, city):
    client.force_login(city.organizer)
    url = f"/office/summaries/compile/prose/?edition={city.edition.pk}"
    typed = {"report_number": "淄科字〔2023〕12号", "report_recipient": "山东省科学技术厅",
             "report_copy_to": "市委宣传部", "report_printed_on": "2023-13-40"}  # fmt: skip
    response = client.post(url, typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert "淄科字〔2023〕12号" in body and "山东省科学技术厅" in body and "2023-13-40" in body
    city.task.refresh_from_db()
    assert city.task.report_number == ""
    response = client.post(url, {**typed, "report_printed_on": "2023-06-20"})
    assert response.status_code == 302
    city.task.refresh_from_db()
    assert (city.task.report_number, city.task.report_printed_on) == (
        "淄科字〔2023〕12号",
        date(2023, 6, 20),
    )
    page = client.get(f"/office/summaries/compile/?edition={city.edition.pk}").content.decode()
    assert 'value="2023-06-20"' in page and "市委宣传部" in page
    assert Document(io.BytesIO(run(city, "docx").file.open("rb").read())).paragraphs[3].text == (
        "淄科字〔2023〕12号"
    )


def test_media_section_counts_the_coverage_of_the_counted_areas_only(city):
    from sciweek.activities.models import MediaCoverage

    returned_activity = city.activities[2]  # 临淄区, whose summary was returned
    MediaCoverage.objects.create(activity=returned_activity, outlet="鲁中晨报", title="新材料",
                                 published_on=city.edition.start_date)  # fmt: skip
    texts = [p.text for p in open_docx(run(city, "docx")).paragraphs]
    heading = texts.index("四、宣传报道")
    assert texts[heading + 1] == (
        "活动周期间，平台记录计入全市合计的区县（功能区）各类媒体报道1篇（次），其中淄博日报1篇。"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "淄科字[2023]12号",
        "淄科字(2023)12号",
        "淄科字（2023）12号",
        "淄科字【2023】12号",
        " 淄科字〔2023〕12号 ",
    ],
)
def test_the_year_in_the_document_number_goes_in_hexagonal_brackets(city, typed):
    _save(city, report_number=typed)
    assert city.task.report_number == "淄科字〔2023〕12号"
