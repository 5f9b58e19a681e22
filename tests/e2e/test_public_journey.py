"""The public journey in a real browser: on a 390 px phone a visitor filters the activity list to
临淄区 open days (开放日), opens one and sees its sessions and places; at 200 % zoom (a 195 px
viewport standing for a 390 px phone) no page scrolls sideways; screenshots at 390 and 1366 px."""

import re

import pytest
from django.core.management import call_command

from sciweek.activities.models import Activity
from sciweek.campaigns.selectors import current_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN_DAY = "临淄化工新材料研究院开放日"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# For the failure message: the innermost elements that stick out to the right.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
               && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 8)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def demo(live_server):
    call_command("demo", "--no-serve")
    edition = current_edition()
    activity = Activity.objects.get(edition=edition, title=OPEN_DAY, state="published")
    return {"base": live_server.url, "edition": edition, "activity": activity}


def test_a_visitor_on_a_phone_finds_a_linzi_open_day_and_sees_its_sessions(new_page, demo):
    base, activity = demo["base"], demo["activity"]
    phone = new_page(390, 844, locale="en-US")
    phone.goto(f"{base}/activities/")
    assert phone.locator("h1").inner_text().startswith("Activities")

    phone.locator("summary", has_text="More filters").click()
    phone.select_option("#id_area", label="临淄区")
    phone.select_option("#id_category", label="开放日")
    phone.get_by_role("button", name="Apply").click()
    phone.wait_for_url(re.compile(r"/activities/\?.*area=\d+.*category=\d+"))

    cards = phone.locator("article.activity-card")
    titles = cards.locator("h3").all_inner_texts()
    expected = sorted(
        Activity.objects.filter(
            edition=demo["edition"],
            area__slug="linzi",
            category__code="open_day",
            state__in=("published", "held"),
        ).values_list("title", flat=True)
    )
    assert sorted(titles) == expected
    assert OPEN_DAY in titles
    assert no_horizontal_scroll(phone)

    cards.filter(has_text=OPEN_DAY).locator("h3 a").click()
    phone.wait_for_url(f"{base}/activities/{activity.pk}/")
    assert phone.locator("h1").inner_text() == OPEN_DAY
    sessions = phone.locator("section[aria-labelledby=sessions-heading] li[data-session]")
    expected_sessions = list(activity.sessions.order_by("starts_at"))
    assert sessions.count() == len(expected_sessions) == 2
    for item, session in zip(sessions.all(), expected_sessions, strict=True):
        text = item.inner_text()
        assert f"{session.capacity} places" in text or f"{session.capacity} left" in text, text
    assert phone.get_by_role("link", name="Share poster for WeChat").is_visible()
    assert no_horizontal_scroll(phone)


def test_nothing_scrolls_sideways_at_200_percent_zoom(new_page, demo):
    base, activity = demo["base"], demo["activity"]
    zoomed = new_page(195, 844)
    for path in (
        "/",
        "/activities/",
        "/activities/?area=1&bookable=on",
        f"/activities/{activity.pk}/",
    ):
        zoomed.goto(base + path)
        if path.startswith("/activities/?"):
            zoomed.locator("summary").first.click()
        assert no_horizontal_scroll(zoomed), (path, zoomed.evaluate(OVERFLOWING))


@pytest.mark.parametrize("width", [390, 1366])
def test_screenshots_of_the_public_pages(new_page, demo, screenshots, width):
    base, activity = demo["base"], demo["activity"]
    page = new_page(width, 900)
    for name, path in (
        ("home", "/"),
        ("list", "/activities/"),
        ("detail", f"/activities/{activity.pk}/"),
        ("calendar", "/calendar/"),
        ("past-edition", "/editions/2023/"),
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert no_horizontal_scroll(page), (path, page.evaluate(OVERFLOWING))
        page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
