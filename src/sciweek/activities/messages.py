"""Messages about an activity to its host unit (members and contact people, every channel).

One template per decision under ``activities/email/<decision>``; other code that tells the host
of a change (e.g. edits of a published activity) reuses :func:`tell_host`.
"""

from __future__ import annotations

from sciweek.organizations.notify import notify_organization

from .enums import ActivityState as S

DECISIONS = ("submitted", "approved_area", "published", "returned", "cancelled", "held")


def tell_host(activity, decision: str, *, reason: str = "", by=None):
    """Queue the ``decision`` message to the host unit; returns the outbox rows."""
    return notify_organization(
        kind=f"activity.{decision}",
        organization=activity.host,
        template=f"activities/email/{decision}",
        context={"activity": activity, "reason": reason, "by": by},
    )


def decision_of(move) -> str:
    """The message a workflow move sends: approval says which level it passed."""
    if move.action == "approve":
        return "published" if move.after == S.PUBLISHED else "approved_area"
    return {
        "submit": "submitted",
        "return": "returned",
        "cancel": "cancelled",
        "mark_held": "held",
    }[move.action]


def tell_host_of_move(move) -> None:
    """A workflow side effect, in the move's transaction."""
    tell_host(move.obj, decision_of(move), reason=move.reason, by=move.by)
