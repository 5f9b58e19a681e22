"""Automatic RSVP reminders (回执提醒): each invitee who has not answered is reminded N days
before the deadline, for each N of CEREMONY_RSVP_REMINDER_DAYS (default 3 and 1).

Exactly once: a reminder is a ``RsvpReminder`` row, unique per guest and step, written in the
same transaction as the queued SMS, with the guest's row locked (skipped if another run holds
it). Two runs at once, or a run repeated, send nothing twice. A run that comes late (the
3-day step missed, the 1-day one due) sends one message, the nearest step, and records the
missed ones as skipped; so does a guest invited or reminded by hand since the step came due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sciweek.audit import writer as audit

from .enums import GuestState
from .models import Ceremony, Guest, RsvpReminder
from .services import remind_guest


def reminder_days(raw=None) -> tuple[int, ...]:
    """The steps, nearest last: "3,1" → (3, 1). Blanks and non-positive numbers are dropped."""
    raw = settings.CEREMONY_RSVP_REMINDER_DAYS if raw is None else raw
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",")]
    days = {int(part) for part in raw if str(part).strip().isdigit() and int(part) > 0}
    return tuple(sorted(days, reverse=True))


def _remind_one(guest_id: int, step: int, missed: list[int], since: datetime, now) -> bool:
    with transaction.atomic():
        guest = (
            Guest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("ceremony")
            .filter(pk=guest_id, state=GuestState.INVITED)
            .first()
        )
        if guest is None:
            return False
        # Invited, or reminded by hand, since this step came due: the step counts as done and
        # nothing is sent (an invitation and a reminder an hour apart would be noise).
        send = guest.created_at < since and not (guest.reminded_at and guest.reminded_at >= since)
        try:
            with transaction.atomic():
                RsvpReminder.objects.create(guest=guest, days_before=step, sent=send)
        except IntegrityError:
            return False  # another run recorded it first
        RsvpReminder.objects.bulk_create(
            [RsvpReminder(guest=guest, days_before=n, sent=False) for n in missed],
            ignore_conflicts=True,
        )
        if not send:
            return False
        remind_guest(guest)
        guest.reminded_at = now
        guest.save(update_fields=["reminded_at"])
        return True


def remind_rsvps(*, now: datetime | None = None, days: tuple[int, ...] | None = None) -> int:
    """Send the reminders that are due now to every unanswered invitee of every ceremony whose
    deadline is still ahead. Returns how many reminders were sent. Writes one
    ``ceremony.auto_remind`` audit entry per ceremony that reminded anyone."""
    now = now or timezone.now()
    steps = reminder_days() if days is None else days
    if not steps:
        return 0
    total = 0
    open_ceremonies = Ceremony.objects.filter(
        rsvp_deadline__gt=now, rsvp_deadline__lte=now + timedelta(days=max(steps))
    ).order_by("pk")
    for ceremony in open_ceremonies:
        due = sorted(n for n in steps if now >= ceremony.rsvp_deadline - timedelta(days=n))
        step, missed = due[0], due[1:]
        since = ceremony.rsvp_deadline - timedelta(days=step)
        waiting = (
            Guest.objects.filter(ceremony=ceremony, state=GuestState.INVITED)
            .exclude(reminders__days_before__lte=step)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        sent = sum(_remind_one(pk, step, missed, since, now) for pk in list(waiting))
        if sent:
            audit.record(
                actor=None, action="ceremony.auto_remind", obj=ceremony,
                after={"reminded": sent, "days_before": step},
            )  # fmt: skip
        total += sent
    return total
