"""Messages to an organisation: every member with an office role and every contact person, on
every channel. Written in the caller's transaction (outbox rows)."""

from __future__ import annotations

from sciweek.notifications.services import queue_everywhere

from .models import Organization
from .selectors import reach_of


def notify_organization(
    *, kind: str, organization: Organization, template: str, context: dict, skip=None
):
    """Queue ``template`` to everyone of ``organization``; returns the outbox rows.

    ``skip`` (a set, updated) holds addresses already written to in the same event, so a person
    of two recipients gets one message."""
    emails, mobiles = reach_of(organization)
    if skip is not None:
        emails = [e for e in emails if e not in skip]
        mobiles = [m for m in mobiles if m not in skip]
        skip.update(emails, mobiles)
    return queue_everywhere(
        kind=kind,
        emails=emails,
        mobiles=mobiles,
        template=template,
        context={"organization": organization, **context},
    )
