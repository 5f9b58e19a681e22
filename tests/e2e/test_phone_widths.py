"""No office page is wider than a 390 px phone: every main office page of each demo role (the
menu's pages and the first record of each kind they link to) is loaded at 390 px and its
document may not scroll sideways. The public header keeps a side margin on the phone."""

import re

import pytest
from django.core.management import call_command

from sciweek.demo.loader import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
ROLES = ("organizer", "area-zhangdian", "unit-zhangdian", "gate-zhangdian")
# /office/<kind>/<pk>/ or /office/<kind>/<pk>/<page>/: one of each is enough.
RECORD = re.compile(r"^/office/((?:[a-z-]+/)+)\d+/(?:[a-z-]+/)?$")


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def office_pages(page, base_url: str) -> list[str]:
    page.goto(f"{base_url}/office/")
    menu = page.eval_on_selector_all(
        "#office-menu a.nav-link", "els => els.map(e => e.getAttribute('href'))"
    )
    pages = []
    for url in ["/office/", *(m for m in menu if m.startswith("/office/"))]:
        page.goto(f"{base_url}{url}")
        pages.append(page.url.removeprefix(base_url))
        links = page.eval_on_selector_all(
            "main a[href^='/office/']", "els => els.map(e => e.getAttribute('href'))"
        )
        kinds = set()
        for href in links:
            match = RECORD.match(href.split("?")[0])
            if match and match.group(1) not in kinds:
                kinds.add(match.group(1))
                pages.append(href)
    return list(dict.fromkeys(pages))


def test_no_office_page_is_wider_than_a_phone(live_server, new_page):
    call_command("demo", "--no-serve")
    too_wide = {}
    visited = 0
    for username in ROLES:
        phone = new_page(PHONE, 844)
        sign_in(phone, live_server.url, username)
        for url in office_pages(phone, live_server.url):
            phone.goto(f"{live_server.url}{url}")
            visited += 1
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide[f"{username} {url}"] = width
    assert too_wide == {}
    assert visited >= 40  # the roles' menus and records were really walked


def test_unit_booking_list_fits_a_phone(live_server, new_page):
    from sciweek.activities.models import Session

    call_command("demo", "--no-serve")
    session = (
        Session.objects.filter(bookings__isnull=False, activity__host__name="淄博市科技馆")
        .distinct()
        .order_by("pk")
        .first()
    )
    phone = new_page(PHONE, 844)
    sign_in(phone, live_server.url, "unit-zhangdian")
    phone.goto(f"{live_server.url}/office/sessions/{session.pk}/bookings/")
    assert phone.locator("#bookings tbody tr").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_public_header_keeps_a_side_margin_on_a_phone(live_server, new_page):
    call_command("demo", "--no-serve")
    phone = new_page(PHONE, 844)
    phone.goto(f"{live_server.url}/")
    brand = phone.locator(".public-header .navbar-brand").bounding_box()
    assert brand["x"] >= 12
    nav = phone.locator(".public-header > .navbar").bounding_box()
    assert nav["x"] == 0 and nav["width"] == PHONE
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
