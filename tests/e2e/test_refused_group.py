"""A teacher tries to book a class of 45 into a 40-place session on a 390 px phone: refused at
once, with the number of places, nothing typed lost, no waiting-list place and no sideways
scroll."""

import pytest

from sciweek.bookings.models import Booking
from tests.bookings.builders import open_day, session_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_class_larger_than_the_session_is_refused_on_a_phone(live_server, new_page, screenshots):
    activity = open_day(title="淄博市科技馆研学开放日", max_group_size=50, venue_name="科技馆")
    session = session_of(activity, capacity=40)

    phone = new_page(390, 844)
    phone.goto(f"{live_server.url}/sessions/{session.pk}/book/")
    phone.fill("#id_name", "王老师")
    phone.fill("#id_phone", "13912345678")
    phone.fill("#id_party_size", "45")
    phone.fill("#id_group_name", "实验小学四年级一班")
    phone.check("#id_consent")
    phone.click("form.booking-form button[type=submit]")
    phone.wait_for_load_state()

    body = phone.content()
    assert (
        "本场次总共只有40个名额，少于本次预约的45人，无法安排：请减少人数或预约其他场次。" in body
    )
    assert "候补中" not in body  # not put on the waiting list
    assert phone.input_value("#id_party_size") == "45"
    assert phone.input_value("#id_group_name") == "实验小学四年级一班"
    assert not Booking.objects.exists()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots / "group-refused-390.png"), full_page=True)
