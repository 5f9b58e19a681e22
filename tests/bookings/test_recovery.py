"""Ticket recovery without the ticket: an SMS code to the mobile number lists its tickets; the
page answers alike for numbers without bookings; limits per number, per address and per code;
and the gate sends the ticket link again to the booker's own number."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.bookings import recovery
from sciweek.bookings.models import LookupCode
from sciweek.bookings.purge import purge_personal_data
from sciweek.common.errors import ServiceError
from sciweek.notifications.models import Channel, OutboxMessage
from tests.bookings.builders import PHONE, phone, req, session_of
from tests.bookings.gate_builders import book, world
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}
LOOKUP = "/tickets/lookup/"


def sent_code(mobile: str = PHONE) -> str:
    message = OutboxMessage.objects.filter(kind="ticket.lookup_code", recipient=mobile).latest("pk")
    assert message.channel == Channel.SMS
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.body).group(1)


def ask(client, number=PHONE, **extra):
    return client.post(LOOKUP, {"step": "send", "phone": number}, **EN, **extra)


def verify(client, code, number=PHONE):
    return client.post(LOOKUP, {"step": "verify", "phone": number, "otp": code}, **EN)


# The page -----------------------------------------------------------------------------------


def test_a_booker_without_the_ticket_finds_it_by_an_sms_code(client):
    from sciweek.bookings import services

    first = services.book(session=session_of(), data=req())
    second = services.book(session=session_of(), data=req())
    other = services.book(session=session_of(), data=req(phone=phone(7)))

    asked = ask(client, "138 1234 5678")
    assert asked.status_code == 200
    body = asked.content.decode()
    assert 'data-step="verify"' in body and "138****5678" in body
    assert "no-store" in asked["Cache-Control"]
    code = sent_code()
    assert OutboxMessage.objects.get(kind="ticket.lookup_code").params == [
        ["code", code],
        ["minutes", "10"],
    ]

    listed = verify(client, code, "138 1234 5678")

    assert listed.status_code == 200
    html = listed.content.decode()
    assert html.count("data-ticket>") == 2
    assert reverse("bookings:ticket", args=[first.manage_token]) in html
    assert reverse("bookings:ticket", args=[second.manage_token]) in html
    assert other.manage_token not in html
    assert code not in html
    # One use only.
    assert verify(client, code).status_code == 400


def test_a_number_without_bookings_gets_the_same_answer_and_no_sms(client):
    session_of()
    answered = ask(client, phone(5))
    assert answered.status_code == 200
    assert 'data-step="verify"' in answered.content.decode()
    assert not OutboxMessage.objects.filter(kind="ticket.lookup_code").exists()
    refused = verify(client, "123456", phone(5))
    assert refused.status_code == 400
    assert "This code is wrong or has expired" in refused.content.decode()


def test_a_wrong_code_keeps_the_number_and_says_so(client):
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    ask(client)
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"

    refused = verify(client, wrong)

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "This code is wrong or has expired" in html
    assert f'value="{PHONE}"' in html  # the number rides along: nothing to type again
    assert verify(client, code).status_code == 200


def test_bad_input_is_a_clear_400(client):
    assert ask(client, "12345").status_code == 400
    assert "Enter the 11-digit mobile number" in ask(client, "12345").content.decode()
    assert ask(client, "").status_code == 400
    assert verify(client, "").status_code == 400
    assert verify(client, "<script>alert(1)</script>").status_code == 400
    assert ask(client, "1" * 200).status_code == 400


@override_settings(TICKET_LOOKUP_ATTEMPTS=3)
def test_a_code_takes_a_few_guesses_only():
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    recovery.send_lookup_code(phone=PHONE, ip="10.0.0.1")
    code = sent_code()
    for guess in ("000001", "000002", "000003"):
        if guess == code:
            continue
        with pytest.raises(ServiceError):
            recovery.verify_lookup_code(phone=PHONE, code=guess)
    with pytest.raises(ServiceError):  # even the right code, after the guesses
        recovery.verify_lookup_code(phone=PHONE, code=code)


def test_a_code_expires_after_ten_minutes():
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    recovery.send_lookup_code(phone=PHONE, ip=None)
    code = sent_code()
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later), pytest.raises(ServiceError):
        recovery.verify_lookup_code(phone=PHONE, code=code)


@override_settings(TICKET_LOOKUP_CODES_PER_PHONE=2)
def test_codes_per_number_are_limited_whether_or_not_it_booked(client):
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    assert [ask(client).status_code for _ in range(3)] == [200, 200, 429]
    assert OutboxMessage.objects.filter(kind="ticket.lookup_code").count() == 2
    assert [ask(client, phone(9)).status_code for _ in range(3)] == [200, 200, 429]
    assert "Several codes were sent to this number" in ask(client).content.decode()


@override_settings(TICKET_LOOKUP_PER_IP=2)
def test_code_requests_per_address_are_limited(client):
    statuses = [ask(client, phone(n)).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_the_latest_code_counts():
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    recovery.send_lookup_code(phone=PHONE, ip=None)
    first = sent_code()
    recovery.send_lookup_code(phone=PHONE, ip=None)
    latest = sent_code()
    if first != latest:
        with pytest.raises(ServiceError):
            recovery.verify_lookup_code(phone=PHONE, code=first)
    assert len(recovery.verify_lookup_code(phone=PHONE, code=latest)) == 1


def test_codes_and_their_sms_are_purged_after_a_day():
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    recovery.send_lookup_code(phone=PHONE, ip=None)
    assert LookupCode.objects.count() == 1

    purge_personal_data(now=timezone.now() + timedelta(days=1, minutes=1))

    assert LookupCode.objects.count() == 0
    message = OutboxMessage.objects.get(kind="ticket.lookup_code")
    assert (message.recipient, message.body, message.params) == ("", "", [])


def test_the_code_is_not_stored():
    from sciweek.bookings import services

    services.book(session=session_of(), data=req())
    recovery.send_lookup_code(phone=PHONE, ip=None)
    code = sent_code()
    row = LookupCode.objects.get()
    assert code not in row.code_hash and PHONE not in row.phone_key


def test_the_old_lookup_by_ticket_code_still_works(client):
    from sciweek.bookings import services

    booking = services.book(session=session_of(), data=req())
    response = client.post(LOOKUP, {"phone": PHONE, "code": booking.code})
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:ticket", args=[booking.manage_token])


# At the gate --------------------------------------------------------------------------------


@pytest.fixture
def w():
    w = world(capacity=10)
    w.booking = book(w.session, 1)  # mobile 13900000001, no email
    return w


def resend(client, w, number, **extra):
    url = reverse("dashboard:gate-resend", args=[w.session.pk])
    return client.post(url, {"phone": number}, **EN, **extra)


def test_the_gate_sends_the_ticket_link_to_the_bookers_number(client, w):
    client.force_login(w.users[Role.GATE_STAFF])

    answered = resend(client, w, "139 0000 0001", **HTMX)

    assert answered.status_code == 200
    html = answered.content.decode()
    assert 'data-resend="ok"' in html and "139****0001" in html
    assert w.booking.manage_token not in html and w.booking.code not in html
    sms = OutboxMessage.objects.get(kind="booking.resent")
    assert sms.channel == Channel.SMS and sms.recipient == "13900000001"
    assert w.booking.manage_token in sms.body
    entry = AuditEntry.objects.get(action="booking.ticket_resent")
    assert entry.actor == w.users[Role.GATE_STAFF]
    assert entry.changes == {"session": [None, w.session.pk], "booking": [None, w.booking.pk]}
    assert entry.organization_id == w.activity.host_id


def test_the_gate_learns_only_that_a_number_did_not_book_here(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    answered = resend(client, w, phone(2))
    assert answered.status_code == 200
    assert 'data-resend="stop"' in answered.content.decode()
    assert "No booking for this session has this mobile number." in answered.content.decode()
    assert not OutboxMessage.objects.filter(kind="booking.resent").exists()


def test_the_gate_resends_once_a_minute_and_refuses_a_bad_number(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    assert 'data-resend="ok"' in resend(client, w, "13900000001").content.decode()
    again = resend(client, w, "13900000001").content.decode()
    assert 'data-resend="hint"' in again and "a moment ago" in again
    bad = resend(client, w, "abc").content.decode()
    assert 'data-resend="hint"' in bad and "11-digit" in bad
    assert OutboxMessage.objects.filter(kind="booking.resent").count() == 1


def test_the_gate_page_offers_the_resend_form(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    page = client.get(reverse("dashboard:gate-session", args=[w.session.pk]), **EN)
    assert reverse("dashboard:gate-resend", args=[w.session.pk]) in page.content.decode()
