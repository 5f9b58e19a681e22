"""The acknowledgement journey in a real browser: an area admin acknowledges the current notice on
a phone; the organiser sees it on the board on a desktop."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from sciweek.campaigns.models import Notice, NoticeRecipient
from sciweek.campaigns.selectors import current_edition
from sciweek.demo.loader import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "张店区科技局"


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/office/")


def test_area_admin_acknowledges_on_a_phone_and_organizer_sees_it(
    live_server, new_page, screenshots
):
    call_command("demo", "--no-serve")
    notice = Notice.objects.get(edition=current_edition())
    delivery = NoticeRecipient.objects.get(notice=notice, organization__name=ORG)
    assert delivery.acknowledged_at is None
    area_user = get_user_model().objects.get(username="area-zhangdian")

    # area-zhangdian on a 390 px phone: the notice waits on the home page.
    phone = new_page(390, 844)
    sign_in(phone, live_server.url, "area-zhangdian")
    attention = phone.locator(
        "section[aria-labelledby=attention-heading] li.attention-item"
        ":has(form[action$='/acknowledge/'])"
    )
    # One row per notice, each organisation it awaits inside it.
    item = attention.filter(has_text=notice.title).locator("li[data-delivery]").filter(has_text=ORG)
    assert item.count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots / "home-390.png"), full_page=True)

    item.locator("button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/office/")
    assert attention.locator("li[data-delivery]").filter(has_text=ORG).count() == 0
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == area_user
    assert delivery.acknowledged_at is not None

    # The notice page shows the department as acknowledged.
    phone.goto(f"{live_server.url}/office/notices/{notice.pk}/")
    row = phone.locator("section[aria-labelledby=ack-heading] li").filter(has_text=ORG)
    assert row.locator(".text-success").count() == 1
    assert row.locator("button").count() == 0
    phone.screenshot(path=str(screenshots / "notice-390.png"), full_page=True)

    # The organiser on a desktop opens the notice's board from the home page.
    desk = new_page(1366, 900)
    sign_in(desk, live_server.url, "organizer")
    desk.locator(f"a[href='/office/notices/{notice.pk}/board/']").first.click()
    desk.wait_for_url(f"{live_server.url}/office/notices/{notice.pk}/board/")
    board_row = desk.locator(f"#ack-board tr[data-org='{ORG}']")
    assert board_row.count() == 1
    assert board_row.locator(".badge-ack").count() == 1
    cells = board_row.locator("td")
    assert cells.nth(2).inner_text().strip() == str(area_user)
    assert cells.nth(3).inner_text().strip() == timezone.localtime(
        delivery.acknowledged_at
    ).strftime("%Y-%m-%d %H:%M")
    # Another of the area's departments is still waiting.
    waiting = desk.locator("#ack-board tr[data-org='张店区科协'] .badge-pending")
    assert waiting.count() == 1
    desk.screenshot(path=str(screenshots / "board-1366.png"), full_page=True)
    assert (screenshots / "board-1366.png").stat().st_size > 0


def test_area_admin_signs_all_at_once_and_the_board_shows_each_acknowledged(
    live_server, new_page, screenshots
):
    """全部签收: one button on the area's home signs for every organisation the area speaks for;
    the organiser's board then shows each of them acknowledged, by whom and when."""
    call_command("demo", "--no-serve")
    notice = Notice.objects.get(edition=current_edition())
    area_user = get_user_model().objects.get(username="area-zhangdian")
    phone = new_page(390, 844)
    sign_in(phone, live_server.url, "area-zhangdian")
    row = phone.locator(f"li.attention-item[data-notice='{notice.pk}']")
    waiting = [name.strip() for name in row.locator("li[data-delivery] > span").all_inner_texts()]
    assert len(waiting) > 1 and ORG in waiting
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    row.locator("button[data-ack-all]").click()
    phone.wait_for_url(f"{live_server.url}/office/")
    assert phone.locator(f"li.attention-item[data-notice='{notice.pk}']").count() == 0
    assert phone.locator(".alert-success").filter(has_text=str(len(waiting))).count() == 1
    phone.screenshot(path=str(screenshots / "home-after-ack-all-390.png"), full_page=True)
    signed = NoticeRecipient.objects.filter(notice=notice, organization__name__in=waiting)
    assert {(d.organization.name, d.acknowledged_by) for d in signed} == {
        (name, area_user) for name in waiting
    }

    desk = new_page(1366, 900)
    sign_in(desk, live_server.url, "organizer")
    desk.goto(f"{live_server.url}/office/notices/{notice.pk}/board/")
    for name in waiting:
        board_row = desk.locator(f"#ack-board tr[data-org='{name}']")
        assert board_row.locator(".badge-ack").count() == 1, name
        assert board_row.locator("td").nth(2).inner_text().strip() == str(area_user)
    desk.screenshot(path=str(screenshots / "board-after-ack-all-1366.png"), full_page=True)
