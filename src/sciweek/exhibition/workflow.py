"""The two state machines of the ceremony (see ``common.workflow``): a guest's answer (回执)
and arrival, and an exhibit's way from the submitter to the city's selection."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.workflow import Workflow
from sciweek.notifications.services import queue_email, queue_sms
from sciweek.organizations.selectors import member_emails

from .enums import (
    EXHIBIT_TRANSITIONS,
    GUEST_TRANSITIONS,
    ExhibitAction,
    ExhibitState,
    GuestAction,
    GuestState,
)


def _before_deadline(guest) -> None:
    if timezone.now() > guest.ceremony.rsvp_deadline:
        raise ServiceError(
            _("The deadline for answers has passed. Please call the organiser."),
            code="rsvp_closed",
        )


def _confirm(move) -> None:
    guest = move.obj
    mobile = guest.substitute_mobile if move.action == GuestAction.SUBSTITUTE else guest.mobile
    queue_sms(
        kind=f"guest.{move.action}",
        to=[mobile],
        template="exhibition/sms/rsvp_confirmed",
        context={"guest": guest, "ceremony": guest.ceremony, "action": move.action},
    )


GUEST = Workflow(
    name="guest",
    model="exhibition.Guest",
    states=GuestState,
    actions=GuestAction,
    transitions=GUEST_TRANSITIONS,
    # The personal link answers for the guest (no account); the gate decides check-in.
    permissions=dict.fromkeys(GuestAction.values),
    system_actions=frozenset(GuestAction.values),
    checks={
        GuestAction.ATTEND: [_before_deadline],
        GuestAction.DECLINE: [_before_deadline],
        GuestAction.SUBSTITUTE: [_before_deadline],
    },
    timestamps={
        GuestAction.ATTEND: ["answered_at"],
        GuestAction.DECLINE: ["answered_at"],
        GuestAction.SUBSTITUTE: ["answered_at"],
        GuestAction.CHECK_IN: ["checked_in_at"],
    },
    related=("ceremony", "category", "area"),
    audit_repr=lambda guest: guest.masked_name,
    audit_organization=lambda guest: guest.area_id,
    effects={GuestAction.ATTEND: [_confirm], GuestAction.SUBSTITUTE: [_confirm]},
    tones={
        GuestState.INVITED: "secondary",
        GuestState.ATTENDING: "success",
        GuestState.DECLINED: "dark",
        GuestState.SUBSTITUTED: "info",
        GuestState.CHECKED_IN: "primary",
    },
)


def _confidential(exhibit) -> None:
    if not exhibit.confidentiality_checked:
        raise ServiceError(
            _("Confirm the confidentiality self-check (科技保密) before submitting."),
            code="confidentiality_unchecked",
        )


def _before_exhibit_deadline(exhibit) -> None:
    if timezone.now() > exhibit.ceremony.exhibit_deadline:
        raise ServiceError(_("The call for exhibits has closed."), code="exhibits_closed")


def _booth_free(exhibit) -> None:
    from .models import Exhibit

    taken = Exhibit.objects.filter(ceremony=exhibit.ceremony, state=ExhibitState.SELECTED).count()
    if taken >= exhibit.ceremony.booth_count:
        raise ServiceError(
            _("Every booth (%(n)d) is taken: decline or return another exhibit first.")
            % {"n": exhibit.ceremony.booth_count},
            code="no_booth_left",
        )


def needs_area_step(submitter) -> bool:
    """A unit or an area department waits for its area; an area and a city department do not."""
    from sciweek.organizations.enums import OrganizationKind

    return submitter.area_id is not None and submitter.kind != OrganizationKind.AREA


def _route(exhibit, action: str, target: str) -> str:
    if target == ExhibitState.AT_AREA and not needs_area_step(exhibit.submitter):
        return ExhibitState.SUBMITTED
    return target


def _tell_area(move) -> None:
    # A unit's exhibit handed in: its area's office has one more to approve.
    if move.after != ExhibitState.AT_AREA:
        return
    queue_email(
        kind="exhibit.at_area",
        to=member_emails([move.obj.submitter.area]),
        template="exhibition/email/exhibit_at_area",
        context={"exhibit": move.obj},
    )


def _tell_submitter(move) -> None:
    queue_email(
        kind=f"exhibit.{move.action}",
        to=member_emails([move.obj.submitter]),
        template="exhibition/email/exhibit_decided",
        context={"exhibit": move.obj, "reason": move.reason, "action": move.action},
    )


EXHIBIT = Workflow(
    name="exhibit",
    model="exhibition.Exhibit",
    states=ExhibitState,
    actions=ExhibitAction,
    transitions=EXHIBIT_TRANSITIONS,
    reason_required=frozenset(
        {ExhibitAction.RETURN, ExhibitAction.DECLINE, ExhibitAction.AREA_RETURN}
    ),
    permissions={
        ExhibitAction.SUBMIT: "exhibition.submit_exhibit",
        ExhibitAction.AREA_APPROVE: "exhibition.area_review_exhibit",
        ExhibitAction.AREA_RETURN: "exhibition.area_review_exhibit",
        ExhibitAction.SELECT: "exhibition.select_exhibit",
        ExhibitAction.RETURN: "exhibition.select_exhibit",
        ExhibitAction.DECLINE: "exhibition.select_exhibit",
    },
    checks={
        ExhibitAction.SUBMIT: [_confidential, _before_exhibit_deadline],
        ExhibitAction.SELECT: [_booth_free],
    },
    timestamps={
        ExhibitAction.SUBMIT: ["submitted_at"],
        ExhibitAction.SELECT: ["decided_at"],
        ExhibitAction.DECLINE: ["decided_at"],
    },
    reason_field="last_reason",
    route=_route,
    related=("ceremony", "submitter", "submitter__area"),
    audit_organization=lambda exhibit: exhibit.submitter_id,
    effects={
        ExhibitAction.SUBMIT: [_tell_area],
        ExhibitAction.AREA_APPROVE: [_tell_submitter],
        ExhibitAction.AREA_RETURN: [_tell_submitter],
        ExhibitAction.SELECT: [_tell_submitter],
        ExhibitAction.RETURN: [_tell_submitter],
        ExhibitAction.DECLINE: [_tell_submitter],
    },
    tones={
        ExhibitState.DRAFT: "secondary",
        ExhibitState.AT_AREA: "info",
        ExhibitState.SUBMITTED: "primary",
        ExhibitState.RETURNED: "warning",
        ExhibitState.SELECTED: "success",
        ExhibitState.DECLINED: "dark",
    },
    refused=lambda exhibit, action: PermissionRefused(_("You may not do this with this exhibit.")),
)
