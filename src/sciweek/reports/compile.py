"""The city's compiled outputs: the summary (docx), the workbook (xlsx) and archives of the
areas' materials (zip). Each writes to a temporary file in bounded memory, reporting progress,
then moves the file into private storage."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.db.models import Count, Q
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from sciweek.activities.enums import ActivityState, Mode
from sciweek.activities.models import Activity, MediaCoverage
from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.common.exports import neutralise

from .figures import FIXED_FIGURES
from .models import AreaSummary, ReportingTask
from .statistics import category_breakdown

Progress = Callable[[int], None]
TABLE_KEYS = [
    "activities",
    "sessions",
    "bookings",
    "check_ins",
    "onsite",
    "online",
    "units_open",
    "media_reports",
    "funds",
]


def _reported(summary: AreaSummary | None) -> dict[str, object]:
    if summary is None:
        return {}
    return {f.key: f.reported for f in summary.figures.all()}


def _number(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{value:,.0f}" if float(value) == int(value) else f"{value:,.2f}"
    except (TypeError, ValueError):
        return str(value)


def _bullet(doc, style_id: str, text: str) -> None:
    """A "List Bullet" paragraph. ``add_paragraph(text, style=...)`` resolves the style on every
    call by scanning all the document's styles (about 1.5 ms a paragraph: 80% of the summary's
    time with thousands of key activities and media reports); the id is resolved once instead."""
    doc.add_paragraph(text)._p.style = style_id


def _summaries(task: ReportingTask) -> dict[int, AreaSummary]:
    return {s.area_id: s for s in task.summaries.select_related("area").prefetch_related("figures")}


def write_docx(task: ReportingTask, path: Path, progress: Progress) -> None:
    edition = task.edition
    labels = {key: str(label) for key, label, _source in FIXED_FIGURES}
    summaries = _summaries(task)
    areas = list(task.areas.order_by("path"))
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    doc.add_heading(f"{edition.title}总结报告", level=0)
    doc.add_paragraph(f"主题：{edition.theme}")
    doc.add_paragraph(f"时间：{edition.start_date:%Y年%-m月%-d日}—{edition.end_date:%-m月%-d日}")
    bullet = doc.styles["List Bullet"].style_id
    for basis in edition.basis_documents.all():
        _bullet(doc, bullet, f"依据：《{basis.title}》（{basis.number}）")
    progress(10)

    doc.add_heading("一、总体情况", level=1)
    totals: dict[str, float] = dict.fromkeys(TABLE_KEYS, 0)
    for summary in summaries.values():
        for key, value in _reported(summary).items():
            if key in totals:
                totals[key] += float(value or 0)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "指标", "全市合计"
    for key in TABLE_KEYS:
        row = table.add_row().cells
        row[0].text, row[1].text = labels[key], _number(totals[key])
    progress(30)

    doc.add_heading("二、各区县情况", level=1)
    table = doc.add_table(rows=1, cols=len(TABLE_KEYS) + 1)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = "区县"
    for i, key in enumerate(TABLE_KEYS, start=1):
        header[i].text = labels[key]
    for area in areas:
        figures = _reported(summaries.get(area.pk))
        row = table.add_row().cells
        row[0].text = area.name
        for i, key in enumerate(TABLE_KEYS, start=1):
            row[i].text = _number(figures.get(key))
    progress(50)

    doc.add_heading("三、按活动类型", level=1)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "活动类型", "活动数"
    for _code, name, count in category_breakdown(edition):
        row = table.add_row().cells
        row[0].text, row[1].text = name, str(count)
    progress(60)

    doc.add_heading("四、重点活动", level=1)
    key_activities = (
        Activity.objects.filter(edition=edition, state__in=PUBLIC_STATES, is_key=True)
        .select_related("host", "area")
        .order_by("area__path", "id")
    )
    for activity in key_activities.iterator(chunk_size=500):
        area = activity.area.name if activity.area else "市直"
        _bullet(doc, bullet, f"{activity.title}（{area}，{activity.host.name}）")
    progress(70)

    doc.add_heading("五、媒体报道", level=1)
    coverage = (
        MediaCoverage.objects.filter(activity__edition=edition, activity__state__in=PUBLIC_STATES)
        .select_related("activity")
        .order_by("published_on", "id")
    )
    for item in coverage.iterator(chunk_size=500):
        _bullet(doc, bullet, f"{item.published_on:%Y-%m-%d} {item.outlet}：{item.title}")
    progress(85)

    doc.add_heading("六、各区县报送情况", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["区县", "状态", "报送时间", "是否逾期"], strict=True
    ):
        cell.text = text
    for area in areas:
        summary = summaries.get(area.pk)
        row = table.add_row().cells
        row[0].text = area.name
        row[1].text = str(summary.get_state_display()) if summary else "未开始"
        row[2].text = (
            f"{timezone.localtime(summary.submitted_at):%Y-%m-%d %H:%M}"
            if summary and summary.submitted_at
            else "—"
        )
        row[3].text = "逾期" if summary and summary.is_late else "—"
    doc.save(path)
    progress(100)


def write_xlsx(task: ReportingTask, path: Path, progress: Progress) -> None:
    edition = task.edition
    workbook = Workbook(write_only=True)

    sheet = workbook.create_sheet("活动")
    sheet.append(
        [
            "编号",
            "活动名称",
            "区县",
            "承办单位",
            "活动类型",
            "形式",
            "状态",
            "场次",
            "现场参与",
            "线上参与",
            "科技工作者",
            "志愿者",
            "重点活动",
        ]
    )
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
            "volunteers", "is_key",
        )
    )  # fmt: skip
    total = activities.count() or 1
    for index, row in enumerate(activities.iterator(chunk_size=2000), start=1):
        pk, title, area, host, category, mode, state, sessions, *results, is_key = row
        sheet.append([
            pk, neutralise(title), neutralise(area or ""), neutralise(host), neutralise(category),
            modes.get(mode, mode), states.get(state, state), sessions, *results, "是" if is_key else "",
        ])  # fmt: skip
        if index % 2000 == 0:
            progress(min(70, 70 * index // total))
    progress(70)

    labels = [(key, str(label)) for key, label, _source in FIXED_FIGURES]
    sheet = workbook.create_sheet("区县")
    sheet.append(["区县", "状态", "是否逾期", *[label for _key, label in labels]])
    summaries = _summaries(task)
    for area in task.areas.order_by("path"):
        summary = summaries.get(area.pk)
        figures = _reported(summary)
        sheet.append([
            neutralise(area.name), str(summary.get_state_display()) if summary else "未开始",
            "逾期" if summary and summary.is_late else "",
            *[float(figures[key]) if key in figures else None for key, _label in labels],
        ])  # fmt: skip
    progress(80)

    sheet = workbook.create_sheet("活动类型")
    sheet.append(["活动类型", "活动数"])
    for _code, name, count in category_breakdown(edition):
        sheet.append([neutralise(name), count])
    progress(90)

    sheet = workbook.create_sheet("媒体报道")
    sheet.append(["日期", "媒体", "标题", "链接", "活动"])
    coverage = MediaCoverage.objects.filter(
        Q(activity__edition=edition) & Q(activity__state__in=PUBLIC_STATES)
    ).select_related("activity")
    for item in coverage.order_by("published_on", "id").iterator(chunk_size=2000):
        sheet.append(
            [
                item.published_on,
                neutralise(item.outlet),
                neutralise(item.title),
                neutralise(item.url),
                neutralise(item.activity.title),
            ]
        )
    workbook.save(path)
    progress(100)


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
            with (
                item.file.open("rb") as source,
                archive.open(name, "w", force_zip64=True) as target,
            ):
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
            progress(100 * index // max(len(files), 1))
    progress(100)


def temp_path(suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115 - moved into storage later
    handle.close()
    return Path(handle.name)
