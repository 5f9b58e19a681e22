"""Exporting activity lists to xlsx: the filing-form layout (备案表) and the full layout.

Memory stays bounded whatever the number of rows: the queryset is read in chunks (prefetches
included) and written to a write-only workbook that openpyxl streams to a temporary file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sciweek.common.exports import neutralise
from sciweek.organizations.models import Organization

from ..checks import is_large_event
from ..models import Activity, MediaCoverage
from ..selectors import with_list_joins
from .columns import AUDIENCE_NAMES, MODE_NAMES, NO, STATE_NAMES, YES

CHUNK_SIZE = 500
# Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, that some
# programs strip before doing so). OWASP "CSV injection".

FILING_HEADERS = [
    "序号", "活动名称", "主办单位", "承办单位", "活动时间", "活动地点", "活动类型", "线上/线下",
    "面向对象", "预计参与人数", "联系人", "联系电话", "所属区县", "状态",
]  # fmt: skip
FILING_WIDTHS = [6, 30, 24, 24, 30, 30, 14, 10, 20, 12, 10, 16, 12, 10]

FULL_HEADERS = [
    "序号", "编号", "年度", "活动名称", "活动简介", "活动详情", "活动类型", "主要内容",
    "线上/线下", "面向对象", "承办单位", "主办单位", "所属区县", "活动地点", "详细地址", "纬度",
    "经度", "直播链接", "经费预算（元）", "负责人", "联系人", "联系电话", "重点活动",
    "常态化活动", "是否需预约", "实名预约", "需身份证号", "单次预约最多人数", "预计参与人数",
    "场次数", "活动时间", "首场开始", "末场结束", "总容量", "最大单场人数", "大型群众性活动",
    "公安许可文号", "许可机关", "安全责任人", "安全责任人电话", "保密自查", "状态", "首次提交时间",
    "发布时间", "现场参与人数", "线上参与人数", "参与科技工作者", "志愿者", "媒体报道数",
    "创建时间", "最后修改时间",
]  # fmt: skip
LAYOUTS = ("filing", "full")


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes(flag: bool) -> str:
    return YES if flag else NO


def _sessions_text(sessions) -> str:
    parts = []
    for s in sessions:
        start, end = timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)
        tail = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
        parts.append(f"{start:%Y-%m-%d %H:%M}—{tail}")
    return "；".join(parts)


def _organisers(activity) -> str:
    """主办单位: the co-hosts (on the platform and not); an activity without any is organised by
    its host unit alone, which is then both 主办 and 承办."""
    names = [o.name for o in activity.co_hosts.all()]
    names += [n.strip() for n in activity.co_host_names.replace("，", ",").split(",") if n.strip()]
    return "、".join(names) or activity.host.name


def _place(activity) -> str:
    place = " ".join(p for p in (activity.venue_name, activity.address) if p)
    if activity.mode != "offline" and not place:
        return MODE_NAMES[activity.mode]
    return place


def _audiences(activity) -> str:
    return "、".join(
        AUDIENCE_NAMES.get(t.audience, t.audience) for t in activity.audience_tags.all()
    )


def _expected(activity):
    return activity.expected_participants or activity.total_capacity or 0


def filing_row(number: int, a) -> list:
    return [
        number, a.title, _organisers(a), a.host.name, _sessions_text(a.sessions.all()),
        _place(a), a.category.name, MODE_NAMES.get(a.mode, a.mode), _audiences(a), _expected(a),
        a.contact_name, a.contact_phone, a.area.name if a.area else "",
        STATE_NAMES.get(a.state, a.state),
    ]  # fmt: skip


def full_row(number: int, a) -> list:
    sessions = list(a.sessions.all())
    return [
        number, a.pk, a.edition.year, a.title, a.summary, a.description, a.category.name,
        a.focus_area.title if a.focus_area else "", MODE_NAMES.get(a.mode, a.mode),
        _audiences(a), a.host.name, _organisers(a), a.area.name if a.area else "",
        a.venue_name, a.address,
        float(a.latitude) if a.latitude is not None else None,
        float(a.longitude) if a.longitude is not None else None,
        a.livestream_url, float(a.budget) if a.budget is not None else None, a.lead_name,
        a.contact_name, a.contact_phone, _yes(a.is_key), _yes(a.is_series),
        _yes(a.booking_required), _yes(a.real_name_required), _yes(a.id_number_required),
        a.max_group_size, a.expected_participants, len(sessions), _sessions_text(sessions),
        _dt(a.first_start), _dt(a.last_end), a.total_capacity or 0, a.largest_session or 0,
        _yes(is_large_event(a)), a.police_permit_number,
        a.police_permit_authority, a.safety_officer_name, a.safety_officer_phone,
        _yes(a.confidentiality_checked), STATE_NAMES.get(a.state, a.state), _dt(a.submitted_at),
        _dt(a.published_at), a.onsite_participants, a.online_participants, a.st_workers,
        a.volunteers, len(a.coverage.all()), _dt(a.created_at), _dt(a.updated_at),
    ]  # fmt: skip


def export_queryset(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """The joins both layouts read, so the export issues the same queries for 1 row as for 500."""

    return with_list_joins(qs).prefetch_related(
        Prefetch("co_hosts", queryset=Organization.objects.only("id", "name").order_by("path")),
        Prefetch("coverage", queryset=MediaCoverage.objects.only("id", "activity_id")),
    )


def _header(sheet, headers: list[str], widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5FAD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    sheet.append(cells)


def write_export(qs: QuerySet[Activity], *, layout: str = "filing"):
    """Write ``qs`` in ``layout`` to a temporary file (deleted when closed), rewound for reading."""
    filing = layout != "full"
    headers = FILING_HEADERS if filing else FULL_HEADERS
    widths = (
        FILING_WIDTHS if filing else [8 if h in ("序号", "编号", "年度") else 16 for h in headers]
    )
    row_of = filing_row if filing else full_row
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("活动备案表" if filing else "活动明细")
    _header(sheet, headers, widths)
    for number, activity in enumerate(export_queryset(qs).iterator(chunk_size=CHUNK_SIZE), 1):
        sheet.append([neutralise(v) for v in row_of(number, activity)])
    # Closed (and so deleted) by whoever streams it, e.g. FileResponse when the response ends.
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out
