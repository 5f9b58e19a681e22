"""The review journey in a real browser, on a phone: a 张店区 host unit files an activity and
submits it, 张店区 approves it in the area queue, the city publishes it from the city queue, and
临淄区's reviewer cannot open it while it is in review."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from sciweek.activities.models import Activity
from sciweek.audit.models import AuditEntry
from sciweek.campaigns.selectors import current_edition
from sciweek.demo.loader import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "科普进社区：家庭节水小实验"
PHONE = (390, 844)


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/office/")


def fits(page, width: int) -> bool:
    """Nothing wider than the screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def shots(screenshots):
    # SCIWEEK_SCREENSHOTS=/some/dir keeps the screenshots for a person to look at.
    keep = os.environ.get("SCIWEEK_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return screenshots


def test_unit_files_area_approves_city_publishes_linzi_sees_nothing(live_server, new_page, shots):
    call_command("demo", "--no-serve")
    edition = current_edition()
    day = edition.start_date.replace(day=edition.start_date.day + 2)
    base = live_server.url

    # The host unit files the activity on a phone.
    unit = new_page(*PHONE)
    sign_in(unit, base, "unit-zhangdian")
    unit.goto(f"{base}/office/activities/new/")
    unit.select_option("#id_edition", str(edition.pk))
    unit.fill("#id_title", TITLE)
    unit.select_option("#id_category", label="科普进社区")
    unit.check("input[name=audiences][value=residents]")
    unit.check("input[name=audiences][value=children]")
    unit.fill("#id_venue_name", "和平社区文化广场")
    unit.fill("#id_address", "淄博市张店区和平街道")
    unit.fill("#id_contact_name", "王老师")
    unit.fill("#id_contact_phone", "13853312345")
    unit.check("#id_confidentiality_checked")
    unit.fill("#id_sessions-0-starts_at", f"{day:%Y-%m-%d}T09:30")
    unit.fill("#id_sessions-0-ends_at", f"{day:%Y-%m-%d}T11:00")
    unit.fill("#id_sessions-0-capacity", "120")
    assert fits(unit, PHONE[0])
    unit.screenshot(path=str(shots / "1-form-390.png"), full_page=True)
    unit.click(".sticky-actions button[type=submit]")
    unit.wait_for_url(f"{base}/office/activities/*/")
    activity = Activity.objects.get(title=TITLE)
    assert (activity.state, activity.area.name, activity.sessions.get().capacity) == (
        "draft", "张店区", 120,
    )  # fmt: skip

    unit.click("button[data-action=submit]")
    unit.wait_for_load_state()
    activity.refresh_from_db()
    assert activity.state == "pending_area"
    assert unit.locator(".state-badge.state-pending_area").count() == 1
    assert fits(unit, PHONE[0])
    unit.screenshot(path=str(shots / "2-submitted-390.png"), full_page=True)
    detail = f"{base}/office/activities/{activity.pk}/"

    # 临淄区's reviewer can neither open it nor find it in their queue.
    linzi = new_page(*PHONE)
    sign_in(linzi, base, "area-linzi")
    assert linzi.goto(detail).status == 404
    linzi.goto(f"{base}/office/reviews/area/")
    assert linzi.locator(f"tr[data-activity='{activity.pk}']").count() == 0

    # 张店区 approves it from its queue.
    area = new_page(*PHONE)
    sign_in(area, base, "area-zhangdian")
    area.goto(f"{base}/office/reviews/area/")
    row = area.locator(f"tr[data-activity='{activity.pk}']")
    assert row.count() == 1
    assert fits(area, PHONE[0])
    area.screenshot(path=str(shots / "3-area-queue-390.png"), full_page=True)
    row.locator("a.btn").click()
    area.wait_for_url(detail)
    area.click("button[data-action=approve]")
    area.wait_for_load_state()
    activity.refresh_from_db()
    assert activity.state == "pending_city"

    # The city publishes it from the city queue.
    city = new_page(*PHONE)
    sign_in(city, base, "organizer")
    city.goto(f"{base}/office/reviews/city/")
    row = city.locator(f"tr[data-activity='{activity.pk}']")
    assert row.count() == 1
    assert fits(city, PHONE[0])
    city.screenshot(path=str(shots / "4-city-queue-390.png"), full_page=True)
    row.locator("a.btn").click()
    city.wait_for_url(detail)
    city.click("button[data-action=approve]")
    city.wait_for_load_state()
    activity.refresh_from_db()
    assert activity.state == "published"
    history = city.locator("#history li")
    assert [history.nth(i).get_attribute("data-action") for i in range(history.count())] == [
        "activity.create", "activity.session_add", "activity.submit", "activity.approve",
        "activity.approve",
    ]  # fmt: skip
    assert fits(city, PHONE[0])
    city.screenshot(path=str(shots / "5-published-390.png"), full_page=True)
    assert list(
        AuditEntry.objects.filter(object_id=str(activity.pk), action="activity.approve")
        .order_by("id")
        .values_list("actor__username", flat=True)
    ) == ["area-zhangdian", "organizer"]

    # Published, it is public: 临淄区 may now open it (but not review it).
    assert linzi.goto(detail).status == 200
    assert linzi.locator("button[data-action=approve]").count() == 0
