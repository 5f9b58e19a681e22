"""The offline gate in a real browser: the demo's gate volunteer opens the gate page on a 390 px
phone, the page downloads the session's tickets, the phone loses the network, 20 tickets are
checked in (one of them twice, one on a second offline phone too), the network returns, the
scans sync, and the server holds one check-in per ticket with every scan in the history."""

import pytest

from sciweek.bookings import services
from sciweek.bookings.models import Booking, CheckInScan
from sciweek.bookings.validation import BookingRequest
from tests.e2e.test_gate_journey import demo_gate_session, sign_in

# Two phones sync at once: two server threads write together. SQLite's shared-cache in-memory
# test database refuses a second writer at once ("table is locked") where a real SQLite file
# waits, so this journey, like every concurrency test, runs on PostgreSQL (CI's second pass).
pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def open_gate(new_page, base_url, session):
    phone = new_page(390, 844)
    sign_in(phone, base_url, "gate-zhangdian")
    phone.goto(f"{base_url}/office/gate/sessions/{session.pk}/")
    phone.locator("[data-gate-age][data-manifest-at]").wait_for()
    phone.locator("[data-gate-offline][data-synced]").wait_for()
    return phone


def scan_offline(phone, code, queued):
    phone.fill("#gate-code", code)
    phone.press("#gate-code", "Enter")
    phone.locator(f"[data-gate-queue][data-queued='{queued}']").wait_for()
    return phone.locator("#gate-result [data-offline]").get_attribute("data-result")


def test_gate_checks_in_offline_and_syncs_once(live_server, new_page, screenshots):
    session = demo_gate_session("田间科普开放日（离线签到）", capacity=60, real_name=False)
    tickets = [
        services.book(
            session=session,
            data=BookingRequest(name=f"王{n}丰", phone=f"1391234{n:04d}", consent=True),
        )
        for n in range(20)
    ]

    phone = open_gate(new_page, live_server.url, session)
    second = open_gate(new_page, live_server.url, session)
    phone.context.set_offline(True)
    second.context.set_offline(True)
    phone.locator("[data-gate-offline][data-state=offline]").wait_for()

    results = [scan_offline(phone, t.code, n + 1) for n, t in enumerate(tickets)]
    assert results == ["ok"] * 20
    assert scan_offline(phone, tickets[3].code, 21) == "already"
    phone.screenshot(path=str(screenshots / "gate-offline-390.png"), full_page=True)
    assert scan_offline(second, tickets[7].code.lower(), 1) == "ok"
    assert scan_offline(second, "ZZZZZZZZZZ", 2) == "unknown"
    assert Booking.objects.filter(session=session, checked_in_at__isnull=False).count() == 0

    phone.context.set_offline(False)
    second.context.set_offline(False)
    phone.locator("[data-gate-queue][data-queued='0']").wait_for()
    second.locator("[data-gate-queue][data-queued='0']").wait_for()
    phone.screenshot(path=str(screenshots / "gate-online-390.png"), full_page=True)

    checked = Booking.objects.filter(session=session, checked_in_at__isnull=False)
    assert checked.count() == 20
    assert CheckInScan.objects.filter(session=session, source="synced").count() == 23
    assert CheckInScan.objects.filter(session=session, result="ok").count() == 20
    assert list(tickets[3].scans.values_list("result", flat=True)) == ["ok", "already"]
    assert sorted(tickets[7].scans.values_list("result", flat=True)) == ["already", "ok"]
    assert CheckInScan.objects.filter(session=session, booking=None, result="unknown").count() == 1
    # Syncing again (a reload) changes nothing.
    phone.reload()
    phone.locator("[data-gate-offline][data-synced]").wait_for()
    assert CheckInScan.objects.filter(session=session).count() == 23
