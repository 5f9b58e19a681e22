"""Writes for summary reporting. Each runs in one transaction and writes its audit entry."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import ServiceError
from sciweek.organizations.models import Organization
from sciweek.organizations.notify import notify_organization

from . import compile
from .checks import missing  # noqa: F401  (pages and the API ask services.missing)
from .enums import HANDED_IN_STATES, CompileAction, CompileKind
from .figures import FIXED_FIGURES
from .models import AreaSummary, CompiledReport, ReportingTask, SummaryFigure
from .statistics import compute_figures
from .texts import (
    DOCUMENT_FIELDS,
    PROSE_FIELDS,
    PROSE_MAX,
    TEXT_FIELDS,
    document_number,
    version_texts,
)
from .workflow import COMPILATION, SUMMARY

NARRATIVE_FIELDS = ["organisation_text", "highlights_text", "publicity_text", "problems_text"]


def _record(summary: AreaSummary, by, action: str, **kwargs) -> None:
    audit.record(actor=by, action=action, obj=summary, organization_id=summary.area_id, **kwargs)


@transaction.atomic
def task_for(edition, *, by=None) -> ReportingTask:
    """The edition's reporting task, created with the edition's deadline and receiving section
    and every area required, the first time it is asked for."""
    task, created = ReportingTask.objects.get_or_create(
        edition=edition,
        defaults={
            "deadline": edition.summary_deadline,
            "receiving_section": edition.receiving_section,
            "receiving_email": edition.receiving_email,
        },
    )
    if created:
        task.areas.set(Organization.objects.areas().active())
        if by is not None:
            audit.record(
                actor=by,
                action="report_task.create",
                obj=task,
                organization_id=edition.organizer_id,
            )
    return task


TASK_FIELDS = [
    "deadline",
    "receiving_section",
    "receiving_email",
    "instructions",
    "require_document",
    "min_photos",
    "require_video",
    "max_video_seconds",
    "document_max_bytes",
    "photo_max_bytes",
    "video_max_bytes",
    "remind_days_before",
]


@transaction.atomic
def task_save(*, task: ReportingTask, areas, by) -> ReportingTask:
    """Save the organiser's changes to the reporting task (fields already set on ``task``) and
    the areas that must report. Writes ``report_task.update`` with what changed."""
    before_row = ReportingTask.objects.select_for_update().get(pk=task.pk)
    before = audit.snapshot(before_row, TASK_FIELDS)
    before["areas"] = sorted(before_row.areas.values_list("name", flat=True))
    areas = list(areas)
    if not areas:
        raise ServiceError({"areas": [_("Choose at least one area.")]})
    task.save()
    task.areas.set(areas)
    after = audit.snapshot(task, TASK_FIELDS)
    after["areas"] = sorted(a.name for a in areas)
    if before != after:
        audit.record(
            actor=by,
            action="report_task.update",
            obj=task,
            organization_id=task.edition.organizer_id,
            before=before,
            after=after,
        )
    return task


def _category_labels(edition) -> dict[str, str]:
    return {c.code: c.name for c in edition.categories.all()}


@transaction.atomic
def refresh_figures(*, summary: AreaSummary) -> AreaSummary:
    """Recompute the platform's figures; values the area entered itself are kept."""
    edition = summary.task.edition
    computed = compute_figures(edition, summary.area)
    existing = {f.key: f for f in summary.figures.all()}
    rows = [(key, label, source) for key, label, source in FIXED_FIGURES]
    for code, name in _category_labels(edition).items():
        rows.append(
            (
                f"activities.{code}",
                _("Activities: %(category)s") % {"category": name},
                _("Published and held activities in this category"),
            )
        )
    for position, (key, label, source) in enumerate(rows):
        value = computed.get(key, Decimal(0))
        figure = existing.get(key)
        if figure is None:
            SummaryFigure.objects.create(
                summary=summary,
                key=key,
                label=str(label),
                source=str(source),
                computed=value,
                position=position,
            )
        elif figure.computed != value or figure.position != position:
            figure.computed = value
            figure.position = position
            figure.save(update_fields=["computed", "position"])
    return summary


@transaction.atomic
def summary_for(*, task: ReportingTask, area: Organization) -> AreaSummary:
    """The area's summary, started (with figures pre-filled) on first use."""
    summary, created = AreaSummary.objects.get_or_create(task=task, area=area)
    if created:
        refresh_figures(summary=summary)
    return summary


def _require_editable(summary: AreaSummary) -> None:
    if not summary.is_editable:
        raise ServiceError(
            _("The summary can be changed only as a draft or when returned; it is “%(state)s”.")
            % {"state": summary.get_state_display()},
            code="not_editable",
        )


@transaction.atomic
def figures_update(
    *, summary: AreaSummary, values: dict[str, tuple[Decimal | None, str]], by
) -> AreaSummary:
    """Set reported figures: ``{key: (value or None for the platform's, note)}``. A value that
    differs from the platform's needs a note saying why."""
    summary = AreaSummary.objects.select_for_update().get(pk=summary.pk)
    _require_editable(summary)
    figures = {f.key: f for f in summary.figures.all()}
    errors = {}
    changes = {}
    for key, (value, note) in values.items():
        figure = figures.get(key)
        if figure is None:
            errors[key] = _("Unknown figure.")
            continue
        if value is not None and value < 0:
            errors[key] = _("A figure cannot be negative.")
            continue
        if value is not None and value == figure.computed:
            value = None
        note = (note or "").strip()
        if value is not None and not note:
            errors[key] = _("Say why “%(label)s” differs from the platform's %(computed)s.") % {
                "label": figure.label,
                "computed": figure.computed_display,
            }
            continue
        if (figure.value, figure.note) != (value, note if value is not None else ""):
            changes[key] = [
                str(figure.reported),
                str(value if value is not None else figure.computed),
            ]
            figure.value = value
            figure.note = note if value is not None else ""
            figure.save(update_fields=["value", "note"])
    if errors:
        raise ServiceError({key: [message] for key, message in errors.items()})
    if changes:
        _record(summary, by, "summary.figures", after={"changed": changes})
    return summary


@transaction.atomic
def narrative_update(*, summary: AreaSummary, texts: dict[str, str], by) -> AreaSummary:
    summary = AreaSummary.objects.select_for_update().get(pk=summary.pk)
    _require_editable(summary)
    before = audit.snapshot(summary, NARRATIVE_FIELDS)
    for name in NARRATIVE_FIELDS:
        if name in texts:
            setattr(summary, name, (texts[name] or "").strip())
    summary.save(update_fields=[*NARRATIVE_FIELDS, "updated_at"])
    after = audit.snapshot(summary, NARRATIVE_FIELDS)
    if before != after:
        # Long texts: the log says which sections changed, not their whole content.
        _record(
            summary,
            by,
            "summary.narrative",
            after={"sections": [k for k in NARRATIVE_FIELDS if before[k] != after[k]]},
        )
    return summary


def summary_transition(*, summary: AreaSummary, action: str, by, reason: str = "") -> AreaSummary:
    """submit (the area) · accept / return with a reason (the city), through
    ``workflow.SUMMARY``. Late submissions are accepted and marked late.

    Side effects: audit entry ``summary.<action>``; on accept or return, mail to the area.
    """
    return SUMMARY.transition(summary, action, by=by, reason=reason)


def areas_owing(task: ReportingTask):
    """Required areas that have not submitted (no summary, or a draft or returned one)."""
    done = AreaSummary.objects.filter(task=task, state__in=HANDED_IN_STATES)
    return task.areas.exclude(pk__in=done.values("area_id")).order_by("path")


def _remind(task: ReportingTask, *, today: date, by=None) -> int:
    """Remind (before the deadline) or chase (督办, after it) every area of ``task`` that owes
    its summary: each member and contact of the area, by email and SMS (the delivery notices
    use, ``notify_organization``); one audit entry. Returns how many areas."""
    overdue = today > task.deadline
    owing = list(areas_owing(task))
    for area in owing:
        notify_organization(
            kind="summary.overdue" if overdue else "summary.reminder",
            organization=area,
            template="reports/email/summary_overdue"
            if overdue
            else "reports/email/summary_reminder",
            context={"task": task, "area": area, "days_late": (today - task.deadline).days},
        )
    if owing:
        audit.record(
            actor=by,
            action="summary.remind",
            obj=task,
            organization_id=task.edition.organizer_id,
            after={"areas": [a.name for a in owing], "overdue": overdue},
        )
    return len(owing)


def remind_reports(*, today: date | None = None) -> dict[int, int]:
    """Remind areas that owe a summary: once N days before the deadline, then daily from the day
    after it (督办). Returns {task id: areas reminded}."""
    today = today or timezone.localdate()
    result = {}
    for task in ReportingTask.objects.select_related("edition"):
        before = task.deadline - timedelta(days=task.remind_days_before)
        if not (today == before or today > task.deadline):
            continue
        with transaction.atomic():
            if reminded := _remind(task, today=today):
                result[task.pk] = reminded
    return result


@transaction.atomic
def remind_task(*, task: ReportingTask, by, today: date | None = None) -> int:
    """The board's "remind those who owe" button: email every area of this task that has not
    submitted, now. Returns how many areas were reminded."""
    return _remind(task, today=today or timezone.localdate(), by=by)


@transaction.atomic
def compile_request(
    *, task: ReportingTask, kind: str, by, area=None, include_unreported: bool = False
) -> CompiledReport:
    """Queue a compilation; a worker (or, without a broker, this process after the commit)
    produces it. The page polls its progress. Each compilation of a kind is a new numbered
    version; ``include_unreported`` counts the records of areas without an accepted summary."""
    if kind not in CompileKind.values:
        raise ServiceError(_("Unknown document."), code="unknown_kind")
    if kind == CompileKind.ZIP_AREA and area is None:
        raise ServiceError(_("Choose the area."), code="area_required")
    # The task row's lock numbers the versions one after another.
    ReportingTask.objects.select_for_update().filter(pk=task.pk).first()
    version = next_version(task, kind)
    report = CompiledReport.objects.create(
        task=task,
        kind=kind,
        area=area,
        requested_by=by,
        version=version,
        include_unreported=include_unreported,
        texts=version_texts(task),
    )
    audit.record(
        actor=by,
        action="report.compile",
        obj=task,
        after={
            "kind": kind,
            "area": getattr(area, "name", ""),
            "version": version,
            "include_unreported": include_unreported,
        },
    )

    def start():
        from .tasks import run_compilation

        try:
            run_compilation.delay(report.pk)
        except Exception:
            # An eager run that got as far as finishing cannot fail any more: keep its result.
            with contextlib.suppress(ServiceError):
                COMPILATION.transition(
                    report, CompileAction.FAIL, by=None, changes={"error": "broker unavailable"}
                )

    transaction.on_commit(start)
    return report


@transaction.atomic
def report_prose_save(*, task: ReportingTask, texts: dict[str, str], by) -> ReportingTask:
    """The organiser's edit of the city report's prose and document settings (``DOCUMENT_FIELDS``)
    before the final compilation. A text equal to the one generated from the figures, or empty,
    is stored empty: the report then keeps generating it from the current figures. Writes
    ``report.prose``."""
    task = ReportingTask.objects.select_for_update().select_related("edition").get(pk=task.pk)
    generated = compile.generated_prose(task)
    errors = {}
    before = audit.snapshot(task, TEXT_FIELDS)
    for name in PROSE_FIELDS:
        if name not in texts:
            continue
        text = (texts[name] or "").replace("\r\n", "\n").strip()
        if len(text) > PROSE_MAX:
            errors[name] = [_("At most %(max)s characters.") % {"max": PROSE_MAX}]
            continue
        setattr(task, name, "" if text == generated[name] else text)
    for name in DOCUMENT_FIELDS:
        if name in texts:
            value = texts[name]
            if name == "report_number":
                value = document_number(value or "")
            setattr(task, name, value.strip() if isinstance(value, str) else value)
    if errors:
        raise ServiceError(errors)
    after = audit.snapshot(task, TEXT_FIELDS)
    if before != after:
        task.save(update_fields=[*TEXT_FIELDS, "updated_at"])
        audit.record(
            actor=by,
            action="report.prose",
            obj=task,
            organization_id=task.edition.organizer_id,
            after={"sections": [k for k in TEXT_FIELDS if before[k] != after[k]]},
        )
    return task


def next_version(task: ReportingTask, kind: str) -> int:
    last = CompiledReport.objects.filter(task=task, kind=kind).order_by("-version").first()
    return (last.version + 1) if last else 1


WRITERS = {
    CompileKind.DOCX: compile.write_docx,
    CompileKind.XLSX: compile.write_xlsx,
    CompileKind.UPWARD: compile.write_upward,
}


def write_compilation(
    task: ReportingTask,
    kind: str,
    path,
    progress,
    *,
    area=None,
    include_unreported=False,
    version=1,
    texts=None,
) -> str:
    """Write one compiled file to ``path``; returns the hash of the figures it carries ("" for
    an archive). The page's compilations and ``sciweek compile_report`` both come here."""
    if kind in WRITERS:
        extra = {"texts": texts} if kind == CompileKind.DOCX else {}
        city = WRITERS[kind](
            task, path, progress, include_unreported=include_unreported, version=version, **extra
        )
        return city.digest()
    compile.write_zip(task, path, progress, area=area if kind == CompileKind.ZIP_AREA else None)
    return ""


def compile_run(report_id: int) -> CompiledReport:
    """Produce a queued compilation (called by the Celery task)."""
    report = CompiledReport.objects.select_related("task", "task__edition", "area").get(
        pk=report_id
    )
    COMPILATION.transition(report, CompileAction.START, by=None, changes={"progress": 0})

    def progress(percent: int) -> None:
        CompiledReport.objects.filter(pk=report.pk).update(progress=percent)

    name = compile.file_name(report.task, report.kind, report.area)
    path = compile.temp_path("." + name.rsplit(".", 1)[-1])
    try:
        digest = write_compilation(
            report.task,
            report.kind,
            path,
            progress,
            area=report.area,
            include_unreported=report.include_unreported,
            version=report.version,
            texts=report.texts or None,
        )
        with path.open("rb") as handle:
            report.file.save(name, File(handle), save=False)
        action, changes = CompileAction.FINISH, {"file": report.file.name, "progress": 100}
        changes["error"] = ""
        changes["figures_hash"] = digest
    except Exception as exc:
        action = CompileAction.FAIL
        changes = {"file": "", "progress": 0, "error": f"{type(exc).__name__}: {exc}"[:2000]}
    finally:
        path.unlink(missing_ok=True)
    done = COMPILATION.transition(report, action, by=None, changes=changes)
    # The caller keeps the relations read above (task, edition, area) without asking again.
    for name in (
        "status",
        "progress",
        "file",
        "error",
        "finished_at",
        "updated_at",
        "figures_hash",
    ):
        setattr(report, name, getattr(done, name))
    return report
