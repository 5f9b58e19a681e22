"""Reading a filled-in template: file checks, a dry run that reports every problem as (row,
column, message), and the import of the valid rows as drafts through the services."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from sciweek.audit import writer as audit
from sciweek.common.errors import ServiceError
from sciweek.common.uploads import sniff

from .. import services
from ..models import Activity, Session
from .columns import DATA_SHEET, IMPORT_COLUMNS, MAX_BYTES, MAX_ROWS, normalise_header
from .rows import Problem, RowReader

__all__ = ["Problem", "Report", "check_file", "dry_run", "import_rows"]


@dataclass
class ImportRow:
    row: int
    values: dict


@dataclass
class Report:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def valid_rows(self) -> list[ImportRow]:
        bad = self.bad_rows
        return [r for r in self.rows if r.row not in bad]


def check_file(upload) -> None:
    """Refuse, with a message, a file that is too large or not an xlsx workbook by content."""
    if upload.size > MAX_BYTES:
        raise ServiceError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
            code="file_too_large",
        )
    kind = sniff(upload)
    if kind == "zip":
        # Some spreadsheet programs order the parts differently; look for the workbook itself.
        try:
            with zipfile.ZipFile(upload) as archive:
                kind = "xlsx" if "xl/workbook.xml" in archive.namelist() else kind
        except zipfile.BadZipFile:
            kind = None
        upload.seek(0)
    if kind != "xlsx":
        raise ServiceError(
            _("This is not an Excel workbook (.xlsx). Download the template and fill it in."),
            code="not_xlsx",
        )


def _open_sheet(source):
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ServiceError(
            _("The workbook could not be read; save it again in Excel as .xlsx."),
            code="unreadable",
        ) from exc
    names = workbook.sheetnames
    return workbook, workbook[DATA_SHEET if DATA_SHEET in names else names[0]]


def dry_run(source, *, edition, hosts, default_host=None) -> Report:
    """Read every row and check every cell; nothing is written. Refuses (ServiceError) a sheet
    with missing headers or more than MAX_ROWS rows."""
    workbook, sheet = _open_sheet(source)
    try:
        rows = sheet.iter_rows(values_only=True, max_col=len(IMPORT_COLUMNS) + 20)
        header = [normalise_header(v) for v in next(rows, ())]
        positions = {}
        for column in IMPORT_COLUMNS:
            if normalise_header(column.name) in header:
                positions[column.key] = header.index(normalise_header(column.name))
        missing = [c.header for c in IMPORT_COLUMNS if c.key not in positions]
        if missing:
            raise ServiceError(
                _("The first row must hold the template's headers; missing: %(missing)s.")
                % {"missing": "、".join(missing)},
                code="wrong_headers",
            )
        reader = RowReader(edition=edition, hosts=hosts, default_host=default_host)
        report = Report()
        for number, cells in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            if len(report.rows) >= MAX_ROWS:
                raise ServiceError(
                    _("The sheet has more than %(n)d rows; split it into several files.")
                    % {"n": MAX_ROWS},
                    code="too_many_rows",
                )
            by_key = {k: cells[i] if i < len(cells) else None for k, i in positions.items()}
            values, problems = reader.read(number, by_key)
            report.rows.append(ImportRow(number, values))
            report.problems.extend(problems)
    finally:
        workbook.close()
    if not report.rows:
        raise ServiceError(_("The sheet has no activities to import."), code="empty")
    return report


ACTIVITY_KEYS = (
    "title", "summary", "category", "focus_area", "mode", "venue_name", "address",
    "livestream_url", "budget", "lead_name", "contact_name", "contact_phone", "is_key",
    "is_series", "booking_required",
)  # fmt: skip


@transaction.atomic
def import_rows(*, report: Report, edition, by, only_valid: bool, file_name: str = ""):
    """Create a draft with one session for each valid row, all or nothing.

    Refuses while a problem remains unless ``only_valid``. Side effects: the services' audit
    entries for each activity and session, and one ``activity.import`` entry.
    """
    if report.problems and not only_valid:
        raise ServiceError(
            _(
                "Nothing was imported: correct the problems, or choose to import only the valid rows."
            ),
            code="problems_remain",
        )
    created = []
    for item in report.valid_rows:
        v = item.values
        activity = Activity(edition=edition, host=v["host"], expected_participants=v["capacity"])
        for key in ACTIVITY_KEYS:
            setattr(activity, key, v[key])
        session = Session(starts_at=v["starts_at"], ends_at=v["ends_at"], capacity=v["capacity"])
        services.activity_file(
            activity=activity, by=by, audiences=v["audiences"], sessions=[session]
        )
        created.append(activity)
    audit.record(
        actor=by,
        action="activity.import",
        object_repr=file_name or "xlsx",
        after={"edition": edition.pk, "created": len(created), "skipped": len(report.bad_rows)},
    )
    return created
