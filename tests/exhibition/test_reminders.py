"""Automatic RSVP reminders: each unanswered invitee is reminded N days before the deadline for
each configured N, once, whatever the number of runs (or parallel runs)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.exhibition import services
from sciweek.exhibition.enums import GuestState
from sciweek.exhibition.models import Guest, RsvpReminder
from sciweek.exhibition.reminders import remind_rsvps, reminder_days
from sciweek.notifications.models import OutboxMessage
from tests.bookings.gate_builders import run_together
from tests.world import fresh

from .conftest import guest_of

pytestmark = pytest.mark.django_db


def deadline_in(w, delta: timedelta):
    """Move the deadline; the guests were invited well before any reminder came due."""
    w.ceremony.rsvp_deadline = timezone.now() + delta
    w.ceremony.save(update_fields=["rsvp_deadline"])
    Guest.objects.update(created_at=timezone.now() - timedelta(days=30))


def reminded():
    return sorted(
        OutboxMessage.objects.filter(kind="guest.reminder").values_list("recipient", flat=True)
    )


def test_steps_come_from_the_setting():
    assert settings.CEREMONY_RSVP_REMINDER_DAYS == "3,1"
    assert reminder_days() == (3, 1)
    assert reminder_days(" 1, 7,x,0,3 ") == (7, 3, 1)
    assert reminder_days("") == ()


def test_each_step_is_sent_once_to_those_who_have_not_answered(world):
    services.guest_answer(guest=world.leader, action="decline")
    deadline_in(world, timedelta(days=2, hours=20))  # the 3-day step is due
    assert remind_rsvps() == 1
    assert remind_rsvps() == 0  # a second run sends nothing
    assert reminded() == [world.guest.mobile]
    sms = OutboxMessage.objects.get(kind="guest.reminder")
    assert f"/ceremony/rsvp/{world.guest.token}/" in sms.body
    assert list(RsvpReminder.objects.values_list("guest_id", "days_before", "sent")) == [
        (world.guest.pk, 3, True)
    ]
    entry = AuditEntry.objects.get(action="ceremony.auto_remind")
    assert (entry.actor, entry.changes) == (None, {"reminded": [None, 1], "days_before": [None, 3]})
    # Two days later the 1-day step is due: a second, last reminder.
    later = timezone.now() + timedelta(days=2)
    assert remind_rsvps(now=later) == 1
    assert remind_rsvps(now=later) == 0
    assert reminded() == [world.guest.mobile, world.guest.mobile]


def test_nothing_before_the_first_step_or_after_the_deadline(world):
    deadline_in(world, timedelta(days=3, hours=1))
    assert remind_rsvps() == 0
    deadline_in(world, timedelta(hours=-1))
    assert remind_rsvps() == 0
    assert reminded() == [] and RsvpReminder.objects.count() == 0


def test_a_late_run_sends_one_message_and_records_the_missed_step(world):
    deadline_in(world, timedelta(hours=12))  # both steps are due: only the nearest goes
    assert remind_rsvps() == 2  # the area's student and the organiser's leader
    assert reminded() == sorted([world.guest.mobile, world.leader.mobile])
    assert sorted(
        RsvpReminder.objects.filter(guest=world.guest).values_list("days_before", "sent")
    ) == [(1, True), (3, False)]
    assert remind_rsvps() == 0


def test_a_guest_invited_or_reminded_by_hand_since_the_step_came_due_is_not_reminded_again(
    world,
):
    deadline_in(world, timedelta(days=2))
    services.guests_remind(
        ceremony=world.ceremony, by=fresh(world.organizer_admin), category=world.guest.category
    )
    newcomer = guest_of(world, area=world.area, n=5)  # invited just now
    assert remind_rsvps() == 1  # the leader only
    assert reminded() == sorted([world.guest.mobile, world.leader.mobile])
    assert set(RsvpReminder.objects.filter(sent=False).values_list("guest_id", "days_before")) == {
        (world.guest.pk, 3),
        (newcomer.pk, 3),
    }


def test_answered_guests_are_never_reminded(world):
    services.guest_answer(guest=world.guest, action="attend")
    services.guest_answer(guest=world.leader, action="decline")
    deadline_in(world, timedelta(days=1))
    assert remind_rsvps() == 0
    assert Guest.objects.filter(state=GuestState.INVITED).count() == 0


def test_the_command_and_the_beat_entry(world):
    deadline_in(world, timedelta(hours=20))
    out = StringIO()
    call_command("remind_rsvps", stdout=out)
    assert out.getvalue() == "reminded 2 guests\n"
    entry = settings.CELERY_BEAT_SCHEDULE["remind-rsvps"]
    assert entry["task"] == "sciweek.exhibition.tasks.remind_rsvps"
    from sciweek.exhibition.tasks import remind_rsvps as task

    assert task.name == entry["task"]
    call_command("remind_rsvps", stdout=out)
    assert reminded() == sorted([world.guest.mobile, world.leader.mobile])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_runs_send_each_reminder_once(world):
    for n in range(10, 30):
        guest_of(world, kind="enterprise", n=n)
    deadline_in(world, timedelta(hours=20))
    results = run_together([remind_rsvps for _ in range(6)])
    assert sum(results) == 22, results
    assert len(reminded()) == 22 and len(set(reminded())) == 22
    assert RsvpReminder.objects.filter(days_before=1, sent=True).count() == 22
