"""The open-day journey in a real browser: a family books on a 390 px phone from the activity
page's live booking widget, opens the e-ticket and sees the code and the QR; a volunteer at the
gate types the code on a phone: OK, and again: already checked in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking
from sciweek.organizations.enums import Role
from tests.bookings.builders import open_day, session_of
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"  # UserFactory's


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_family_books_on_a_phone_and_the_gate_checks_them_in(live_server, new_page, screenshots):
    activity = open_day(
        title="淄博化工新材料研究院开放日", max_group_size=5, venue_name="研究院一号楼"
    )
    # Starts in an hour: bookable now, and inside its check-in window for the gate below.
    session = session_of(activity, capacity=20, starts_at=timezone.now() + timedelta(hours=1))
    later = session_of(activity, capacity=20, starts_at=session.starts_at + timedelta(days=1))
    gate_user = member(Role.GATE_STAFF, activity.host, username="gate-volunteer")

    phone = new_page(390, 844)
    phone.goto(f"{live_server.url}/activities/{activity.pk}/")
    widget = phone.locator(f"li[data-session='{session.pk}'] [data-booking-state='open']")
    widget.wait_for()  # loaded by htmx after the (cached) page
    assert widget.locator("[data-places-left]").get_attribute("data-places-left") == "20"
    # Each session's widget loads on its own; wait for the second one too before counting.
    later_widget = phone.locator(f"li[data-session='{later.pk}'] [data-booking-state]")
    later_widget.wait_for()
    assert later_widget.count() == 1
    no_sideways_scroll(phone, 390)
    phone.screenshot(path=str(screenshots / "activity-390.png"), full_page=True)

    widget.locator(f"a[href='/sessions/{session.pk}/book/']").click()
    phone.wait_for_url(f"**/sessions/{session.pk}/book/")
    no_sideways_scroll(phone, 390)
    phone.fill("#id_name", "张小明")
    phone.fill("#id_phone", "13912345678")
    phone.fill("#id_party_size", "3")
    # Submitted without consent and group name: told beside the fields, nothing typed lost.
    phone.click("form.booking-form button[type=submit]")
    phone.wait_for_selector("#id_group_name.is-invalid")
    assert phone.input_value("#id_name") == "张小明"
    assert phone.input_value("#id_party_size") == "3"
    phone.fill("#id_group_name", "张家")
    phone.check("#id_consent")
    phone.screenshot(path=str(screenshots / "book-390.png"), full_page=True)
    phone.click("form.booking-form button[type=submit]")
    phone.wait_for_url("**/tickets/*/")

    booking = Booking.objects.get(session=session)
    assert (booking.status, booking.party_size) == (BookingStatus.CONFIRMED, 3)
    assert phone.url == f"{live_server.url}/tickets/{booking.manage_token}/"
    assert phone.locator(".ticket-code").get_attribute("data-code") == booking.code
    assert phone.locator(".ticket-code").inner_text().replace(" ", "") == booking.code
    assert phone.locator("[data-masked-name]").inner_text() == "张*明"
    qr = phone.locator("img.ticket-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    body = phone.content()
    assert "张小明" not in body and "13912345678" not in body
    no_sideways_scroll(phone, 390)
    phone.screenshot(path=str(screenshots / "ticket-390.png"), full_page=True)

    # The activity page is still the cached one; the widget shows the places now left.
    phone.goto(f"{live_server.url}/activities/{activity.pk}/")
    left = phone.locator(f"li[data-session='{session.pk}'] [data-places-left]")
    left.wait_for()
    assert left.get_attribute("data-places-left") == "17"

    # At the gate: a volunteer on a phone types the code.
    gate = new_page(390, 844)
    gate.goto(f"{live_server.url}/accounts/login/")
    gate.fill("#id_username", gate_user.username)
    gate.fill("#id_password", PASSWORD)
    gate.click("button[type=submit]")
    gate.wait_for_load_state()
    gate.goto(f"{live_server.url}/office/gate/sessions/{session.pk}/")
    gate.fill("#gate-code", booking.code[:5] + " " + booking.code[5:].lower())
    gate.click("#gate-form button[type=submit]")
    answer = gate.locator("#gate-result [data-result]")
    answer.wait_for()
    assert answer.get_attribute("data-result") == "ok"
    assert "张*明" in answer.inner_text()
    gate.screenshot(path=str(screenshots / "gate-ok-390.png"), full_page=True)
    booking.refresh_from_db()
    assert booking.checked_in_at is not None

    gate.fill("#gate-code", booking.code)
    gate.click("#gate-form button[type=submit]")
    gate.wait_for_selector("#gate-result [data-result='already']")
    gate.screenshot(path=str(screenshots / "gate-again-390.png"), full_page=True)

    # The booker's ticket now says so, and can no longer be cancelled.
    phone.goto(f"{live_server.url}/tickets/{booking.manage_token}/")
    assert phone.locator(".ticket-status .bi-check2-circle").count() == 1
    assert phone.locator(f"a[href='/tickets/{booking.manage_token}/cancel/']").count() == 0
