"""``POST /api/v1/sessions/{id}/bookings/``: every status, the error shape, the languages,
masking in responses and logs."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from sciweek.bookings import services
from sciweek.bookings.models import Booking
from sciweek.notifications.models import OutboxMessage

from .builders import PHONE, TEST_ID, open_day, phone, req, resident_id, session_of

pytestmark = pytest.mark.django_db

BODY = {"name": "张三丰", "phone": PHONE, "consent": True}


@pytest.fixture
def api():
    return APIClient()


def url(session) -> str:
    return reverse("api:session-bookings", args=[session.pk])


def test_201_confirmed(api):
    session = session_of()
    response = api.post(url(session), {**BODY, "email": "z@example.test"}, format="json")
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert response.json() == {
        "status": "confirmed",
        "code": booking.code,
        "position": None,
        "manage_url": f"http://testserver/tickets/{booking.manage_token}/",
        "name": "张*丰",
        "party_size": 1,
        "session": session.pk,
    }
    assert OutboxMessage.objects.filter(kind="booking.confirmed").count() == 1


def test_202_waiting_list_with_position(api):
    session = session_of(capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    services.book(session=session, data=req(phone=phone(2)))
    response = api.post(url(session), BODY, format="json")
    assert response.status_code == 202
    data = response.json()
    assert (data["status"], data["position"], data["code"]) == ("waiting", 2, None)
    booking = Booking.objects.get(phone=PHONE)
    assert data["manage_url"].endswith(f"/tickets/{booking.manage_token}/")


def test_409_full_without_waiting_list(api):
    session = session_of(open_day(waitlist_enabled=False), capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    response = api.post(url(session), BODY, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json() == {"code": "full", "detail": "Sorry, this session is full."}


def test_409_full_in_chinese_by_default(api):
    session = session_of(open_day(waitlist_enabled=False), capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    response = api.post(url(session), BODY, format="json")
    assert response.json() == {"code": "full", "detail": "抱歉，本场次已约满。"}


def test_409_booking_closed(api):
    session = session_of(booking_closed=True)
    response = api.post(url(session), BODY, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json() == {
        "code": "booking_closed",
        "detail": "Booking for this session is closed.",
    }


def test_409_already_booked(api):
    session = session_of()
    assert api.post(url(session), BODY, format="json").status_code == 201
    response = api.post(url(session), BODY, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json() == {
        "code": "already_booked",
        "detail": "This person already has a booking for this session.",
    }


def test_409_booking_not_offered(api):
    session = session_of(open_day(booking_required=False))
    response = api.post(url(session), BODY, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "booking_not_offered"


def test_400_field_errors_in_chinese_by_default(api):
    session = session_of()
    response = api.post(url(session), {"phone": "12345"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "请填写参加人姓名。",
        "errors": {
            "name": ["请填写参加人姓名。"],
            "phone": [response.json()["errors"]["phone"][0]],
            "consent": [response.json()["errors"]["consent"][0]],
        },
    }
    for messages in response.json()["errors"].values():
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages
    assert Booking.objects.count() == 0


def test_400_field_errors_in_english_when_asked(api):
    session = session_of()
    response = api.post(url(session), {"phone": "12345"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "Enter the name of the person coming.",
        "errors": {
            "name": ["Enter the name of the person coming."],
            "phone": ["Enter an 11-digit mobile number, e.g. 13812345678."],
            "consent": ["Please agree to how your information is used."],
        },
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "party_size": "many"}, "party_size"),
        ({**BODY, "consent": "perhaps"}, "consent"),
        ({**BODY, "email": "not-an-address"}, "email"),
        ({**BODY, "name": "王" * 51}, "name"),
        ({**BODY, "id_type": "../../etc/passwd"}, "id_type"),
    ],
)
def test_400_wrong_types_in_the_same_shape(api, body, field):
    response = api.post(url(session_of()), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid" and list(data["errors"]) == [field]
    assert data["detail"] == data["errors"][field][0]


def test_400_not_an_object(api):
    response = api.post(url(session_of()), ["x"], format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_400_group_too_large_and_id_missing(api):
    session = session_of(open_day(max_group_size=30, id_number_required=True))
    body = {**BODY, "party_size": 31, "group_name": "二班"}
    response = api.post(url(session), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"party_size", "id_number", "id_consent"}


def test_group_booking_with_id(api):
    session = session_of(open_day(max_group_size=30, id_number_required=True), capacity=40)
    body = {
        **BODY,
        "party_size": 30,
        "group_name": "实验小学三年级二班",
        "id_type": "resident_id",
        "id_number": TEST_ID,
        "id_consent": True,
    }
    response = api.post(url(session), body, format="json")
    assert response.status_code == 201
    assert Booking.objects.get().party_size == 30


@override_settings(BOOKING_RATE_PER_IP=100, BOOKING_RATE_PER_PHONE=2)
def test_429_rate_limited_per_phone(api):
    session = session_of(open_day(id_number_required=True))
    for n in range(2):
        body = {**BODY, "id_number": resident_id(seq=n), "id_consent": True}
        api.post(url(session), body, format="json")
    body = {**BODY, "id_number": resident_id(seq=9), "id_consent": True}
    response = api.post(url(session), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "detail": "Too many booking attempts for this mobile number. Please wait a few minutes.",
    }
    assert Booking.objects.count() == 2


@override_settings(BOOKING_RATE_PER_IP=1)
def test_429_rate_limited_per_address(api):
    session = session_of()
    assert api.post(url(session), BODY, format="json").status_code == 201
    response = api.post(url(session), {**BODY, "phone": phone(1)}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


@override_settings(BOOKING_RATE_LIMITS=False, BOOKING_RATE_PER_IP=1)
def test_rate_limits_can_be_switched_off(api):
    session = session_of()
    statuses = [
        api.post(url(session), {**BODY, "phone": phone(n)}, format="json").status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 201]


@pytest.mark.parametrize("state", ["draft", "pending_area", "withdrawn"])
def test_404_session_not_public(api, state):
    session = session_of(open_day(state=state))
    response = api.post(url(session), BODY, format="json")
    assert response.status_code == 404
    assert Booking.objects.count() == 0


def test_404_unknown_session(api):
    response = api.post(reverse("api:session-bookings", args=[987654]), BODY, format="json")
    assert response.status_code == 404


def test_anonymous_needs_no_csrf():
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(url(session_of()), BODY, format="json")
    assert response.status_code == 201


def test_id_and_phone_never_in_responses_or_logs(api, caplog):
    caplog.set_level("DEBUG")
    session = session_of(open_day(id_number_required=True), capacity=1)
    body = {**BODY, "id_number": TEST_ID, "id_consent": True, "email": "z@example.test"}
    responses = [
        api.post(url(session), body, format="json"),  # 201
        api.post(url(session), body, format="json"),  # 409 already booked
        api.post(
            url(session), {**body, "phone": phone(1), "id_number": resident_id()}, format="json"
        ),
        api.post(url(session), {**body, "id_number": TEST_ID[:-1] + "1"}, format="json"),  # 400
    ]
    assert [r.status_code for r in responses] == [201, 409, 202, 400]
    for response in responses:
        text = response.content.decode()
        assert TEST_ID not in text and PHONE not in text and resident_id() not in text
        assert TEST_ID[:-1] + "1" not in text
    assert TEST_ID not in caplog.text and PHONE not in caplog.text
    assert resident_id() not in caplog.text


def test_get_is_the_office_list_and_needs_a_sign_in(api):
    # tests/api/test_session_bookings.py: the back office's list of the session's bookings.
    assert api.get(url(session_of())).status_code == 401
