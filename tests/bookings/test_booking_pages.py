"""The public booking pages: form, widget fragment, e-ticket, QR, ticket PNG, calendar entry,
cancellation and look-up. Personal data never appears unmasked in any page."""

import io
from datetime import timedelta

import pytest
import segno
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sciweek.activities.models import Session
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking
from sciweek.bookings.tickets import qr_png

from .builders import EN, PHONE, TEST_ID, open_day, phone, req, session_of

pytestmark = pytest.mark.django_db

GOOD = {"name": "张三丰", "phone": PHONE, "email": "zhang@example.test", "consent": "on"}


def book_url(session) -> str:
    return reverse("bookings:book", args=[session.pk])


def ticket_url(booking, name: str = "ticket") -> str:
    return reverse(f"bookings:{name}", args=[booking.manage_token])


def assert_no_personal_data(body: bytes, *values: str) -> None:
    text = body.decode()
    for value in values:
        assert value not in text, value


def test_form_get_shows_the_fields_with_csrf_and_no_cache(client):
    session = session_of()
    response = client.get(book_url(session), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body
    assert "no-store" in response["Cache-Control"]
    for field in ("name", "phone", "email", "consent", "is_minor", "guardian_name"):
        assert f'name="{field}"' in body
    for field in ("party_size", "group_name", "id_number", "id_type", "id_consent"):
        assert f'name="{field}"' not in body
    assert "10 of 10 places left" in body
    assert "Version 1" in body  # the consent text shown is the versioned one


def test_form_asks_for_group_and_id_only_where_the_activity_does(client):
    session = session_of(open_day(max_group_size=40, id_number_required=True))
    body = client.get(book_url(session), **EN).content.decode()
    for field in ("party_size", "group_name", "id_number", "id_type", "id_consent"):
        assert f'name="{field}"' in body
    assert "up to 40 people" in body
    assert "第二十八条" in body  # the separate ID consent text


@pytest.mark.parametrize(
    "fields", [{"booking_required": False}, {"state": "draft"}, {"state": "cancelled"}]
)
def test_form_for_a_session_not_taking_bookings_is_404(client, fields):
    session = session_of(open_day(**fields))
    assert client.get(book_url(session)).status_code == 404
    assert client.post(book_url(session), GOOD).status_code == 404


def test_bad_input_400_with_errors_beside_fields_and_values_kept(client):
    session = session_of()
    data = {"name": "张三丰", "phone": "12345", "email": "kept@example.test"}
    response = client.post(book_url(session), data, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter an 11-digit mobile number, e.g. 13812345678." in body
    assert "Please agree to how your information is used." in body
    assert 'value="张三丰"' in body and 'value="12345"' in body
    assert 'value="kept@example.test"' in body
    assert 'aria-invalid="true"' in body
    assert Booking.objects.count() == 0


def test_bad_input_messages_in_chinese_by_default(client):
    response = client.post(book_url(session_of()), {"phone": PHONE, "consent": "on"})
    assert response.status_code == 400
    assert "请填写参加人姓名。" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"party_size": "abc"},
        {"party_size": "-3"},
        {"party_size": "99999999999999999999"},
        {"name": "<script>alert(1)</script>", "phone": "<b>x"},
        {"name": "王" * 500},
        {"id_type": "../../etc/passwd", "id_number": TEST_ID, "id_consent": "on"},
        {"email": "=cmd|' /C calc'!A0"},
    ],
)
def test_hostile_input_is_a_clear_4xx(client, data):
    session = session_of(open_day(max_group_size=5, id_number_required=True))
    response = client.post(book_url(session), {**GOOD, **data}, **EN)
    assert response.status_code == 400
    assert b"<script>" not in response.content and b"<b>x" not in response.content
    assert Booking.objects.count() == 0


def test_markup_in_a_name_is_shown_as_text(client):
    session = session_of()
    client.post(book_url(session), {**GOOD, "name": "<i>王</i>"})
    booking = Booking.objects.get()
    body = client.get(ticket_url(booking)).content.decode()
    assert "<i>" not in body and "&lt;" in body


def test_id_number_invalid_is_not_echoed_back(client):
    session = session_of(open_day(id_number_required=True))
    data = {**GOOD, "id_type": "passport", "id_number": "110105194912310021", "id_consent": "on"}
    data["id_type"] = "resident_id"
    response = client.post(book_url(session), data, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "This resident ID number is not valid: check its 18 characters." in body
    assert "110105194912310021" not in body  # sensitive: typed again, never sent back
    assert "please enter it once more" in body
    assert 'value="张三丰"' in body and '<option value="resident_id" selected>' in body


def test_success_redirects_to_the_ticket(client):
    session = session_of()
    response = client.post(book_url(session), GOOD, **EN)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ticket_url(booking)
    assert booking.status == BookingStatus.CONFIRMED
    page = client.get(response["Location"], **EN)
    assert "Booked. This is your e-ticket" in page.content.decode()


def test_group_booking_by_a_teacher(client):
    session = session_of(open_day(max_group_size=50), capacity=60)
    data = {**GOOD, "party_size": "45", "group_name": "实验小学四年级一班"}
    assert client.post(book_url(session), data).status_code == 302
    booking = Booking.objects.get()
    assert (booking.party_size, booking.group_name) == (45, "实验小学四年级一班")
    assert Session.objects.get(pk=session.pk).places_taken == 45


def test_party_larger_than_the_group_limit_refused(client):
    session = session_of(open_day(max_group_size=5))
    response = client.post(book_url(session), {**GOOD, "party_size": "6", "group_name": "x"}, **EN)
    assert response.status_code == 400
    assert "One booking may cover at most 5 people." in response.content.decode()


def test_child_booking_needs_the_guardian(client):
    session = session_of()
    response = client.post(book_url(session), {**GOOD, "is_minor": "on"}, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "A child under 14 needs a guardian&#x27;s name." in body
    assert '<details class="guardian mb-3" open>' in body
    data = {**GOOD, "is_minor": "on", "guardian_name": "张妈妈", "guardian_consent": "on"}
    assert client.post(book_url(session), data).status_code == 302
    booking = Booking.objects.get()
    assert booking.is_minor and booking.guardian_consent_version == 1


def test_full_session_409_with_a_clear_message(client):
    session = session_of(open_day(waitlist_enabled=False), capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    response = client.post(book_url(session), GOOD, **EN)
    assert response.status_code == 409
    assert "Sorry, this session is full." in response.content.decode()


def test_duplicate_409(client):
    session = session_of()
    services.book(session=session, data=req())
    response = client.post(book_url(session), GOOD, **EN)
    assert response.status_code == 409
    assert "This person already has a booking for this session." in response.content.decode()
    assert 'value="张三丰"' in response.content.decode()


def test_closed_session_page_says_so_and_post_is_409(client):
    session = session_of(booking_closed=True)
    body = client.get(book_url(session), **EN).content.decode()
    assert "Booking for this session is closed." in body and 'name="phone"' not in body
    response = client.post(book_url(session), GOOD, **EN)
    assert response.status_code == 409


def test_full_with_waiting_list_joins_it_and_shows_position(client):
    session = session_of(capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    body = client.get(book_url(session), **EN).content.decode()
    assert "Join the waiting list" in body
    response = client.post(book_url(session), GOOD, **EN)
    assert response.status_code == 302
    page = client.get(response["Location"], **EN).content.decode()
    assert "On the waiting list: number 1 in line" in page


@override_settings(BOOKING_RATE_PER_IP=2, BOOKING_RATE_PER_PHONE=100)
def test_rate_limited_429(client):
    session = session_of()
    for n in range(2):
        client.post(book_url(session), {**GOOD, "phone": phone(n)})
    response = client.post(book_url(session), {**GOOD, "phone": phone(7)}, **EN)
    assert response.status_code == 429
    assert "Too many booking attempts from your network." in response.content.decode()
    assert not Booking.objects.filter(phone=phone(7)).exists()


def test_ticket_page_masks_personal_data(client):
    session = session_of(open_day(id_number_required=True, title="研究院开放日"))
    booking = services.book(
        session=session,
        data=req(name="欧阳娜娜", id_number=TEST_ID, id_consent=True, email="ouyang@example.test"),
    )
    response = client.get(ticket_url(booking), **EN)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content
    assert_no_personal_data(body, "欧阳娜娜", TEST_ID, PHONE, "ouyang@example.test")
    text = body.decode()
    assert "欧**娜" in text and "138****5678" in text and "110105********002X" in text
    assert booking.code[:5] in text and f'data-code="{booking.code}"' in text
    assert "研究院开放日" in text and "Booking confirmed" in text
    assert ticket_url(booking, "ticket-qr") in text
    assert '<meta name="robots" content="noindex">' in text


def test_every_page_of_the_journey_masks_personal_data(client):
    """Ticket, cancel page, widget, the 409 page: the full ID number never shows, and the phone
    only in the form field the booker is still filling in."""
    session = session_of(open_day(id_number_required=True))
    data = {**GOOD, "id_type": "resident_id", "id_number": TEST_ID, "id_consent": "on"}
    bodies = [client.post(book_url(session), data, follow=True).content]
    booking = Booking.objects.get()
    bodies.append(client.get(ticket_url(booking, "cancel")).content)
    bodies.append(client.get(reverse("bookings:widget", args=[session.pk])).content)
    for body in bodies:
        assert_no_personal_data(body, TEST_ID, PHONE, "zhang@example.test")
    again = client.post(book_url(session), data)  # the duplicate's 409 page
    assert again.status_code == 409
    assert_no_personal_data(again.content, TEST_ID)


def test_unknown_ticket_token_404(client):
    assert client.get(reverse("bookings:ticket", args=["nope" * 8])).status_code == 404
    assert client.get(reverse("bookings:ticket-qr", args=["nope" * 8])).status_code == 404


def test_qr_is_a_png_holding_only_the_code(client):
    booking = services.book(session=session_of(), data=req())
    response = client.get(ticket_url(booking, "ticket-qr"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == qr_png(booking.code)
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == image.height
    assert segno.make(booking.code, error="m").designator == segno.make(booking.code).designator


def test_ticket_png_download(client):
    booking = services.book(session=session_of(), data=req())
    response = client.get(ticket_url(booking, "ticket-png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="ticket-{booking.code}.png"'
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (750, 1180)


def test_ticket_calendar_entry_for_this_session_only(client):
    activity = open_day(title="化工研究院开放日")
    session = session_of(activity)
    session_of(activity, starts_at=session.starts_at + timedelta(days=1))
    booking = services.book(session=session, data=req())
    response = client.get(ticket_url(booking, "ticket-ics"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert f"UID:session-{session.pk}@sciweek" in text and "化工研究院开放日" in text


def test_cancel_works_once(client):
    session = session_of(capacity=1)
    booking = services.book(session=session, data=req())
    waiting = services.book(session=session, data=req(phone=phone(1)))
    confirm = client.get(ticket_url(booking, "cancel"), **EN)
    assert confirm.status_code == 200 and 'name="csrfmiddlewaretoken"' in confirm.content.decode()
    response = client.post(ticket_url(booking, "cancel"), **EN)
    assert response.status_code == 302 and response["Location"] == ticket_url(booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == "booker"
    assert Booking.objects.get(pk=waiting.pk).status == BookingStatus.CONFIRMED
    page = client.get(ticket_url(booking), **EN).content.decode()
    assert "Your booking is cancelled." in page and "Cancel my booking" not in page
    again = client.post(ticket_url(booking, "cancel"), **EN)
    assert again.status_code == 409
    assert "This booking is already cancelled." in again.content.decode()


def test_cancel_needs_csrf():
    from django.test import Client

    booking = services.book(session=session_of(), data=req())
    client = Client(enforce_csrf_checks=True)
    assert client.post(ticket_url(booking, "cancel")).status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_lookup_finds_the_ticket(client):
    booking = services.book(session=session_of(), data=req())
    url = reverse("bookings:lookup")
    assert client.get(url).status_code == 200
    response = client.post(url, {"phone": "+86 138 1234 5678", "code": booking.code.lower()})
    assert response.status_code == 302 and response["Location"] == ticket_url(booking)
    spaced = f"{booking.code[:5]} {booking.code[5:]}"
    assert client.post(url, {"phone": PHONE, "code": spaced})["Location"] == ticket_url(booking)


def test_lookup_says_the_same_for_unknown_code_and_wrong_phone(client):
    booking = services.book(session=session_of(), data=req())
    url = reverse("bookings:lookup")
    wrong_phone = client.post(url, {"phone": phone(3), "code": booking.code}, **EN)
    unknown = client.post(url, {"phone": PHONE, "code": "ZZZZZZZZZZ"}, **EN)
    assert wrong_phone.status_code == unknown.status_code == 404
    message = "No booking matches this mobile number and ticket code."
    assert message in wrong_phone.content.decode() and message in unknown.content.decode()
    assert booking.manage_token not in wrong_phone.content.decode()


@override_settings(BOOKING_RATE_PER_IP=3)
def test_lookup_rate_limited(client):
    url = reverse("bookings:lookup")
    statuses = [
        client.post(url, {"phone": PHONE, "code": f"ABCDE{n}"}).status_code for n in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_widget_shows_live_places_and_state(client):
    session = session_of(capacity=3)
    url = reverse("bookings:widget", args=[session.pk])
    response = client.get(url, **EN)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "3 of 3 places left" in body and 'data-booking-state="open"' in body
    assert book_url(session) in body
    for n in range(3):
        services.book(session=session, data=req(phone=phone(n)))
    body = client.get(url, **EN).content.decode()
    assert "0 of 3 places left" in body and 'data-booking-state="waitlist"' in body
    assert "Full — waiting list available" in body


def test_widget_states_full_not_yet_and_closed(client):
    full = session_of(open_day(waitlist_enabled=False), capacity=1)
    services.book(session=full, data=req())
    opens = timezone.now() + timedelta(days=1)
    later = session_of(booking_opens_at=opens)
    closed = session_of(booking_closed=True)
    expect = {full: "full", later: "not_yet", closed: "closed"}
    for session, state in expect.items():
        body = client.get(reverse("bookings:widget", args=[session.pk]), **EN).content.decode()
        assert f'data-booking-state="{state}"' in body
        assert book_url(session) not in body
    body = client.get(reverse("bookings:widget", args=[later.pk]), **EN).content.decode()
    assert "Booking opens" in body


def test_cached_activity_page_loads_the_widget_and_holds_no_live_number(client):
    session = session_of(capacity=7)
    url = reverse("showcase:activity-detail", args=[session.activity_id])
    widget = reverse("bookings:widget", args=[session.pk])
    first = client.get(url, **EN)
    body = first.content.decode()
    assert f'hx-get="{widget}"' in body and 'hx-trigger="load"' in body
    assert f'<noscript><a class="btn btn-primary px-4 py-2" href="{book_url(session)}">' in body
    assert "places left" not in body
    services.book(session=session, data=req())
    second = client.get(url, **EN)
    assert second["ETag"] == first["ETag"]  # still the cached page
    assert "6 of 7 places left" in client.get(widget, **EN).content.decode()


def test_widget_for_a_session_not_taking_bookings_is_404(client):
    session = session_of(open_day(booking_required=False))
    assert client.get(reverse("bookings:widget", args=[session.pk])).status_code == 404


def test_cancel_page_says_what_cancelling_does_for_a_place_and_a_waiting_booking(client):
    session = session_of(capacity=1)
    booking = services.book(session=session, data=req())
    waiting = services.book(session=session, data=req(phone=phone(1)))
    place = client.get(ticket_url(booking, "cancel")).content.decode()
    assert "您的名额将转给候补第一位，取消后不可恢复。" in place
    queue = client.get(ticket_url(waiting, "cancel")).content.decode()
    assert "您将退出候补名单，取消后不可恢复。" in queue
    assert "候补第一位" not in queue


def test_ticket_calls_the_booker_by_their_name_not_a_title(client):
    booking = services.book(session=session_of(), data=req())
    page = client.get(ticket_url(booking)).content.decode()
    assert '<dt class="col-4">姓名</dt>' in page
