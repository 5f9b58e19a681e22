"""The downloadable import template: one sheet to fill in (one row = one activity with one
session), a 说明 sheet, and a hidden sheet holding the drop-down lists."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import Category
from .columns import (
    AUDIENCE_NAMES,
    DATA_SHEET,
    HELP_SHEET,
    IMPORT_COLUMNS,
    LISTS_SHEET,
    MAX_ROWS,
    MODE_NAMES,
    NO,
    YES,
)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5FAD")
REQUIRED_FILL = PatternFill("solid", fgColor="B3261E")
TEXT_COLUMNS = {"contact_phone", "title", "summary", "venue_name", "address"}


def _column_letter(key: str) -> str:
    index = next(i for i, c in enumerate(IMPORT_COLUMNS, start=1) if c.key == key)
    return get_column_letter(index)


def _write_lists(wb: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """Put each list in a column of the hidden sheet; return the range formula of each."""
    sheet = wb.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    formulas = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        last = max(len(values) + 1, 2)
        formulas[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    return formulas


def _validate(sheet, key: str, formula: str, *, strict: bool = True) -> None:
    letter = _column_letter(key)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = strict
    if strict:
        dv.errorTitle = "输入有误"
        dv.error = "请从下拉列表中选择。"
    dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(dv)


def _help_sheet(wb: Workbook, edition, categories, focus_areas, hosts) -> None:
    sheet = wb.create_sheet(HELP_SHEET)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    lines = [
        (f"{edition.title} 活动批量导入模板", ""),
        ("填写方式", f"在“{DATA_SHEET}”表中每行填写一项活动，每项活动一个场次（一行 = 一项活动 + 一个场次）。"),
        ("", "同一活动有多个场次的，请导入后在活动页面中添加其余场次。"),
        ("", f"带 * 的列必须填写；不要修改、删除或调换表头；最多 {MAX_ROWS} 行。"),
        ("", f"导入后为草稿，确认无误后逐项提交审核。活动周时间：{edition.start_date} 至 {edition.end_date}。"),
        ("", ""),
        ("列", "填写要求"),
        *[(c.header, c.note) for c in IMPORT_COLUMNS],
        ("", ""),
        ("活动类型取值", "、".join(c.name for c in categories)),
        ("主要内容取值", "、".join(f.title for f in focus_areas) or "（本届未设置）"),
        ("线上/线下取值", "、".join(MODE_NAMES.values())),
        ("面向对象取值", "、".join(AUDIENCE_NAMES.values())),
        ("", "面向对象可填多个，用“、”分隔，例如：学生、教师、亲子家庭。下拉列表每次只能选一个，多个请直接输入。"),
        ("承办单位取值", "、".join(h.name for h in hosts) or "（无）"),
        ("", ""),
        ("示例", "科学实验秀；科普进校园；线下；学生、教师；……；2024-05-20 09:00；2024-05-20 11:30；200；是；张老师；0533-2186000"),
    ]  # fmt: skip
    for row in lines:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["A"]:
        cell.alignment = Alignment(vertical="top")
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def build_template(*, edition, hosts) -> bytes:
    """The template for ``edition``; ``hosts`` are the units the user may import for."""
    categories = list(Category.objects.filter(edition=edition).order_by("position", "id"))
    focus_areas = list(edition.focus_areas.order_by("position", "id"))
    hosts = list(hosts)

    wb = Workbook()
    sheet = wb.active
    sheet.title = DATA_SHEET
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        if column.key in TEXT_COLUMNS:
            # Text format keeps a landline's leading 0 and stops Excel reading numbers into it.
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "B2"

    formulas = _write_lists(
        wb,
        {
            "活动类型": [c.name for c in categories],
            "主要内容": [f.title for f in focus_areas],
            "线上/线下": list(MODE_NAMES.values()),
            "面向对象": list(AUDIENCE_NAMES.values()),
            "是否": [YES, NO],
            "承办单位": [h.name for h in hosts],
        },
    )
    _validate(sheet, "category", formulas["活动类型"])
    if focus_areas:
        _validate(sheet, "focus_area", formulas["主要内容"])
    _validate(sheet, "mode", formulas["线上/线下"])
    # Several audiences may be typed into one cell, so the list only suggests and never refuses.
    _validate(sheet, "audiences", formulas["面向对象"], strict=False)
    for key in ("booking_required", "is_key", "is_series"):
        _validate(sheet, key, formulas["是否"])
    if len(hosts) > 1:
        _validate(sheet, "host", formulas["承办单位"])

    _help_sheet(wb, edition, categories, focus_areas, hosts)
    wb.move_sheet(HELP_SHEET, offset=-1)  # 活动信息, 说明, then the hidden lists
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
