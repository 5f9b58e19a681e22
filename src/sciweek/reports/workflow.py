"""The state machines of reporting, declared once (see ``common.workflow``): an area's summary
(submitted by the area, accepted or returned by the city) and a compilation's progress."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.workflow import Workflow, declare_tones
from sciweek.organizations.notify import notify_organization

from .checks import missing
from .enums import (
    COMPILE_TRANSITIONS,
    TRANSITIONS,
    BoardStatus,
    CompileAction,
    CompileStatus,
    SummaryAction,
    SummaryState,
)


def _complete(summary) -> None:
    if gaps := missing(summary):
        raise ServiceError(
            _("Before submitting, add %(missing)s.") % {"missing": _(", ").join(gaps)},
            code="incomplete",
        )


def _late(move) -> dict:
    # Late submissions are accepted, and marked late.
    if move.action != SummaryAction.SUBMIT:
        return {}
    return {"is_late": timezone.localdate(move.now) > move.obj.task.deadline}


def _tell_area(move) -> None:
    # The area's members and contacts, by email and SMS: a returned summary must reach it.
    notify_organization(
        kind=f"summary.{move.action}",
        organization=move.obj.area,
        template=f"reports/email/summary_{move.action}",
        context={"summary": move.obj, "reason": move.reason},
    )


def _summary_not_allowed(summary, action: str) -> ServiceError:
    return ServiceError(
        _("“%(action)s” is not possible for a summary that is “%(state)s”.")
        % {"action": SummaryAction(action).label, "state": summary.get_state_display()},
        code="transition_not_allowed",
    )


SUMMARY_TONES = {
    SummaryState.DRAFT: "secondary",
    SummaryState.SUBMITTED: "primary",
    SummaryState.RETURNED: "warning",
    SummaryState.ACCEPTED: "success",
}

SUMMARY = Workflow(
    name="summary",
    model="reports.AreaSummary",
    states=SummaryState,
    actions=SummaryAction,
    transitions=TRANSITIONS,
    reason_required=frozenset({SummaryAction.RETURN}),
    permissions={
        SummaryAction.SUBMIT: "reports.submit_summary",
        SummaryAction.ACCEPT: "reports.review_summary",
        SummaryAction.RETURN: "reports.review_summary",
    },
    checks={SummaryAction.SUBMIT: [_complete]},
    timestamps={
        SummaryAction.SUBMIT: ["submitted_at", "first_submitted_at"],
        SummaryAction.ACCEPT: ["accepted_at"],
    },
    first_timestamps=frozenset({"first_submitted_at"}),
    reason_field="last_reason",
    apply=_late,
    related=("task", "area"),
    audit_organization=lambda summary: summary.area_id,
    audit_after=lambda move: {"late": move.obj.is_late},
    effects={SummaryAction.ACCEPT: [_tell_area], SummaryAction.RETURN: [_tell_area]},
    tones=SUMMARY_TONES,
    not_allowed=_summary_not_allowed,
    refused=lambda summary, action: PermissionRefused(_("You may not do this with this summary.")),
)

# The city's board shows an area's summary state, or that it has none yet or is overdue.
BOARD_TONES = declare_tones(
    "summary_board",
    {**SUMMARY_TONES, BoardStatus.NOT_STARTED: "light", BoardStatus.OVERDUE: "danger"},
)

COMPILATION = Workflow(
    name="compilation",
    model="reports.CompiledReport",
    field="status",
    states=CompileStatus,
    actions=CompileAction,
    transitions=COMPILE_TRANSITIONS,
    # Moved by the worker and the broker, never by a person; no audit entry (the request is).
    permissions=dict.fromkeys(CompileAction.values),
    system_actions=frozenset(CompileAction.values),
    timestamps={CompileAction.FINISH: ["finished_at"], CompileAction.FAIL: ["finished_at"]},
    audit_prefix="",
    tones={
        CompileStatus.QUEUED: "secondary",
        CompileStatus.RUNNING: "primary",
        CompileStatus.DONE: "success",
        CompileStatus.FAILED: "danger",
    },
)
