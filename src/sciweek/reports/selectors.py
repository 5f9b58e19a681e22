"""Reads for summary reporting."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.rules import is_organizer_staff, is_platform_admin

from .enums import BoardStatus, SummaryState
from .models import AreaSummary, ReportingTask
from .services import missing

# What "owing" means everywhere (board, its reminder button, the reminder itself): the area has
# no summary with the city, either never filed or returned for revision.
OWING_STATUSES = frozenset(
    {BoardStatus.NOT_STARTED, SummaryState.DRAFT.value, SummaryState.RETURNED.value}
)


def summaries_visible_to(user) -> QuerySet[AreaSummary]:
    qs = AreaSummary.objects.select_related("task", "task__edition", "area")
    if is_platform_admin(user) or is_organizer_staff(user):
        return qs
    return qs.filter(area_id__in=access_for(user).area_ids(Role.ADMIN, Role.REVIEWER, Role.EDITOR))


def returned_summaries_for(user) -> QuerySet[AreaSummary]:
    """Summaries the city sent back to an area this user files for: the area's to-do."""
    area_ids = access_for(user).area_ids(Role.ADMIN, Role.REVIEWER, Role.EDITOR)
    return (
        AreaSummary.objects.filter(area_id__in=area_ids, state=SummaryState.RETURNED)
        .select_related("task__edition", "area")
        .order_by("-updated_at", "-pk")
    )


@dataclass
class BoardRow:
    """One area on the board. ``status`` is where its summary stands (never "overdue": lateness
    is shown beside the state, so a returned summary past the deadline still reads "returned")."""

    area: object
    summary: AreaSummary | None
    status: str
    missing: list[str]
    overdue: bool = False

    @property
    def status_label(self) -> str:
        return BoardStatus(self.status).label

    @property
    def is_overdue(self) -> bool:
        return self.overdue

    @property
    def overdue_label(self) -> str:
        return BoardStatus.OVERDUE.label

    @property
    def is_owing(self) -> bool:
        """The area owes the city a summary: none filed yet, or one sent back for revision."""
        return self.status in OWING_STATUSES


def board(task: ReportingTask, today=None) -> list[BoardRow]:
    """Every required area with its summary's state, lateness and what is missing."""
    today = today or timezone.localdate()
    summaries = {
        s.area_id: s
        for s in task.summaries.select_related("area", "task").prefetch_related(Prefetch("files"))
    }
    rows = []
    for area in task.areas.order_by("path"):
        summary = summaries.get(area.pk)
        if summary is None:
            status = BoardStatus.NOT_STARTED
            gaps = []
        else:
            status = summary.state
            gaps = missing(summary)
        overdue = status in OWING_STATUSES and today > task.deadline
        rows.append(
            BoardRow(area=area, summary=summary, status=status, missing=gaps, overdue=overdue)
        )
    return rows


def reporting_edition(today=None):
    """The edition whose summaries are being filed: the latest public edition whose week has
    begun (the summary follows the week), else the current one."""
    from sciweek.campaigns.models import Edition
    from sciweek.campaigns.selectors import current_edition

    today = today or timezone.localdate()
    started = Edition.objects.public().filter(start_date__lte=today).order_by("-start_date").first()
    return started or current_edition()


def history_of(summary: AreaSummary):
    """The summary's audit trail, oldest first: edits, files, submissions and decisions."""
    from django.contrib.contenttypes.models import ContentType

    from sciweek.audit.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(AreaSummary), object_id=str(summary.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def board_counts(rows: list[BoardRow]) -> list[tuple[str, str, int]]:
    """(status, label, areas) for every status of the board, in the board's order, counted from
    the rows themselves so a tile never contradicts them. The states partition the areas; the
    "overdue" tile counts the owing areas past the deadline, who are also in their state's tile."""
    counts = dict.fromkeys(BoardStatus.values, 0)
    for row in rows:
        counts[row.status] += 1
        counts[BoardStatus.OVERDUE] += row.overdue
    return [(value, label, counts[value]) for value, label in BoardStatus.choices]
