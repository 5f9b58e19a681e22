"""The purge leaves nothing of a purged booker anywhere: a booking is made through the page, its
mail sent, its ticket looked at; after the purge every table and the media folders are searched
for each piece of what the booker typed or was given."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sciweek.activities.models import Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings import services
from sciweek.bookings.enums import CancelledBy
from sciweek.bookings.models import Booking
from sciweek.notifications.models import OutboxMessage, OutboxStatus

from .builders import host_admin, open_day, req, resident_id, session_of

pytestmark = pytest.mark.django_db

BOOKER = {
    "name": "欧阳修远",
    "phone": "13912345678",
    "email": "ouyang.xiuyuan@example.test",
    "id_type": "resident_id",
    "consent": "on",
    "id_consent": "on",
    "is_minor": "on",
    "guardian_name": "欧阳正德",
    "guardian_consent": "on",
}


def every_value() -> list[tuple[str, str, str]]:
    """(table, column, text) for every text value in every table."""
    found = []
    for model in apps.get_models():
        for row in model.objects.values():
            for column, value in row.items():
                if value not in (None, ""):
                    found.append((model._meta.db_table, column, str(value)))
    return found


def every_file() -> list[tuple[Path, bytes]]:
    roots = {Path(settings.MEDIA_ROOT), Path(storages["private"].location)}
    return [
        (path, path.read_bytes())
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    ]


def end_long_ago(session):
    past = timezone.now() - timedelta(days=31)
    Session.objects.filter(pk=session.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)


def test_a_purged_booker_is_found_nowhere(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    session = session_of(open_day(id_number_required=True))
    id_number = resident_id(seq=321)
    response = client.post(
        reverse("bookings:book", args=[session.pk]), {**BOOKER, "id_number": id_number}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    booking = Booking.objects.get()
    ticket = response["Location"]
    for url in (ticket, f"{ticket}qr.png", f"{ticket}ticket.png", f"{ticket}calendar.ics"):
        assert client.get(url).status_code == 200
    call_command("send_outbox", verbosity=0)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.SENT
    secrets = {
        "name": BOOKER["name"],
        "phone": BOOKER["phone"],
        "email": BOOKER["email"],
        "email user": "ouyang.xiuyuan",
        "guardian": BOOKER["guardian_name"],
        "id number": id_number,
        "masked id number": booking.id_number_masked,
        "encrypted id number": booking.id_number_encrypted,
        "id keyed hash": booking.person_key,
        "ticket code": booking.code,
        "manage link": booking.manage_token,
    }
    # Before the purge each of them is somewhere (so the search below can fail), except the ID
    # number itself, which is never stored in the clear.
    values = every_value()
    for label, secret in secrets.items():
        assert any(secret in text for _t, _c, text in values) == (label != "id number"), label
    assert secrets["manage link"] in message.body and secrets["name"] in message.body

    end_long_ago(session)
    assert services.purge_personal_data(days=30) == 1

    leaks = [
        (label, table, column)
        for table, column, text in every_value()
        for label, secret in secrets.items()
        if secret in text
    ]
    assert leaks == []
    file_leaks = [
        (label, path)
        for path, content in every_file()
        for label, secret in secrets.items()
        if secret.encode() in content
    ]
    assert file_leaks == []

    booking.refresh_from_db()
    assert booking.name == "欧**远"
    assert booking.personal_data_purged_at is not None
    message.refresh_from_db()
    assert (message.recipient, message.body, message.status) == ("", "", OutboxStatus.SENT)
    # The old links lead nowhere.
    assert client.get(ticket).status_code == 404


def test_a_pending_mail_of_a_purged_booking_is_not_sent(settings):
    session = session_of()
    booking = services.book(
        session=session,
        data=services.BookingRequest(
            name="张三丰", phone="13812345678", email="z@example.test", consent=True
        ),
    )
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    end_long_ago(session)
    assert services.purge_personal_data(days=30) == 1
    message.refresh_from_db()
    assert (message.recipient, message.body, message.status) == ("", "", OutboxStatus.FAILED)
    booking.refresh_from_db()
    assert booking.email == "" and booking.name == "张*丰"


def test_the_purge_keeps_other_bookers_mail(settings):
    kept_session, gone_session = session_of(), session_of()
    data = {"phone": "13812345678", "email": "same@example.test", "consent": True}
    kept = services.book(session=kept_session, data=services.BookingRequest(name="李四", **data))
    services.book(session=gone_session, data=services.BookingRequest(name="李四", **data))
    end_long_ago(gone_session)
    assert services.purge_personal_data(days=30) == 1
    kept_mail = OutboxMessage.objects.exclude(body="").get()
    assert kept_mail.recipient == "same@example.test"
    assert kept.manage_token in kept_mail.body


def test_an_organisers_cancellation_leaves_no_ticket_code_in_the_log():
    session = session_of()
    booking = services.book(session=session, data=req(name="欧阳修远"))
    code = booking.code
    services.booking_cancel(
        booking=booking,
        by=CancelledBy.ORGANISER,
        actor=host_admin(session.activity),
        reason="重复",
    )
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert entry.object_repr == f"{session.activity} · {session} · #{booking.pk}"
    end_long_ago(session)
    assert services.purge_personal_data(days=30) == 1
    leaks = [
        (table, column)
        for table, column, text in every_value()
        for secret in (code, "欧阳修远", booking.manage_token)
        if secret in text
    ]
    assert leaks == []


def test_entries_written_before_the_log_named_bookings_by_number_lose_their_ticket_codes():
    from importlib import import_module

    rewrite = import_module("sciweek.bookings.migrations.0006_audit_entries_without_ticket_codes")
    session = session_of()
    booking = services.book(session=session, data=req(name="欧阳修远"))
    old = AuditEntry.objects.create(action="booking.cancel", object_repr=f"开放日 · {booking.code}")
    gone = AuditEntry.objects.create(action="booking.cancel", object_repr="开放日 · 23456789AB")
    other = AuditEntry.objects.create(action="activity.approve", object_repr="开放日 · 23456789AB")
    rewrite.forwards(apps, None)
    for entry in (old, gone, other):
        entry.refresh_from_db()
    assert old.object_repr == f"开放日 · #{booking.pk}"
    assert gone.object_repr == "开放日"
    assert other.object_repr == "开放日 · 23456789AB"  # not a booking's line: left as written
