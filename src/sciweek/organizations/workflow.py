"""An invitation's life, declared once (see ``common.workflow``): pending until it is redeemed
or revoked. Whoever holds the link's secret may redeem it; the office page decides who may revoke.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sciweek.common.errors import ServiceError
from sciweek.common.workflow import Workflow

from .enums import InvitationState as S


class InvitationAction(models.TextChoices):
    ACCEPT = "accept", _("Accept the invitation")
    REVOKE = "revoke", _("Revoke the invitation")


def _unusable() -> ServiceError:
    return ServiceError(
        _g("This invitation has expired or was already used."), code="invitation_unusable"
    )


def _not_expired(invitation) -> None:
    if invitation.expires_at <= timezone.now():
        raise _unusable()


def _not_allowed(invitation, action: str) -> ServiceError:
    if action == InvitationAction.ACCEPT:
        return _unusable()
    return ServiceError(_g("Only an open invitation can be revoked."), code="invitation_unusable")


INVITATION = Workflow(
    name="invitation",
    model="organizations.Invitation",
    states=S,
    actions=InvitationAction,
    transitions={
        InvitationAction.ACCEPT: {S.PENDING: S.ACCEPTED},
        InvitationAction.REVOKE: {S.PENDING: S.REVOKED},
    },
    permissions={InvitationAction.ACCEPT: None, InvitationAction.REVOKE: None},
    system_actions=frozenset({InvitationAction.ACCEPT}),
    checks={InvitationAction.ACCEPT: [_not_expired]},
    timestamps={InvitationAction.ACCEPT: ["accepted_at"]},
    audit_organization=lambda invitation: invitation.organization_id,
    audit_after=lambda move: (
        {
            "user": getattr(move.by, "username", ""),
            "role": move.obj.role,
            "organization": move.obj.organization.name,
        }
        if move.action == InvitationAction.ACCEPT
        else {}
    ),
    tones={S.PENDING: "warning", S.ACCEPTED: "success", S.REVOKED: "secondary"},
    not_allowed=_not_allowed,
)
