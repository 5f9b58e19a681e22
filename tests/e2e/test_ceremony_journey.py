"""The ceremony journey in a real browser, on phones: 张店区 names a student of its delegation;
the student answers by the personal link from the SMS (no account) and gets the invitation QR;
the organiser's board counts the answer; the gate checks the guest in with the QR's code."""

import re

import pytest

from sciweek.exhibition.enums import GuestState
from sciweek.exhibition.models import Guest
from sciweek.notifications.models import OutboxMessage
from tests.exhibition.conftest import build

from .test_review_journey import fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
PASSWORD = "pw-for-tests-1"


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/office/.*"))


def test_area_names_a_delegate_who_answers_by_link_and_is_checked_in(live_server, new_page, world):
    w = build(world)
    base = live_server.url

    area = new_page(*PHONE)
    sign_in(area, base, w.area_admin)
    area.goto(f"{base}/office/ceremony/")
    area.click(f"text={w.area.name}")
    assert fits(area, PHONE[0])
    # A mistake first: no teacher for a student; nothing typed is lost.
    area.select_option("#id_category", label="学生")
    area.fill("#id_name", "李子涵")
    area.fill("#id_organization_name", "张店实验中学")
    area.fill("#id_mobile", "13800000009")
    area.click("#guest-form button[type=submit]")
    area.wait_for_load_state()
    assert "带队老师" in area.locator(".invalid-feedback").first.inner_text()
    assert area.input_value("#id_name") == "李子涵"
    area.fill("#id_teacher", "王老师")
    area.click("#guest-form button[type=submit]")
    area.wait_for_load_state()
    assert "李子涵" in area.locator("[data-category=student]").inner_text()
    guest = Guest.objects.get(name="李子涵")

    sms = OutboxMessage.objects.get(kind="guest.invitation", recipient="13800000009")
    link = re.search(r"/ceremony/rsvp/[\w-]+/", sms.body).group(0)
    phone = new_page(*PHONE)
    phone.goto(base + link)
    assert fits(phone, PHONE[0])
    phone.check("input[name=action][value=attend]")
    phone.click("#rsvp-form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("#invitation-qr img").is_visible()
    assert guest.code in phone.locator("#invitation-qr").inner_text()
    assert Guest.objects.get(pk=guest.pk).state == GuestState.ATTENDING

    city = new_page(1366, 900)
    sign_in(city, base, w.organizer_admin)
    city.goto(f"{base}/office/ceremony/")
    row = city.locator("#by-category tr[data-category=student]").inner_text()
    assert row.split() == ["学生", "50", "3", "2", "1", "1", "0", "0"]

    gate = new_page(*PHONE)
    sign_in(gate, base, w.gate_staff)
    gate.goto(f"{base}/office/gate/sessions/{w.session.pk}/")
    gate.fill("#gate-code", guest.code)
    gate.click("#gate-form button[type=submit]")
    gate.wait_for_selector("[data-result=ok]")
    assert Guest.objects.get(pk=guest.pk).state == GuestState.CHECKED_IN
