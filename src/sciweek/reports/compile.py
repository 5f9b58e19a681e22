"""The city's compiled outputs: the summary (docx), the workbook (xlsx) and archives of the
areas' materials (zip). Each writes to a temporary file in bounded memory, reporting progress,
then moves the file into private storage."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Max, Min, Q
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sciweek.activities.checks import is_large_event
from sciweek.activities.enums import ActivityState, DocumentKind, Mode
from sciweek.activities.models import Activity, AudienceTag, MediaCoverage
from sciweek.activities.selectors import ActivityFilters, filter_activities
from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.common.exports import neutralise
from sciweek.common.storage import read_chunks

from . import docframe
from . import officedoc as od
from . import photos as photos_module
from .enums import CompileKind
from .figures import FIXED_FIGURES
from .models import AreaSummary, ReportingTask
from .statistics import (
    LEDGER_COLUMNS,
    AreaFigures,
    CityFigures,
    activity_ledger,
    category_breakdown,
    ceremony_statistics,
    city_figures,
    records_of,
    recount,
)
from .texts import printed_on, version_texts
from .xlsxrows import FastRows, PlainRow

Progress = Callable[[int], None]


def _number(value) -> str:
    """12345 as "12,345", 12.5 as "12.50"; nothing as "—"."""
    if value is None or value == "":
        return "—"
    try:
        return f"{value:,.0f}" if float(value) == int(value) else f"{value:,.2f}"
    except (TypeError, ValueError):
        return str(value)


def _summaries(task: ReportingTask) -> dict[int, AreaSummary]:
    return {s.area_id: s for s in task.summaries.select_related("area").prefetch_related("figures")}


def file_name(task: ReportingTask, kind: str, area=None) -> str:
    """What the file is, in its name: 2023年淄博市科技活动周总结报告.docx, …统计表.xlsx,
    …资料汇编.zip, …张店区资料汇编.zip, …上报表.xlsx."""
    title = task.edition.title
    names = {
        CompileKind.DOCX: f"{title}总结报告.docx",
        CompileKind.XLSX: f"{title}统计表.xlsx",
        CompileKind.ZIP_ALL: f"{title}资料汇编.zip",
        CompileKind.ZIP_AREA: f"{title}{getattr(area, 'name', '')}资料汇编.zip",
        CompileKind.UPWARD: f"{title}上报表.xlsx",
    }
    return safe_file_name(names[kind])


def safe_file_name(name: str) -> str:
    """No path separators or characters Windows refuses, whatever an organiser typed."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", name).strip() or "report"


def _when(edition) -> str:
    return f"{edition.start_date:%Y年%-m月%-d日}至{edition.end_date:%-m月%-d日}"


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _share(part, whole) -> str:
    if not whole:
        return "—"
    return f"{100 * float(part) / float(whole):.1f}%"


def _change(now, before) -> str:
    if not before:
        return ""
    delta = 100 * (float(now) - float(before)) / float(before)
    if abs(delta) < 0.05:
        return "与上年持平"
    return f"比上年{'增长' if delta > 0 else '下降'}{abs(delta):.1f}%"


def _previous_totals(task: ReportingTask, include_unreported: bool) -> dict | None:
    previous = (
        ReportingTask.objects.filter(
            edition__organizer_id=task.edition.organizer_id, edition__year=task.edition.year - 1
        )
        .select_related("edition")
        .first()
    )
    if previous is None:
        return None
    return city_figures(previous, include_unreported=include_unreported).totals or None


def _names(items) -> str:
    return "、".join(a.area.name for a in items)


def exclusion_note(city: CityFigures) -> str:
    """Which areas the totals leave out, and why (or where they were counted from records)."""
    returned = [a for a in city.not_accepted if a.is_returned]
    pending = [a for a in city.not_accepted if a.summary is not None and a.summary.is_handed_in]
    missing = [a for a in city.not_accepted if a not in returned and a not in pending]
    counted = len([a for a in city.areas if a.is_accepted])
    parts = [f"以上数据根据已审核通过的{counted}个区县（功能区）总结报告统计"]
    if city.not_accepted and any(a.basis == "records" for a in city.not_accepted):
        if returned:
            parts.append(f"{_names(returned)}总结报告已退回修改")
        if pending:
            parts.append(f"{_names(pending)}总结报告尚在审核")
        if missing:
            parts.append(f"{_names(missing)}尚未报送总结报告")
        parts.append("以上区县（功能区）按平台活动记录统计")
    else:
        if returned:
            parts.append(f"{_names(returned)}总结报告已退回修改，未计入全市合计")
        if pending:
            parts.append(f"{_names(pending)}总结报告尚在审核，未计入全市合计")
        if missing:
            parts.append(f"{_names(missing)}尚未报送总结报告，未计入全市合计")
    return "；".join(parts) + "。"


TABLE_PARTICIPATION = ["activities", "sessions", "bookings", "check_ins", "onsite", "online"]
TABLE_RESOURCES = ["units_open", "st_workers", "volunteers", "media_reports", "budget", "funds"]
SHORT_LABELS = {
    "activities": "活动数",
    "sessions": "场次",
    "bookings": "预约人次",
    "check_ins": "签到人次",
    "onsite": "现场参与人次",
    "online": "线上参与人次",
    "units_open": "开放单位",
    "st_workers": "科技工作者",
    "volunteers": "志愿者",
    "media_reports": "媒体报道",
    "budget": "预算（元）",
    "funds": "经费投入（元）",
}


def _area_label(area) -> str:
    """The area's name in a table; a long one (淄博高新技术产业开发区) by its short name."""
    return area.name if len(area.name) <= 5 or not area.short_name else area.short_name


def _figure(item: AreaFigures, key: str):
    return item.figures.get(key) if item.counted else None


def _area_rows(city: CityFigures, keys: list[str]) -> list[list[str]]:
    rows = []
    for item in city.areas:
        name = _area_label(item.area)
        if not item.counted:
            name += "*"
        rows.append([name, *[_number(_figure(item, key)) for key in keys]])
    rows.append(["合计", *[_number(city.totals.get(key, 0)) for key in keys]])
    return rows


def _area_table(doc, city: CityFigures, keys: list[str]) -> None:
    columns = [
        od.Column("区县（功能区）"),
        *[od.Column(SHORT_LABELS[k], numeric=True) for k in keys],
    ]
    od.table(doc, columns, _area_rows(city, keys), total_row=True)


def _activity_sentence(activity) -> str:
    parts = []
    if activity.venue_name:
        parts.append(f"在{activity.venue_name}举办")
    people = []
    if activity.onsite_participants:
        people.append(f"现场参与{_number(activity.onsite_participants)}人次")
    if activity.online_participants:
        people.append(f"线上参与{_number(activity.online_participants)}人次")
    text = "，".join(parts + people)
    summary = (activity.summary or "").strip().rstrip("。")
    return "。".join(t for t in (summary, text) if t) + ("。" if summary or text else "")


OUTLOOK = (
    "下一步，我们将坚持科普工作常态化，进一步扩大科研院所、科普基地向社会开放的范围，"
    "提前谋划重点活动，加强线上线下融合和宣传推广，严格经费管理，"
    "推动科技活动周成为全社会共同参与的科普品牌。"
)


def generated_prose(
    task: ReportingTask, city: CityFigures | None = None, *, include_unreported: bool = False
) -> dict[str, str]:
    """The report's prose as generated from the figures, which the organiser may edit before
    the final compilation: the overview (what was held, how many took part, against last
    year, by type) and the next steps. Which areas the totals leave out is never editable."""
    edition = task.edition
    city = city or city_figures(task, include_unreported=include_unreported)
    totals = city.totals
    previous = _previous_totals(task, include_unreported)
    counted = city.counted
    t = {key: totals.get(key, Decimal(0)) for key in SHORT_LABELS}
    sentence = (
        f"活动周期间，全市{len(counted)}个区县（功能区）共举办科普活动{_number(t['activities'])}项"
        f"、{_number(t['sessions'])}场次，现场参与{_number(t['onsite'])}人次，"
        f"线上参与{_number(t['online'])}人次；公众预约{_number(t['bookings'])}人次，"
        f"入场签到{_number(t['check_ins'])}人次；{_number(t['units_open'])}家单位向社会开放；"
        f"动员科技工作者{_number(t['st_workers'])}人次、志愿者{_number(t['volunteers'])}人次；"
        f"各类媒体报道{_number(t['media_reports'])}篇（次）。"
    )
    if previous:
        changes = [
            (label, _change(now, previous.get(key, 0) if key != "people" else before))
            for label, key, now, before in (
                ("活动数", "activities", t["activities"], None),
                (
                    "参与人次",
                    "people",
                    t["onsite"] + t["online"],
                    (previous.get("onsite") or 0) + (previous.get("online") or 0),
                ),
            )
        ]
        said = [label + text for label, text in changes if text]
        if said:
            sentence += "与上年相比，" + "，".join(said) + "。"
    paragraphs = [sentence]
    categories = [(name, n) for _code, name, n in category_breakdown(edition) if n]
    if categories:
        paragraphs.append(
            "从活动类型看，" + "，".join(f"{name}{n}项" for name, n in categories) + "。"
        )
    return {"report_overview": "\n".join(paragraphs), "report_outlook": OUTLOOK}


def write_docx(
    task: ReportingTask,
    path: Path,
    progress: Progress,
    *,
    city: CityFigures | None = None,
    version: int = 1,
    signed_on=None,
    include_unreported: bool = False,
    texts: dict | None = None,
) -> CityFigures:
    """The city's summary report in official-document layout (``officedoc``): prose from the
    figures, each counted area's own highlights and problems, key activities with a photo each,
    media coverage, safety, spend against budget, suggestions, the issuing organ and date, and
    the tables as attachments, framed by the masthead, the addressee and the closing block
    (``docframe``). ``texts`` are the prose and document settings the version was asked with
    (``texts.version_texts``); without them, the task's. Totals count accepted summaries only
    (see ``city_figures``)."""
    edition = task.edition
    city = city or city_figures(task, include_unreported=include_unreported)
    texts = texts or version_texts(task)
    totals = city.totals
    organ = edition.organizer.name
    title = f"{edition.title}总结报告"
    signed_on = signed_on or timezone.localdate()
    doc = od.new_document(title=title, author=organ)
    docframe.masthead(
        doc,
        texts.get("report_issuer_mark") or f"{organ}文件",
        number=texts.get("report_number", ""),
        signer=texts.get("report_signer", ""),
    )
    od.title(doc, f"关于{edition.title}", "开展情况的报告")
    if texts.get("report_recipient"):
        docframe.recipient(doc, texts["report_recipient"])
    basis = list(edition.basis_documents.all())
    basis_text = "、".join(f"《{b.title}》（{b.number}）" for b in basis)
    od.paragraph(
        doc,
        (f"按照{basis_text}要求，" if basis_text else "")
        + f"{_when(edition)}，{organ}以“{edition.theme}”为主题，组织开展了{edition.title}。"
        "现将有关情况报告如下：",
    )
    progress(5)

    # 一、总体情况
    od.heading(doc, "一、总体情况")
    t = {key: totals.get(key, Decimal(0)) for key in SHORT_LABELS}
    prose = generated_prose(task, city, include_unreported=include_unreported)
    for text in (texts.get("report_overview") or prose["report_overview"]).splitlines():
        if text.strip():
            od.paragraph(doc, text.strip())
    od.paragraph(doc, exclusion_note(city))
    progress(20)

    # 二、各区县（功能区）活动情况
    od.heading(doc, "二、各区县（功能区）活动情况")
    numerals = "一二三四五六七八九十"
    for index, item in enumerate([a for a in city.areas if a.counted]):
        label = numerals[index] if index < 10 else str(index + 1)
        od.heading(doc, f"（{label}）{item.area.name}", level=2)
        f = item.figures
        od.paragraph(
            doc,
            f"举办活动{_number(f.get('activities'))}项、{_number(f.get('sessions'))}场次，"
            f"现场参与{_number(f.get('onsite'))}人次，线上参与{_number(f.get('online'))}人次，"
            f"媒体报道{_number(f.get('media_reports'))}篇（次）"
            + ("（按平台活动记录统计）。" if item.basis == "records" else "。"),
        )
        summary = item.summary
        if summary is not None and item.is_accepted:
            for lead, text in (
                ("组织领导。", summary.organisation_text),
                ("亮点与创新。", summary.highlights_text),
                ("宣传报道。", summary.publicity_text),
                ("存在问题。", summary.problems_text),
            ):
                if text.strip():
                    for number, part in enumerate(text.strip().splitlines()):
                        if part.strip():
                            od.paragraph(doc, part.strip(), bold_lead=lead if number == 0 else "")
    progress(35)

    # 三、重点活动
    od.heading(doc, "三、重点活动")
    ceremony = _ceremony_figures(edition)
    if ceremony is not None:
        od.paragraph(doc, ceremony_sentence(ceremony), bold_lead=f"{ceremony.ceremony.title}。")
    # Only what the totals count: the key activities of counted areas and of the city's own
    # departments (no area), not those of an area whose summary was returned.
    key_activities = list(
        photos_module.key_activities(edition)
        .filter(Q(area__in=[a.area.pk for a in city.counted]) | Q(area__isnull=True))
        .select_related("host", "area", "category")
    )
    if not key_activities:
        od.paragraph(doc, "本届活动周未确定重点活动。")
    photos = photos_module.photos_for(task, key_activities)
    for number, activity in enumerate(key_activities, start=1):
        area = activity.area.name if activity.area else "市直部门"
        od.paragraph(
            doc,
            f"由{activity.host.name}（{area}）承办。{_activity_sentence(activity)}",
            bold_lead=f"{number}.{activity.title}。",
        )
        photo = photos.get(activity.pk)
        if photo is not None:
            try:
                with photo.file.open("rb") as handle:
                    od.picture(doc, handle.read(), photo.title or activity.title)
            except (OSError, ValueError):
                pass  # a missing or unreadable file leaves the activity without its photo
    progress(55)

    # 四、宣传报道
    od.heading(doc, "四、宣传报道")
    # The coverage of the areas the totals count, as the figure in 一、 does.
    coverage = MediaCoverage.objects.filter(
        activity__edition=edition,
        activity__state__in=PUBLIC_STATES,
        activity__area__in=[a.area.pk for a in city.counted],
    )
    outlets = list(coverage.values("outlet").annotate(n=Count("id")).order_by("-n", "outlet")[:8])
    total_coverage = coverage.count()
    if total_coverage:
        od.paragraph(
            doc,
            f"活动周期间，平台记录计入全市合计的区县（功能区）各类媒体报道{total_coverage}篇（次），其中"
            + "，".join(f"{o['outlet']}{o['n']}篇" for o in outlets)
            + "。",
        )
    else:
        od.paragraph(doc, "平台未记录媒体报道。")
    progress(65)

    # 五、安全工作
    od.heading(doc, "五、安全工作")
    # The rule's SQL form picks the candidates, so only they are read with their sessions.
    candidates = filter_activities(_public_activities(edition), ActivityFilters(is_large=True))
    large = [a for a in candidates.iterator(chunk_size=500) if is_large_event(a)]
    if large:
        with_plans = [a for a in large if _has_plans(a)]
        with_permit = [a for a in large if a.police_permit_number]
        od.paragraph(
            doc,
            f"全市单场预计参与1000人以上的大型群众性活动{len(large)}项，"
            f"{len(with_plans)}项上传了安全工作方案和应急预案，"
            f"{len(with_permit)}项登记了公安机关许可证号。",
        )
        for a in large:
            plans = (
                "已制定安全工作方案和应急预案" if _has_plans(a) else "未上传安全工作方案或应急预案"
            )
            permit = (
                f"公安机关许可证号{a.police_permit_number}"
                if a.police_permit_number
                else "未登记公安机关许可证号"
            )
            officer = a.safety_officer_name or "未填写"
            od.paragraph(
                doc, f"{a.title}（{a.host.name}）：{plans}，{permit}，安全责任人{officer}。"
            )
    else:
        od.paragraph(doc, "本届活动周无单场1000人以上的大型群众性活动。")
    progress(72)

    # 六、经费使用
    od.heading(doc, "六、经费使用")
    participants = t["onsite"] + t["online"]
    od.paragraph(
        doc,
        f"全市活动经费预算{_number(t['budget'])}元，实际投入{_number(t['funds'])}元，"
        f"为预算的{_share(t['funds'], t['budget'])}；"
        f"按参与人次计，人均投入{_per_head(t['funds'], participants)}元。"
        "各区县（功能区）经费情况见附件2。",
    )
    progress(78)

    # 七、存在问题和下一步打算
    od.heading(doc, "七、存在问题和下一步打算")
    problems = [
        (a.area.name, a.summary.problems_text.strip())
        for a in city.areas
        if a.is_accepted and a.summary and a.summary.problems_text.strip()
    ]
    if problems:
        od.paragraph(
            doc,
            "各区县（功能区）反映的主要问题："
            + "；".join(f"{n}：{p.rstrip('。')}" for n, p in problems)
            + "。",
        )
    for text in (texts.get("report_outlook") or prose["report_outlook"]).splitlines():
        if text.strip():
            od.paragraph(doc, text.strip())
    # 附件说明
    attachments = [
        "各区县（功能区）活动情况统计表",
        "各区县（功能区）经费和资源统计表",
        "各区县（功能区）总结报送情况",
    ]
    if ceremony is not None:
        attachments.append(CEREMONY_ATTACHMENT)
    # The last body line, the attachments' list and the signature stay on one page.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph().paragraph_format.keep_with_next = True
    for index, name in enumerate(attachments, start=1):
        p = doc.add_paragraph(f"附件：{index}.{name}" if index == 1 else f"{index}.{name}")
        p.paragraph_format.keep_with_next = True
        if index > 1:
            p.paragraph_format.first_line_indent = od.SIZE_3 * 5
    od.signature(doc, organ, _chinese_date(signed_on))
    progress(85)

    # 附件
    for index, (name, keys) in enumerate(
        [(attachments[0], TABLE_PARTICIPATION), (attachments[1], TABLE_RESOURCES)], start=1
    ):
        od.page_break(doc)
        od.attachment_heading(doc, index, name)
        _area_table(doc, city, keys)
        od.table_note(doc, "注：" + exclusion_note(city) + "带*者未计入合计。")
    od.page_break(doc)
    od.attachment_heading(doc, 3, attachments[2])
    rows = []
    for item in city.areas:
        s = item.summary
        rows.append([
            _area_label(item.area),
            str(s.get_state_display()) if s else "未开始",
            f"{timezone.localtime(s.submitted_at):%Y-%m-%d}" if s and s.submitted_at else "—",
            "逾期" if s and s.is_late else "—",
            "计入" if item.counted else "未计入",
        ])  # fmt: skip
    od.table(
        doc,
        [
            od.Column("区县（功能区）"),
            od.Column("状态"),
            od.Column("报送日期"),
            od.Column("是否逾期"),
            od.Column("是否计入合计"),
        ],
        rows,
    )
    od.table_note(
        doc,
        f"第{version}版，编制于{_chinese_date(signed_on)}；数据指纹（SHA-256）：{city.digest()}",
    )
    if ceremony is not None:
        od.page_break(doc)
        od.attachment_heading(doc, 4, CEREMONY_ATTACHMENT)
        _ceremony_tables(doc, ceremony)
    docframe.closing_block(
        doc,
        copy_to=texts.get("report_copy_to", ""),
        printer=texts.get("report_printer") or organ,
        printed_on=_chinese_date(printed_on(texts) or signed_on),
    )
    doc.core_properties.revision = version
    doc.core_properties.subject = city.digest()
    od.finish(doc)
    doc.save(path)
    progress(100)
    return city


def _per_head(amount, people) -> str:
    if not people:
        return "—"
    return f"{float(amount) / float(people):,.2f}"


def _public_activities(edition):
    return (
        Activity.objects.filter(edition=edition, state__in=PUBLIC_STATES)
        .select_related("host")
        .prefetch_related("sessions", "documents")
        .order_by("area__path", "id")
    )


def _has_plans(activity) -> bool:
    kinds = {d.kind for d in activity.documents.all()}
    return {DocumentKind.SAFETY_PLAN, DocumentKind.EMERGENCY_PLAN} <= kinds


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FONT = Font(bold=True)
INTEGER, MONEY = "#,##0", "#,##0.00"


class _Sheet:
    """A write-only sheet with its column widths, a bold frozen header, number formats per
    column and a bold totals row. A column's styled cell is made once and written again for
    every row (openpyxl writes a row's cells as they are appended), so 10,000 rows cost no
    10,000 style objects."""

    def __init__(self, workbook, title: str, columns: list[tuple[str, float, str | None]]):
        self.sheet = workbook.create_sheet(title)
        self.formats = [fmt for _header, _width, fmt in columns]
        for index, (_header, width, _fmt) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        header = []
        for name, _width, _fmt in columns:
            cell = WriteOnlyCell(self.sheet, value=name)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        self.sheet.append(header)
        self.styled = [self._cell(fmt) if fmt else None for fmt in self.formats]
        self.fast = FastRows(self.sheet, [c.style_id if c else None for c in self.styled])

    def _cell(self, fmt: str | None, *, bold: bool = False):
        cell = WriteOnlyCell(self.sheet)
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = TOTAL_FONT
        return cell

    def append(self, values, *, bold: bool = False) -> None:
        if not bold and self.fast.fits(values):
            self.sheet.append(PlainRow(values))
            return
        row = []
        for value, fmt, styled in zip(values, self.formats, self.styled, strict=False):
            if styled is None and not bold:
                row.append(value)
                continue
            cell = self._cell(fmt, bold=True) if bold else styled
            cell.value = value
            row.append(cell)
        self.sheet.append(row)


def _decimal(value):
    return float(value) if value is not None else None


def write_xlsx(
    task: ReportingTask,
    path: Path,
    progress: Progress,
    *,
    city: CityFigures | None = None,
    include_unreported: bool = False,
    version: int = 1,
) -> CityFigures:
    """The workbook: city totals, areas, spend, activities, categories, media, and the sources
    (every figure with the records it counts, and the ledger of those records) so that anyone
    can recount each figure."""
    edition = task.edition
    city = city or city_figures(task, include_unreported=include_unreported)
    workbook = Workbook(write_only=True)
    labels = [(key, str(label), str(source)) for key, label, source in FIXED_FIGURES]
    note = exclusion_note(city)

    sheet = _Sheet(
        workbook, "全市合计", [("指标", 24, None), ("全市合计", 16, INTEGER), ("来源", 60, None)]
    )
    for key, label, source in labels:
        sheet.append([label, _decimal(city.totals.get(key, 0)), source])
    sheet.append(["说明", None, note])
    sheet.append(["版本", version, f"数据指纹（SHA-256）：{city.digest()}"])
    progress(10)

    figure_columns = [
        (label, 14, MONEY if key in ("budget", "funds") else INTEGER) for key, label, _s in labels
    ]
    sheet = _Sheet(
        workbook,
        "区县",
        [
            ("区县", 26, None),
            ("状态", 10, None),
            ("是否逾期", 10, None),
            ("是否计入合计", 14, None),
            *figure_columns,
        ],
    )
    for item in city.areas:
        s = item.summary
        sheet.append([
            neutralise(item.area.name), str(s.get_state_display()) if s else "未开始",
            "逾期" if s and s.is_late else "", _basis_label(item),
            *[_decimal(item.figures.get(key)) if item.counted else None for key, _l, _s in labels],
        ])  # fmt: skip
    sheet.append(
        ["合计", "", "", "", *[_decimal(city.totals.get(key, 0)) for key, _l, _s in labels]],
        bold=True,
    )
    progress(20)

    sheet = _Sheet(
        workbook,
        "经费",
        [("区县", 26, None), ("预算（元）", 16, MONEY), ("实际投入（元）", 16, MONEY),
         ("执行率", 10, "0.0%"), ("参与人次", 14, INTEGER), ("人均投入（元）", 16, MONEY)],
    )  # fmt: skip
    for item in [*city.counted, None]:
        f = city.totals if item is None else item.figures
        budget, spend = f.get("budget", Decimal(0)), f.get("funds", Decimal(0))
        people = f.get("onsite", Decimal(0)) + f.get("online", Decimal(0))
        sheet.append(
            [
                "合计" if item is None else neutralise(item.area.name),
                float(budget),
                float(spend),
                float(spend / budget) if budget else None,
                float(people),
                float(spend / people) if people else None,
            ],
            bold=item is None,
        )
    progress(25)

    sheet = _Sheet(
        workbook,
        "活动",
        [("编号", 8, None), ("活动名称", 40, None), ("区县", 16, None), ("承办单位", 30, None),
         ("活动类型", 14, None), ("形式", 8, None), ("状态", 10, None), ("场次", 8, INTEGER),
         ("现场参与", 12, INTEGER), ("线上参与", 12, INTEGER), ("科技工作者", 12, INTEGER),
         ("志愿者", 10, INTEGER), ("预算（元）", 14, MONEY), ("实际投入（元）", 14, MONEY),
         ("重点活动", 10, None)],
    )  # fmt: skip
    # Plain rows and the choices' labels translated once: building a model and calling
    # get_*_display() for each of 10,000 rows was a third of the workbook's time.
    modes = {value: str(label) for value, label in Mode.choices}
    states = {value: str(label) for value, label in ActivityState.choices}
    activities = (
        Activity.objects.filter(edition=edition, state__in=PUBLIC_STATES)
        .annotate(session_count=Count("sessions"))
        .order_by("id")
        .values_list(
            "pk", "title", "area__name", "host__name", "category__name", "mode", "state",
            "session_count", "onsite_participants", "online_participants", "st_workers",
            "volunteers", "budget", "actual_cost", "is_key",
        )
    )  # fmt: skip
    activity_count = activities.count()
    total = activity_count or 1
    sums = [0] * 7
    for index, row in enumerate(activities.iterator(chunk_size=2000), start=1):
        pk, title, area, host, category, mode, state, *numbers, is_key = row
        numbers = [_decimal(n) if isinstance(n, Decimal) else n for n in numbers]
        sums = [a + (b or 0) for a, b in zip(sums, numbers, strict=True)]
        sheet.append([
            pk, neutralise(title), neutralise(area or ""), neutralise(host), neutralise(category),
            modes.get(mode, mode), states.get(state, state), *numbers, "是" if is_key else "",
        ])  # fmt: skip
        if index % 2000 == 0:
            progress(min(55, 25 + 30 * index // total))
    sheet.append(["合计", f"{activity_count}项", "", "", "", "", "", *sums, ""], bold=True)
    progress(55)

    sheet = _Sheet(workbook, "活动类型", [("活动类型", 24, None), ("活动数", 12, INTEGER)])
    breakdown = category_breakdown(edition)
    for _code, name, count in breakdown:
        sheet.append([neutralise(name), count])
    sheet.append(["合计", sum(n for _c, _n, n in breakdown)], bold=True)
    progress(60)

    sheet = _Sheet(
        workbook,
        "媒体报道",
        [
            ("日期", 12, "yyyy-mm-dd"),
            ("媒体", 20, None),
            ("标题", 50, None),
            ("链接", 40, None),
            ("活动", 40, None),
        ],
    )
    coverage = MediaCoverage.objects.filter(
        Q(activity__edition=edition) & Q(activity__state__in=PUBLIC_STATES)
    ).select_related("activity")
    count = 0
    for item in coverage.order_by("published_on", "id").iterator(chunk_size=2000):
        count += 1
        sheet.append([
            item.published_on, neutralise(item.outlet), neutralise(item.title),
            neutralise(item.url), neutralise(item.activity.title),
        ])  # fmt: skip
    sheet.append(["合计", f"{count}篇", "", "", ""], bold=True)
    progress(70)

    ceremony = _ceremony_figures(edition)
    if ceremony is not None:
        _ceremony_sheets(workbook, ceremony)
    _write_sources(workbook, task, city, labels)
    workbook.save(path)
    progress(100)
    return city


# --- the launch ceremony and the achievements exhibition ------------------------------------

CEREMONY_ATTACHMENT = "启动仪式嘉宾和科技创新成果展展品统计表"


def _ceremony_figures(edition):
    # The report is a Chinese official document whatever the language of who compiles it.
    with translation.override("zh-hans"):
        return ceremony_statistics(edition)


def ceremony_sentence(figures) -> str:
    """The ceremony in one paragraph of the report: guests, exhibits, the public's visit."""
    invited = figures.total("guests", "invited")
    attending = figures.total("guests", "attending")
    arrived = figures.total("guests", "arrived")
    present = [r for r in figures.guests if r.counts["arrived"]]
    submitted = figures.total("exhibits_by_strategy", "submitted")
    selected = figures.total("exhibits_by_strategy", "selected")
    parts = [
        f"邀请嘉宾{invited}人，确认出席{attending}人，实际到场{arrived}人"
        + (
            "（" + "、".join(f"{r.label}{r.counts['arrived']}人" for r in present) + "）"
            if present
            else ""
        ),
        f"各区县（功能区）和市直部门申报科技创新成果展品{submitted}件，入选{selected}件"
        + (
            "，其中"
            + "、".join(
                f"服务{r.label}{r.counts['selected']}件"
                for r in figures.exhibits_by_strategy
                if r.counts["selected"]
            )
            if selected
            else ""
        ),
    ]
    if figures.visitors:
        parts.append(
            f"公众预约参观{figures.visitors['booked']}人次，"
            f"现场签到{figures.visitors['checked_in']}人次"
        )
    return "；".join(parts) + "。"


def _ceremony_rows(rows, keys) -> list[list[str]]:
    body = [[row.label, *[_number(row.counts[k]) for k in keys]] for row in rows]
    totals = [_number(sum(row.counts[k] for row in rows)) for k in keys]
    return [*body, ["合计", *totals]]


def _ceremony_tables(doc, figures) -> None:
    guest_keys, exhibit_keys = ("invited", "attending", "arrived"), ("submitted", "selected")
    od.table(
        doc,
        [od.Column("嘉宾类别"), od.Column("邀请", True), od.Column("确认出席", True),
         od.Column("到场", True)],
        _ceremony_rows(figures.guests, guest_keys), total_row=True,
    )  # fmt: skip
    od.table_note(doc, "注：确认出席含委派代表出席。")
    for header, rows in (
        ("申报单位", figures.exhibits_by_area),
        ("服务战略", figures.exhibits_by_strategy),
    ):
        od.table(
            doc,
            [od.Column(header), od.Column("申报展品", True), od.Column("入选展品", True)],
            _ceremony_rows(rows, exhibit_keys),
            total_row=True,
        )
    if figures.visitors:
        od.table_note(
            doc,
            f"公众预约参观{figures.visitors['booked']}人次，"
            f"现场签到{figures.visitors['checked_in']}人次。",
        )


def _ceremony_sheets(workbook, figures) -> None:
    sheet = _Sheet(
        workbook, "启动仪式嘉宾",
        [("嘉宾类别", 24, None), ("邀请", 10, INTEGER), ("确认出席", 10, INTEGER),
         ("到场", 10, INTEGER)],
    )  # fmt: skip
    keys = ("invited", "attending", "arrived")
    for row in figures.guests:
        sheet.append([row.label, *[row.counts[k] for k in keys]])
    sheet.append(["合计", *[figures.total("guests", k) for k in keys]], bold=True)
    if figures.visitors:
        sheet.append(["公众预约参观（人次）", figures.visitors["booked"]])
        sheet.append(["公众现场签到（人次）", figures.visitors["checked_in"]])
    sheet = _Sheet(
        workbook, "成果展展品",
        [("申报单位或服务战略", 40, None), ("申报展品", 10, INTEGER), ("入选展品", 10, INTEGER)],
    )  # fmt: skip
    for rows in (figures.exhibits_by_area, figures.exhibits_by_strategy):
        for row in rows:
            sheet.append([neutralise(row.label), row.counts["submitted"], row.counts["selected"]])
        sheet.append(
            ["合计", sum(r.counts["submitted"] for r in rows),
             sum(r.counts["selected"] for r in rows)],
            bold=True,
        )  # fmt: skip


def _basis_label(item: AreaFigures) -> str:
    return {"summary": "计入", "records": "按平台记录计入"}.get(item.basis, "未计入")


def _write_sources(workbook, task, city: CityFigures, labels) -> None:
    """ "指标来源": for every area and figure, the value counted, the platform's count, what the
    area changed and why, and the records counted (activity ids and titles); "来源明细": each of
    those activities with its sessions, bookings, check-ins and results, so a figure is the sum
    (or count) of its area's rows in the column named on the first sheet."""
    ledger = activity_ledger(task.edition, [a.area for a in city.areas])
    by_area: dict[int, list] = {}
    for row in ledger:
        by_area.setdefault(row.area_id, []).append(row)
    categories = {c.code: c.name for c in task.edition.categories.all()}
    column_names = {
        "count": "行数",
        "open_day_hosts": "开放日活动的承办单位（去重）",
        **LEDGER_HEADERS,
    }
    sheet = _Sheet(
        workbook,
        "指标来源",
        [("区县", 22, None), ("指标", 22, None), ("报告采用", 14, INTEGER), ("平台统计", 14, INTEGER),
         ("区县填报", 14, INTEGER), ("修改说明", 30, None), ("是否计入合计", 14, None),
         ("计数方法（见“来源明细”）", 34, None), ("记录数", 10, INTEGER),
         ("记录（活动编号：名称）", 80, None)],
    )  # fmt: skip
    for item in city.areas:
        rows = by_area.get(item.area.pk, [])
        figures = {f.key: f for f in item.summary.figures.all()} if item.summary else {}
        keys = [k for k, _l, _s in labels] + sorted(
            k for k in figures if k.startswith("activities.")
        )
        label_of = {k: label for k, label, _s in labels}
        for key in keys:
            figure = figures.get(key)
            label = label_of.get(key) or f"活动数：{categories.get(key.split('.', 1)[1], key)}"
            records = records_of(rows, key)
            method = f"“{LEDGER_COLUMNS_LABEL(key, column_names)}”" + (
                "按类型计数" if key.startswith("activities.") else ""
            )
            sheet.append([
                neutralise(item.area.name), label,
                _decimal(item.figures.get(key)) if item.counted else None,
                _decimal(recount(rows, key)),
                _decimal(figure.value) if figure is not None and figure.value is not None else None,
                neutralise(figure.note) if figure is not None else "",
                _basis_label(item), method, len(records),
                neutralise("；".join(f"{r.pk}：{r.title}" for r in records[:500])
                           + ("……" if len(records) > 500 else "")),
            ])  # fmt: skip
    sheet = _Sheet(
        workbook,
        "来源明细",
        [("区县", 18, None), ("活动编号", 10, None), ("活动名称", 40, None), ("承办单位", 28, None),
         ("活动类型", 12, None), ("状态", 10, None),
         *[(name, 12, MONEY if key in ("budget", "spend") else INTEGER)
           for key, name in LEDGER_HEADERS.items()],
         ("现场参与取自签到", 12, None), ("场次编号", 30, None)],
    )  # fmt: skip
    states = {value: str(label) for value, label in ActivityState.choices}
    for r in ledger:
        sheet.append([
            neutralise(r.area), r.pk, neutralise(r.title), neutralise(r.host),
            neutralise(r.category), states.get(r.state, r.state),
            *[_decimal(getattr(r, key)) if isinstance(getattr(r, key), Decimal) else getattr(r, key)
              for key in LEDGER_HEADERS],
            "是" if r.onsite_from_gate else "", ",".join(str(i) for i in r.session_ids),
        ])  # fmt: skip


LEDGER_HEADERS = {
    "sessions": "场次",
    "bookings": "预约人次",
    "check_ins": "签到人次",
    "onsite": "现场参与",
    "online": "线上参与",
    "st_workers": "科技工作者",
    "volunteers": "志愿者",
    "media_reports": "媒体报道",
    "budget": "预算（元）",
    "spend": "实际投入（元）",
}


def LEDGER_COLUMNS_LABEL(key: str, names: dict) -> str:
    if key.startswith("activities."):
        return "活动类型"
    return names[LEDGER_COLUMNS[key]]


def write_upward(
    task: ReportingTask,
    path: Path,
    progress: Progress,
    *,
    city: CityFigures | None = None,
    include_unreported: bool = False,
    version: int = 1,
) -> CityFigures:
    """The upward filing: the activity list in the layout the province and the national week
    collect, and the figures mapped to the national science-popularisation statistics survey
    (全国科普统计调查) indicators, each with the note of where it comes from."""
    edition = task.edition
    city = city or city_figures(task, include_unreported=include_unreported)
    workbook = Workbook(write_only=True)
    sheet = _Sheet(
        workbook,
        "活动清单",
        [("序号", 6, None), ("活动名称", 40, None), ("主办（承办）单位", 30, None), ("区县", 16, None),
         ("开始时间", 17, "yyyy-mm-dd hh:mm"), ("结束时间", 17, "yyyy-mm-dd hh:mm"),
         ("活动地点", 30, None), ("活动类型", 14, None), ("面向对象", 20, None),
         ("参与人数", 12, INTEGER), ("线上/线下", 10, None)],
    )  # fmt: skip
    modes = {value: str(label) for value, label in Mode.choices}
    public = Activity.objects.filter(edition=edition, state__in=PUBLIC_STATES)
    # Plain rows, with the sessions' first start and last end counted by the database and the
    # audiences read in one query: no model or prefetched list per activity.
    audiences = {
        value: str(label) for value, label in AudienceTag._meta.get_field("audience").choices
    }
    audience_of: dict[int, list[str]] = {}
    tags = AudienceTag.objects.filter(activity__in=public).order_by("activity_id", "id")
    for activity_id, audience in tags.values_list("activity_id", "audience").iterator(
        chunk_size=5000
    ):
        audience_of.setdefault(activity_id, []).append(audiences.get(audience, audience))
    rows = (
        public.annotate(starts=Min("sessions__starts_at"), ends=Max("sessions__ends_at"))
        .order_by("area__path", "id")
        .values_list(
            "pk", "title", "host__name", "area__name", "starts", "ends", "venue_name",
            "address", "category__name", "onsite_participants", "online_participants", "mode",
        )
    )  # fmt: skip
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        pk, title, host, area, start, end, venue, address, category, onsite, online, mode = row
        sheet.append([
            number, neutralise(title), neutralise(host), neutralise(area or "市直部门"),
            timezone.localtime(start).replace(tzinfo=None) if start else None,
            timezone.localtime(end).replace(tzinfo=None) if end else None,
            neutralise(" ".join(x for x in (venue, address) if x)), neutralise(category),
            "、".join(audience_of.get(pk, ())), (onsite or 0) + (online or 0),
            modes.get(mode, mode),
        ])  # fmt: skip
    progress(60)
    sheet = _Sheet(
        workbook,
        "科普统计指标",
        [("指标", 40, None), ("数值", 14, INTEGER), ("计量单位", 10, None), ("来源", 60, None)],
    )
    for label, value, unit, source in survey_indicators(task, city):
        sheet.append([label, _decimal(value), unit, source])
    sheet.append(["说明", None, "", exclusion_note(city)])
    workbook.save(path)
    progress(100)
    return city


def survey_indicators(
    task: ReportingTask, city: CityFigures
) -> list[tuple[str, Decimal, str, str]]:
    """(indicator, value, unit, which figure fills it) for the national survey's indicators the
    week feeds. Totals come from the counted summaries; the per-category ones from the records
    of the counted areas."""
    t = city.totals
    ledger = activity_ledger(task.edition, [a.area for a in city.counted])

    def by_category(*codes):
        rows = [r for r in ledger if r.category_code in codes]
        return Decimal(len(rows)), Decimal(sum(r.onsite + r.online for r in rows))

    lectures, lecture_people = by_category("lecture")
    exhibitions, exhibition_people = by_category("exhibition", "scientist_spirit")
    contests, contest_people = by_category("contest")
    _open, open_people = by_category("open_day")
    records = "计入合计区县的平台活动记录"
    return [
        ("科技活动周：科普专题活动次数", t.get("activities", Decimal(0)), "次", "举办活动数（全市合计）"),
        ("科技活动周：参加人次", t.get("onsite", Decimal(0)) + t.get("online", Decimal(0)), "人次", "现场参与人次＋线上参与人次（全市合计）"),
        ("科研机构和大学向社会开放：开放单位个数", t.get("units_open", Decimal(0)), "个", "向社会开放的单位（全市合计）"),
        ("科研机构和大学向社会开放：参观人次", open_people, "人次", f"开放日活动的参与人次（{records}）"),
        ("科普（技）讲座：举办次数", lectures, "次", f"讲座类活动数（{records}）"),
        ("科普（技）讲座：参加人次", lecture_people, "人次", f"讲座类活动的参与人次（{records}）"),
        ("科普（技）专题展览：展览次数", exhibitions, "次", f"展览、科学家精神展类活动数（{records}）"),
        ("科普（技）专题展览：参观人次", exhibition_people, "人次", f"展览类活动的参与人次（{records}）"),
        ("科普（技）竞赛：举办次数", contests, "次", f"竞赛类活动数（{records}）"),
        ("科普（技）竞赛：参加人次", contest_people, "人次", f"竞赛类活动的参与人次（{records}）"),
        ("科普经费：科普活动支出", t.get("funds", Decimal(0)), "元", "经费投入（全市合计，活动实际支出）"),
    ]  # fmt: skip


def write_zip(task: ReportingTask, path: Path, progress: Progress, area=None) -> None:
    """Every file of the areas' summaries, as ``<area>/<kind>/<name>``; copied in chunks."""
    summaries = (
        task.summaries.select_related("area").prefetch_related("files").order_by("area__path")
    )
    if area is not None:
        summaries = summaries.filter(area=area)
    files = [(s.area.name, f) for s in summaries for f in s.files.all()]
    used: set[str] = set()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for index, (area_name, item) in enumerate(files, start=1):
            name = f"{area_name}/{item.get_kind_display()}/{item.original_name}"
            stem, dot, ext = name.rpartition(".")
            counter = 2
            while name in used:
                name = f"{stem}-{counter}{dot}{ext}"
                counter += 1
            used.add(name)
            with archive.open(name, "w", force_zip64=True) as target:
                for chunk in read_chunks(item.file):
                    target.write(chunk)
            progress(100 * index // max(len(files), 1))
    progress(100)


def temp_path(suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115 - moved into storage later
    handle.close()
    return Path(handle.name)
