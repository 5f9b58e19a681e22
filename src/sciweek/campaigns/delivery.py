"""Reaching a notice's recipients: every member and contact of each, on every channel, and the
time each recipient row was first reached."""

from __future__ import annotations

from django.utils import timezone

from sciweek.organizations.notify import notify_organization
from sciweek.organizations.selectors import reach_of

from .models import NoticeRecipient


def reach(delivery: NoticeRecipient, *, kind: str, template: str, now=None, skip=None) -> int:
    """Queue ``template`` to everyone of the recipient; stamp ``reached_at`` the first time a
    message is queued. ``skip``: addresses already written to in this event (see
    ``notify_organization``); a recipient whose people all had the message is reached too.
    Returns how many messages were queued. The caller saves nothing."""
    emails, mobiles = reach_of(delivery.organization)
    messages = notify_organization(
        kind=kind,
        organization=delivery.organization,
        template=template,
        context={"notice": delivery.notice},
        skip=skip,
    )
    if (emails or mobiles) and delivery.reached_at is None:
        delivery.reached_at = now or timezone.now()
        NoticeRecipient.objects.filter(pk=delivery.pk).update(reached_at=delivery.reached_at)
    return len(messages)


def mark_read(notice, organizations) -> None:
    """Someone of these organisations opened the notice: the first time is kept."""
    NoticeRecipient.objects.filter(
        notice=notice, organization__in=organizations, read_at__isnull=True
    ).update(read_at=timezone.now())
