"""Helpers for files the platform writes for people to open in Excel."""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 32767


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula gets a leading single quote, so
    ``=cmd|' /C calc'!A0`` is shown, never run. Control characters that xlsx cannot hold are
    dropped. Anything that is not text is returned as is."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            value = "'" + value
        return value[:CELL_LIMIT]
    return value
