"""Who hears what on which channel (bookings.messages.channels, the one decision) and the
day-before reminder, sent once."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus, CancelledBy
from sciweek.bookings.messages import KINDS, URGENT, channels
from sciweek.bookings.models import Booking
from sciweek.notifications.models import OutboxMessage
from sciweek.notifications.services import send_pending

from .builders import PHONE, phone, req, session_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("email", "mobile", "both"),
    [
        ("a@example.test", "", False),
        ("", PHONE, False),
        ("a@example.test", PHONE, False),
        ("a@example.test", PHONE, True),
        ("", PHONE, True),
    ],
)
def test_channels(kind, email, mobile, both):
    session = session_of()
    session.activity.edition.booker_sms_always = both
    booking = services.book(session=session, data=req(email=email, phone=mobile or phone(9)))
    booking.phone = mobile
    expected_sms = bool(mobile) and (not email or kind in URGENT or both)
    assert channels(booking, kind) == (bool(email), expected_sms)


def test_urgent_kinds_are_the_news_that_cannot_wait():
    # "resent": the visitor stands at the gate without the ticket.
    assert {"promoted", "changed", "cancelled", "resent"} == URGENT


def test_a_booking_with_only_a_mobile_writes_an_sms_row_the_console_sends(settings, caplog):
    settings.SMS_GATEWAY, settings.SMS_BACKEND = "", "console"
    session = session_of()
    booking = services.book(session=session, data=req(phone=phone(3)))
    (row,) = OutboxMessage.objects.all()
    assert (row.kind, row.channel, row.recipient) == ("booking.confirmed", "sms", phone(3))
    activity = session.activity
    when = f"{timezone.localtime(session.starts_at):%m-%d %H:%M}"
    link = f"{settings.SITE_URL}/tickets/{booking.manage_token}/"
    assert row.body == f"预约成功：{activity.title}，{when}，{activity.venue_name}。电子票：{link}"
    assert dict(row.params) == {
        "activity": activity.title,
        "time": when,
        "venue": activity.venue_name,
        "link": link,
        "position": "",
        "reason": "",
    }
    with caplog.at_level("INFO", logger="sciweek.sms"):
        send_pending()
    row.refresh_from_db()
    assert row.status == "sent"
    assert "SMS to 139****0003" in caplog.text


def test_the_organiser_may_text_bookers_who_gave_an_email_too():
    session = session_of()
    edition = session.activity.edition
    edition.booker_sms_always = True
    edition.save()
    services.book(session=session, data=req(email="a@example.test"))
    assert set(OutboxMessage.objects.values_list("channel", "recipient")) == {
        ("email", "a@example.test"),
        ("sms", PHONE),
    }


def noon_the_day_before(session):
    day = timezone.localtime(session.starts_at).date() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_the_reminder_goes_the_day_before_once_with_the_ticket_link():
    session = session_of(capacity=3)
    by_mail = services.book(session=session, data=req(phone=phone(1), email="m@example.test"))
    by_sms = services.book(session=session, data=req(phone=phone(2)))
    gone = services.book(session=session, data=req(phone=phone(3)))
    services.booking_cancel(booking=gone, by=CancelledBy.BOOKER)
    later = session_of(
        session.activity, capacity=3, starts_at=session.starts_at + timedelta(days=1)
    )
    services.book(session=later, data=req(phone=phone(4)))
    OutboxMessage.objects.all().delete()
    now = noon_the_day_before(session)

    assert services.remind_tomorrow(now=now - timedelta(days=1)) == 0  # two days before
    assert services.remind_tomorrow(now=now) == 2
    assert services.remind_tomorrow(now=now) == 0
    out = StringIO()
    call_command("remind_bookings", stdout=out)
    assert out.getvalue().strip() == "reminded 0 bookings"

    rows = OutboxMessage.objects.filter(kind="booking.reminder")
    assert set(rows.values_list("channel", "recipient")) == {
        ("email", "m@example.test"),
        ("sms", phone(2)),
    }
    for booking in (by_mail, by_sms):
        booking.refresh_from_db()
        assert booking.reminded_at is not None
        row = rows.get(recipient=booking.email or booking.phone)
        assert f"/tickets/{booking.manage_token}/" in row.body
    assert rows.get(channel="email").subject == f"明天：{session.activity.title}"


def test_a_waiting_or_checked_in_booking_is_not_reminded():
    session = session_of(capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    waiting = services.book(session=session, data=req(phone=phone(2)))
    assert waiting.status == BookingStatus.WAITING
    Booking.objects.filter(status=BookingStatus.CONFIRMED).update(checked_in_at=timezone.now())
    assert services.remind_tomorrow(now=noon_the_day_before(session)) == 0


def test_the_reminder_task_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-bookings"]
    assert entry["task"] == "sciweek.bookings.tasks.remind_tomorrow"
