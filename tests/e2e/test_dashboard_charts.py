"""The organiser's dashboard in a real browser, at a phone's width and a desktop's: every chart is
drawn (a canvas with something on it), nothing is wider than the screen and the console stays
clean (the strict CSP included: a blocked inline style or script is a console error)."""

import os
import shutil

import pytest
from django.core.management import call_command

from sciweek.campaigns.models import Edition

from .test_phone_widths import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the canvas's pixels that are not blank: a chart drew something.
DRAWN_PIXELS = """el => {
  const canvas = el.querySelector('canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4 * 7) { if (data[i] > 0) drawn++; }
  return drawn;
}"""


@pytest.mark.parametrize("width", [390, 1366])
def test_every_chart_is_drawn_without_console_errors(live_server, new_page, screenshots, width):
    call_command("demo", "--no-serve")
    page = new_page(width, 900)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "organizer")
    # The 2023 week: held activities, bookings and check-ins, so every chart has numbers.
    edition = Edition.objects.get(year=2023)
    for path in (f"/office/dashboard/?edition={edition.pk}", "/office/"):
        page.goto(f"{live_server.url}{path}")
        charts = page.locator("[data-chart]")
        count = charts.count()
        assert count >= (11 if "dashboard" in path else 1), path
        page.wait_for_function(
            "n => document.querySelectorAll('[data-chart][data-drawn=true]').length === n",
            arg=count,
        )
        for i in range(count):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            assert chart.evaluate(DRAWN_PIXELS) > 50, chart.get_attribute("data-chart")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        shot = screenshots / f"dashboard-{width}-{path.strip('/').replace('/', '-')[:20]}.png"
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("SCIWEEK_SHOTS"):
            shutil.copy(shot, os.environ["SCIWEEK_SHOTS"])
    # The live view answers and refreshes itself.
    page.goto(f"{live_server.url}/office/dashboard/live/")
    assert page.locator("#live-sessions[hx-trigger='every 30s']").count() == 1
    assert errors == []
