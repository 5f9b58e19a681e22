"""The activity review workflow, declared once.

``TRANSITIONS[action][from_state] = to_state``. The only exception to the table is routing:
``submit`` goes to the area's review, or straight to the city's when the host organisation
belongs to no area (city departments). ``ACTIVITY.transition`` (through
``services.activity_transition``) performs every move and refuses anything this table does not
allow.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.workflow import ANY_ACTION, Workflow

from . import checks
from .enums import LARGE_EVENT_THRESHOLD, ChangeState
from .enums import ActivityState as S
from .messages import tell_host_of_move
from .signals import activity_cancelled


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for revision")
    WITHDRAW = "withdraw", _("Withdraw")
    CANCEL = "cancel", _("Cancel the activity")
    MARK_HELD = "mark_held", _("Mark as held")


TRANSITIONS: dict[str, dict[str, str]] = {
    Action.SUBMIT: {S.DRAFT: S.PENDING_AREA, S.RETURNED: S.PENDING_AREA},
    Action.APPROVE: {S.PENDING_AREA: S.PENDING_CITY, S.PENDING_CITY: S.PUBLISHED},
    Action.RETURN: {S.PENDING_AREA: S.RETURNED, S.PENDING_CITY: S.RETURNED},
    Action.WITHDRAW: {
        S.DRAFT: S.WITHDRAWN,
        S.PENDING_AREA: S.WITHDRAWN,
        S.PENDING_CITY: S.WITHDRAWN,
        S.RETURNED: S.WITHDRAWN,
    },
    Action.CANCEL: {S.PUBLISHED: S.CANCELLED},
    Action.MARK_HELD: {S.PUBLISHED: S.HELD},
}

REASON_REQUIRED = frozenset({Action.RETURN, Action.CANCEL})

# The rules permission each action needs; the review permission looks at the state to decide
# between the area's and the city's reviewers.
ACTION_PERMISSIONS = {
    Action.SUBMIT: "activities.submit_activity",
    Action.APPROVE: "activities.review_activity",
    Action.RETURN: "activities.review_activity",
    Action.WITHDRAW: "activities.withdraw_activity",
    Action.CANCEL: "activities.cancel_activity",
    Action.MARK_HELD: "activities.mark_held_activity",
}

EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
PUBLIC_STATES = frozenset({S.PUBLISHED, S.HELD})
REVIEW_STATES = frozenset({S.PENDING_AREA, S.PENDING_CITY})


def target_state(action: str, state: str, *, host_has_area: bool) -> str | None:
    """Where ``action`` takes an activity in ``state``, or None when the table forbids it."""
    target = TRANSITIONS.get(action, {}).get(state)
    if target == S.PENDING_AREA and not host_has_area:
        return S.PENDING_CITY
    return target


def available_actions(state: str) -> list[str]:
    """The actions the table allows from ``state`` (for anyone; pages ask ``ACTIVITY``)."""
    return ACTIVITY.actions_from(state)


def _route(activity, action: str, target: str) -> str:
    return target_state(action, activity.state, host_has_area=activity.host.area_id is not None)


def _ready_to_submit(activity) -> None:
    if problems := checks.submission_problems(activity):
        raise ServiceError(" ".join(problems), code="not_ready")


def _large_event_complete(activity) -> None:
    if missing := checks.large_event_problems(activity):
        raise ServiceError(
            _g(
                "This is a large mass event (%(threshold)s or more people in a session, expected, "
                "or over a day at the venue); before it can be approved it needs %(missing)s. "
                "The permit should come from %(level)s."
            )
            % {
                "threshold": f"{LARGE_EVENT_THRESHOLD:,}",
                "missing": _g(", ").join(missing),
                "level": checks.required_permit_level(activity),
            },
            code="large_event_incomplete",
        )


def _has_ended(activity) -> None:
    if not checks.has_ended(activity):
        raise ServiceError(
            _g("It can be marked as held once its last session has ended."), code="not_ended"
        )


def _not_allowed(activity, action: str) -> ServiceError:
    return ServiceError(
        _g("“%(action)s” is not possible for an activity that is “%(state)s”.")
        % {"action": Action(action).label, "state": activity.get_state_display()},
        code="transition_not_allowed",
    )


def _refused(activity, action: str) -> PermissionRefused:
    return PermissionRefused(
        _g("You may not do “%(action)s” with this activity.") % {"action": Action(action).label}
    )


def _tell_bookings(move) -> None:
    # In the transaction: bookings cancel every place with the activity, or not at all.
    activity_cancelled.send(
        sender=type(move.obj), activity=move.obj, reason=move.reason, by=move.by
    )


ACTIVITY = Workflow(
    name="activity",
    model="activities.Activity",
    states=S,
    actions=Action,
    transitions=TRANSITIONS,
    reason_required=REASON_REQUIRED,
    permissions=ACTION_PERMISSIONS,
    checks={
        Action.SUBMIT: [_ready_to_submit],
        Action.APPROVE: [_large_event_complete],
        Action.MARK_HELD: [_has_ended],
    },
    # "Mark as held" is offered only once it can succeed.
    offer_only_when_ready=frozenset({Action.MARK_HELD}),
    timestamps={ANY_ACTION: ["state_changed_at"], Action.SUBMIT: ["submitted_at"]},
    entry_timestamps={S.PUBLISHED: ["published_at"]},
    first_timestamps=frozenset({"submitted_at"}),
    reason_field="last_reason",
    route=_route,
    related=("host", "edition", "category"),
    audit_organization=lambda activity: activity.host_id,
    # Every decision reaches the host unit; outbox rows are written with the move.
    effects={
        Action.SUBMIT: [tell_host_of_move],
        Action.APPROVE: [tell_host_of_move],
        Action.RETURN: [tell_host_of_move],
        Action.CANCEL: [_tell_bookings, tell_host_of_move],
        Action.MARK_HELD: [tell_host_of_move],
    },
    tones={
        S.DRAFT: "secondary",
        S.PENDING_AREA: "primary",
        S.PENDING_CITY: "primary",
        S.RETURNED: "warning",
        S.PUBLISHED: "success",
        S.HELD: "info",
        S.WITHDRAWN: "dark",
        S.CANCELLED: "dark",
    },
    not_allowed=_not_allowed,
    refused=_refused,
)


# --- changes to a published activity ------------------------------------------------------------


class ChangeAction(models.TextChoices):
    APPROVE = "approve", _("Approve the change")
    REJECT = "reject", _("Reject the change")


def _activity_still_published(change) -> None:
    if change.activity.state != S.PUBLISHED:
        raise ServiceError(
            _g("Only a published activity's changes can be approved."), code="not_published"
        )


def _apply_change(move) -> None:
    # Imported here: the services import this module.
    from .changes import apply_change

    apply_change(move.obj, by=move.by)


CHANGE = Workflow(
    name="activity_change",
    model="activities.ActivityChange",
    states=ChangeState,
    actions=ChangeAction,
    transitions={
        ChangeAction.APPROVE: {ChangeState.PROPOSED: ChangeState.APPROVED},
        ChangeAction.REJECT: {ChangeState.PROPOSED: ChangeState.REJECTED},
    },
    reason_required=frozenset({ChangeAction.REJECT}),
    permissions={
        ChangeAction.APPROVE: "activities.review_change",
        ChangeAction.REJECT: "activities.review_change",
    },
    checks={ChangeAction.APPROVE: [_activity_still_published]},
    timestamps={ANY_ACTION: ["state_changed_at"]},
    reason_field="reason",
    related=("activity", "activity__host", "activity__edition"),
    # Written on the activity, so its history shows the change and its decision.
    audit_object=lambda change: change.activity,
    audit_organization=lambda change: change.activity.host_id,
    audit_after=lambda move: {"fields": move.obj.fields, "sessions": move.obj.sessions},
    effects={ChangeAction.APPROVE: [_apply_change]},
    tones={
        ChangeState.PROPOSED: "primary",
        ChangeState.APPROVED: "success",
        ChangeState.REJECTED: "warning",
    },
)
