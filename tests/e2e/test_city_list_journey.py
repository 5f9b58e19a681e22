"""The city's activity list in a real browser (issue 11): the organiser narrows the list to one
area and the activities awaiting the city, approves two of them at once on a desktop, and the
same page fits a phone."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sciweek.activities import checks
from sciweek.activities.enums import ActivityState
from sciweek.activities.models import Activity
from sciweek.activities.services import activity_transition
from sciweek.campaigns.selectors import current_edition

from .test_review_journey import fits, shots, sign_in  # noqa: F401 - shots is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = (1366, 900)
PHONE = (390, 844)


def _area_with_two_waiting():
    """An area with two activities awaiting the city that approval would accept: one the demo
    sends there, and one its area approves now (through the service, as its page would)."""
    edition = current_edition()
    waiting = Activity.objects.filter(edition=edition, state=ActivityState.PENDING_CITY)
    for first in waiting.select_related("area"):
        if checks.large_event_problems(first) or first.area.slug is None:
            continue
        reviewer = get_user_model().objects.filter(username=f"area-{first.area.slug}").first()
        candidates = Activity.objects.filter(
            edition=edition, state=ActivityState.PENDING_AREA, host__area=first.area
        )
        second = next((a for a in candidates if not checks.large_event_problems(a)), None)
        if reviewer is not None and second is not None:
            activity_transition(activity=second, action="approve", by=reviewer)
            return first.area, (first, second)
    raise AssertionError("the demo has no area with activities for the city to approve")


def test_organiser_filters_by_area_and_approves_two(live_server, new_page, shots):  # noqa: F811
    call_command("demo", "--no-serve")
    area, (first, second) = _area_with_two_waiting()
    base = live_server.url

    page = new_page(*DESKTOP)
    sign_in(page, base, "organizer")
    page.goto(f"{base}/office/activities/")
    page.select_option("#id_area", str(area.pk))
    page.click(".filter-bar button[type=submit]")
    page.wait_for_load_state()
    page.click("#state-tabs a[data-state=pending_city]")
    page.wait_for_load_state()
    rows = page.locator("#activity-table tbody tr")
    shown = {int(rows.nth(i).get_attribute("data-activity")) for i in range(rows.count())}
    assert {first.pk, second.pk} <= shown
    assert all(a.area_id == area.pk for a in Activity.objects.filter(pk__in=shown))
    page.check(f"#select-{first.pk}")
    page.check(f"#select-{second.pk}")
    page.select_option("#bulk-action", "approve")
    assert fits(page, DESKTOP[0])
    page.screenshot(path=str(shots / "city-list-1366.png"), full_page=True)
    page.click("#bulk-submit")
    page.wait_for_load_state()
    assert page.locator(".alert-success").first.inner_text().strip() == "已对2个活动执行：通过。"
    states = set(
        Activity.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == {ActivityState.PUBLISHED}

    phone = new_page(*PHONE)
    sign_in(phone, base, "organizer")
    phone.goto(f"{base}/office/activities/")
    assert phone.locator("#activity-table tbody tr").count() == 20
    assert fits(phone, PHONE[0])
    phone.screenshot(path=str(shots / "city-list-390.png"), full_page=True)
