"""The workbook's fast row path writes what openpyxl would: the same values and number formats
read back, text kept whole (leading spaces, control characters dropped), a date only in a
formatted column, and anything else left to openpyxl."""

from datetime import date, datetime

from openpyxl import load_workbook

from sciweek.reports.compile import MONEY, _Sheet
from sciweek.reports.xlsxrows import PlainRow

ROWS = [
    [1, " 前后空格 ", 12345.5, date(2023, 5, 20), None, True],
    [2, "控制\x01字符", 0, datetime(2023, 5, 20, 9, 30), "", False],
    [3, "=cmd", None, None, None, None],
]


def _write(path, fast: bool, rows=ROWS):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, "表", [("编号", 8, None), ("名称", 20, None), ("金额", 12, MONEY),
                                    ("日期", 12, "yyyy-mm-dd"), ("备注", 10, None), ("是否", 6, None)])  # fmt: skip
    if not fast:
        sheet.fast.fits = lambda values: False
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", "", 12345.5, None, None, None], bold=True)
    workbook.save(path)
    cells = load_workbook(path)["表"]
    return [[(c.value, c.number_format, c.font.b) for c in row] for row in cells.iter_rows()]


def test_fast_rows_read_back_as_openpyxls_own(tmp_path):
    fast = _write(tmp_path / "fast.xlsx", fast=True)
    # openpyxl refuses the control character that the fast path drops.
    clean = [[v.replace("\x01", "") if isinstance(v, str) else v for v in row] for row in ROWS]
    assert fast == _write(tmp_path / "slow.xlsx", fast=False, rows=clean)
    assert fast[1][1][0] == " 前后空格 " and fast[2][1][0] == "控制字符"
    assert fast[1][2] == (12345.5, MONEY, False) and fast[1][3][1] == "yyyy-mm-dd"
    assert fast[4][0] == ("合计", "General", True)


def test_a_date_in_a_column_without_format_is_left_to_openpyxl(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, "表", [("日期", 12, None)])
    assert not sheet.fast.fits([date(2023, 5, 20)])
    assert sheet.fast.fits(["x"]) and not sheet.fast.fits(["x", "too many"])
    sheet.append([date(2023, 5, 20)])
    workbook.save(tmp_path / "dates.xlsx")
    cell = load_workbook(tmp_path / "dates.xlsx")["表"]["A2"]
    # openpyxl's own path: a date with its default date format.
    assert (cell.value, cell.number_format) == (datetime(2023, 5, 20), "yyyy-mm-dd")
    assert not isinstance(["x"], PlainRow)
