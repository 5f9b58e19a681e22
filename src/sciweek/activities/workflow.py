"""The activity review workflow, declared once.

``TRANSITIONS[action][from_state] = to_state``. The only exception to the table is routing:
``submit`` goes to the area's review, or straight to the city's when the host organisation
belongs to no area (city departments). One service (``services.activity_transition``) performs
every move and refuses anything this table does not allow.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ActivityState as S


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
    return [action for action, moves in TRANSITIONS.items() if state in moves]
