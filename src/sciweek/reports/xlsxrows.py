"""Plain rows of a write-only openpyxl sheet written straight as XML: for a 10,000-activity
edition the workbook has some 320,000 cells, and openpyxl spends about 10 µs on each (a cell
object, its value checked, nested XML contexts). Here a row is one lxml element built from the
values, with each column's style id looked up once. Anything else (the header, a bold totals
row, a value of another type) goes through openpyxl as before.

Hooks into ``WriteOnlyWorksheet`` at the two places a row passes (``_values_to_row`` and the
writer's ``write_row``), for the version of openpyxl pinned in uv.lock; the workbook tests read
every sheet back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime

from lxml.etree import Element, SubElement
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class PlainRow(list):
    """A row of values for the fast path."""


class FastRows:
    """Installs the fast path on ``sheet`` (after its header row, so openpyxl's writer exists)
    for columns styled by ``styles`` (a style id per column, or None for the default)."""

    def __init__(self, sheet, styles: list[int | None]):
        self.styles = styles
        self.letters = [get_column_letter(i) for i in range(1, len(styles) + 1)]
        self.epoch = sheet.parent.epoch
        values_to_row, write_row = sheet._values_to_row, sheet._writer.write_row
        sheet._values_to_row = lambda row, index: (
            row if isinstance(row, PlainRow) else values_to_row(row, index)
        )
        sheet._writer.write_row = lambda xf, row, index: (
            self.write(xf, row, index) if isinstance(row, PlainRow) else write_row(xf, row, index)
        )

    def fits(self, values) -> bool:
        """Whether every value is one this path writes as openpyxl would (a date only where its
        column has a number format; a text within Excel's limit); else openpyxl takes the row."""
        for value, style in zip(values, self.styles, strict=False):
            if value is None or isinstance(value, (int, float)):
                continue
            if isinstance(value, str) and len(value) <= 32767:
                continue
            if isinstance(value, date) and style is not None:
                continue
            return False
        return len(values) <= len(self.styles)

    def write(self, xf, values, index: int) -> None:
        number = str(index)
        row = Element("row", r=number)
        for value, style, letter in zip(values, self.styles, self.letters, strict=False):
            if value is None and style is None:
                continue
            cell = SubElement(row, "c", r=letter + number)
            if style is not None:
                cell.set("s", str(style))
            if value is None:
                cell.set("t", "n")  # a styled empty cell, as openpyxl writes it
            elif value == "":
                cell.set("t", "inlineStr")
            elif isinstance(value, str):
                cell.set("t", "inlineStr")
                text = SubElement(SubElement(cell, "is"), "t")
                text.text = ILLEGAL_CHARACTERS_RE.sub("", value)
                if value != value.strip():
                    text.set(XML_SPACE, "preserve")
            elif isinstance(value, bool):
                cell.set("t", "b")
                SubElement(cell, "v").text = "1" if value else "0"
            elif isinstance(value, (date, datetime)):
                cell.set("t", "n")
                SubElement(cell, "v").text = safe_string(to_excel(value, self.epoch))
            else:
                cell.set("t", "n")
                SubElement(cell, "v").text = safe_string(value)  # as openpyxl writes it
        xf.write(row)
