"""A published activity lives on, in a real browser on a phone: the 张店区 host unit fixes a typo
and moves a session, adds a session; 张店区's reviewer approves the change from the area queue,
and the booker is told of the new time."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sciweek.bookings import services
from sciweek.bookings.validation import BookingRequest
from sciweek.campaigns.selectors import current_edition
from sciweek.demo.loader import DEMO_PASSWORD
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations.models import Organization
from tests.factories import ActivityFactory, CategoryFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/office/")


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_unit_edits_a_published_activity_area_approves_booker_is_told(
    live_server, new_page, screenshots
):
    call_command("demo", "--no-serve")

    edition = current_edition()
    unit = Organization.objects.get(name="淄博市科技馆")
    activity = ActivityFactory(
        edition=edition, host=unit, category=CategoryFactory(edition=edition),
        title="科技馆开放日（错字）", state="published", booking_required=True,
    )  # fmt: skip
    session = SessionFactory(activity=activity)
    services.book(
        session=session,
        data=BookingRequest(
            name="王小明", phone="13912345670", email="wang@example.test", consent=True
        ),
    )
    OutboxMessage.objects.all().delete()
    day = edition.start_date + timedelta(days=2)
    base = live_server.url

    phone = new_page(*PHONE)
    sign_in(phone, base, "unit-zhangdian")
    phone.goto(f"{base}/office/activities/{activity.pk}/")
    phone.click("#published-edit")
    phone.wait_for_url(f"{base}/office/activities/{activity.pk}/published/edit/")
    assert fits(phone, PHONE[0])
    phone.fill("#id_title", "科技馆开放日")
    phone.fill(f"#id_session_{session.pk}_starts", f"{day}T14:30")
    phone.fill(f"#id_session_{session.pk}_ends", f"{day}T16:30")
    phone.fill("#id_note", "场馆上午检修")
    phone.screenshot(path=str(screenshots / "published-edit-390.png"), full_page=True)
    phone.click("#published-edit-form button[type=submit]")
    phone.wait_for_url(f"{base}/office/activities/{activity.pk}/")
    assert phone.locator("h1").inner_text() == "科技馆开放日"

    # One more session, from its page.
    phone.goto(f"{base}/office/activities/{activity.pk}/published/sessions/new/")
    last = edition.end_date
    phone.fill("#id_session-starts_at", f"{last}T09:30")
    phone.fill("#id_session-ends_at", f"{last}T11:00")
    phone.fill("#id_session-capacity", "40")
    phone.click("#session-add-form button[type=submit]")
    phone.wait_for_url(f"{base}/office/activities/{activity.pk}/")
    assert activity.sessions.count() == 2
    assert not OutboxMessage.objects.exists()  # nothing moves before the area approves

    area = new_page(*PHONE)
    sign_in(area, base, "area-zhangdian")
    area.goto(f"{base}/office/reviews/area/")
    area.click("#changes-waiting a")
    area.wait_for_url(f"{base}/office/changes/")
    row = area.locator(f"tr:has(a[href='/office/activities/{activity.pk}/'])")
    assert f"{day} 14:30–16:30" in row.inner_text()
    assert fits(area, PHONE[0])
    area.screenshot(path=str(screenshots / "change-queue-390.png"), full_page=True)
    row.locator("button[value=approve]").click()
    area.wait_for_url(f"{base}/office/changes/")

    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day} 14:30"
    told = list(OutboxMessage.objects.order_by("id").values_list("kind", "channel", "recipient"))
    assert told == [
        ("booking.changed", "email", "wang@example.test"),
        ("booking.changed", "sms", "13912345670"),
    ]
