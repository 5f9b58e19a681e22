"""Issue 11, items 5 and 6: check-in only inside the session's window (with the organiser's
audited override) and parties that the session could never serve are refused, not waitlisted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from sciweek.activities.models import Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings import services
from sciweek.bookings.enums import CheckInResult
from sciweek.bookings.models import Booking
from sciweek.common.errors import Conflict
from tests.bookings.gate_builders import book, world
from tests.factories import SessionFactory
from tests.roles import Role

from .builders import EN, PHONE, open_day, phone, req, session_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_LARGE_EN = (
    "This session has 40 places in all, fewer than the 45 people of this booking: book a smaller "
    "group or another session."
)
TOO_LARGE_ZH = "本场次总共只有40个名额，少于本次预约的45人，无法安排：请减少人数或预约其他场次。"


# Groups that can be served -----------------------------------------------------------------


def class_of_45() -> dict:
    return {"name": "王老师", "phone": PHONE, "consent": True, "party_size": 45,
            "group_name": "实验小学四年级一班"}  # fmt: skip


def test_a_45_person_party_in_a_40_place_session_is_refused_not_waitlisted():
    session = session_of(open_day(max_group_size=50), capacity=40)
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.book(session=session, data=req(party_size=45, group_name="四年级一班"))
    assert (refused.value.code, refused.value.messages) == ("party_too_large", [TOO_LARGE_EN])
    assert not Booking.objects.exists()
    assert Session.objects.get(pk=session.pk).places_taken == 0


def test_a_party_of_the_whole_capacity_still_waits_when_full():
    session = session_of(open_day(max_group_size=50), capacity=40)
    services.book(session=session, data=req(phone=phone(1)))
    booking = services.book(session=session, data=req(party_size=40, group_name="全班"))
    assert booking.status == "waiting"


def test_capacity_lowered_since_the_page_was_read_is_decided_under_the_lock():
    """The session passed in says 60 places; the row, as read under the lock, says 40 and full."""
    session = session_of(open_day(max_group_size=50), capacity=60)
    stale = Session.objects.select_related("activity").get(pk=session.pk)
    Session.objects.filter(pk=session.pk).update(capacity=40, places_taken=40)
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.book(session=stale, data=req(party_size=45, group_name="四年级一班"))
    assert (refused.value.code, refused.value.messages) == ("party_too_large", [TOO_LARGE_EN])
    assert not Booking.objects.exists()


def test_page_refuses_the_45_person_party_with_the_number_of_places(client):
    session = session_of(open_day(max_group_size=50), capacity=40)
    data = {**class_of_45(), "consent": "on"}
    response = client.post(reverse("bookings:book", args=[session.pk]), data, **EN)
    assert response.status_code == 409
    assert TOO_LARGE_EN in response.content.decode()
    assert not Booking.objects.exists()
    response = client.post(reverse("bookings:book", args=[session.pk]), data)
    assert TOO_LARGE_ZH in response.content.decode()


def test_api_refuses_the_45_person_party_with_the_number_of_places(client):
    session = session_of(open_day(max_group_size=50), capacity=40)
    url = reverse("api:session-bookings", args=[session.pk])
    response = client.post(url, class_of_45(), content_type="application/json", **EN)
    assert response.status_code == 409
    assert response.json() == {"code": "party_too_large", "detail": TOO_LARGE_EN}
    response = client.post(url, class_of_45(), content_type="application/json")
    assert response.json() == {"code": "party_too_large", "detail": TOO_LARGE_ZH}
    assert not Booking.objects.exists()


# Check-in inside the window -------------------------------------------------------------------


@pytest.fixture
def w():
    """The gate world (its session starts in an hour) and a ticket for a session a month away."""
    w = world(capacity=10)
    w.booking = book(w.session, 1)
    month = timezone.now() + timedelta(days=30)
    w.far = SessionFactory(activity=w.activity, starts_at=month, ends_at=month + timedelta(hours=2))
    w.far_booking = book(w.far, 2)
    return w


def api(client, session, code, *, user=None, **body):
    extra = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if user is not None:
        extra["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    url = f"/api/v1/sessions/{session.pk}/checkins/"
    return client.post(url, {"code": code, **body}, content_type="application/json", **extra)


def gate(client, session, code, **data):
    url = reverse("dashboard:gate-check-in", args=[session.pk])
    return client.post(url, {"code": code, **data}, **HTMX, **EN)


def result_of(response) -> str:
    html = response.content.decode()
    start = html.index('data-result="') + len('data-result="')
    return html[start : html.index('"', start)]


def test_window_is_two_hours_before_to_the_end(w):
    s = w.far
    opens = s.starts_at - timedelta(hours=2)
    assert services.checkin_window(s) == (opens, s.ends_at)
    code, staff = w.far_booking.code, w.users[Role.GATE_STAFF]
    early = services.check_in(session=s, code=code, by=staff, now=opens - timedelta(seconds=1))
    assert (early.result, early.when) == (CheckInResult.OUTSIDE_WINDOW, opens)
    late = services.check_in(session=s, code=code, by=staff, now=s.ends_at + timedelta(seconds=1))
    assert (late.result, late.when) == (CheckInResult.OUTSIDE_WINDOW, s.ends_at)
    assert Booking.objects.get(pk=w.far_booking.pk).checked_in_at is None
    ok = services.check_in(session=s, code=code, by=staff, now=opens)
    assert ok.result == CheckInResult.OK


@override_settings(CHECKIN_OPENS_MINUTES_BEFORE=30)
def test_window_follows_the_setting(w):
    assert services.checkin_window(w.far)[0] == w.far.starts_at - timedelta(minutes=30)
    # The gate world's session starts in an hour: outside a 30-minute window.
    outcome = services.check_in(session=w.session, code=w.booking.code, by=None)
    assert outcome.result == CheckInResult.OUTSIDE_WINDOW


def test_a_check_in_a_month_early_is_refused_at_the_gate(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    response = gate(client, w.far, w.far_booking.code)
    body = response.content.decode()
    assert response.status_code == 200
    assert result_of(response) == "outside_window"
    opens = timezone.localtime(w.far.starts_at - timedelta(hours=2))
    assert f"Do not admit yet: check-in opens at {opens:%Y-%m-%d %H:%M}." in body
    assert "Outside the check-in time" in body
    assert Booking.objects.get(pk=w.far_booking.pk).checked_in_at is None
    chinese = client.post(reverse("dashboard:gate-check-in", args=[w.far.pk]),
                          {"code": w.far_booking.code}, **HTMX).content.decode()  # fmt: skip
    assert f"暂不放行：签到于{opens:%Y-%m-%d %H:%M}开始。" in chinese
    assert "不在签到时间内" in chinese


def test_a_check_in_a_month_early_is_refused_by_the_api(client, w):
    body = api(client, w.far, w.far_booking.code, user=w.users[Role.GATE_STAFF]).json()
    assert (body["result"], body["label"], body["checked_in_at"]) == (
        "outside_window",
        "Outside the check-in time",
        None,
    )
    assert (
        body["window_opens_at"]
        == timezone.localtime(w.far.starts_at - timedelta(hours=2)).isoformat()
    )
    assert Booking.objects.get(pk=w.far_booking.pk).checked_in_at is None


def test_inside_the_window_the_existing_answers_stay(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    assert result_of(gate(client, w.session, w.booking.code)) == "ok"
    assert result_of(gate(client, w.session, w.booking.code)) == "already"
    assert result_of(gate(client, w.session, "NOPE")) == "unknown"
    assert result_of(gate(client, w.session, w.far_booking.code)) == "wrong_session"


# The override: who may, and what it records ----------------------------------------------------

# For a ticket a month early with override=1: what each role gets from the API.
OVERRIDE_API = {
    Role.ANONYMOUS: 401,
    Role.SIGNED_IN: 403,
    Role.OTHER_UNIT_EDITOR: 403,
    Role.OTHER_AREA_ADMIN: 403,
    Role.GATE_STAFF: "outside_window",
    Role.UNIT_EDITOR: "outside_window",
    Role.AREA_ADMIN: "outside_window",
    Role.ORGANIZER_ADMIN: "ok",
    Role.ORGANIZER_REVIEWER: "ok",
    Role.PLATFORM_ADMIN: "ok",
}


@pytest.mark.parametrize("role", list(OVERRIDE_API))
def test_override_through_the_api_for_every_role(client, w, role):
    user = None if role == Role.ANONYMOUS else w.users[role]
    response = api(client, w.far, w.far_booking.code, user=user, override=True)
    got = response.json()["result"] if response.status_code == 200 else response.status_code
    assert got == OVERRIDE_API[role]
    booking = Booking.objects.get(pk=w.far_booking.pk)
    entries = AuditEntry.objects.filter(action="booking.check_in_override")
    if got == "ok":
        assert booking.checked_in_by == user
        entry = entries.get()
        assert (entry.actor_id, entry.organization_id) == (user.pk, w.activity.host_id)
        assert entry.changes == {
            "session": [None, w.far.pk],
            "booking": [None, w.far_booking.pk],
        }
    else:
        assert booking.checked_in_at is None
        assert not entries.exists()


@pytest.mark.parametrize("role", [r for r in OVERRIDE_API if r != Role.ANONYMOUS])
def test_override_at_the_gate_page_for_every_role(client, w, role):
    client.force_login(w.users[role])
    page = client.get(reverse("dashboard:gate-session", args=[w.far.pk]))
    if OVERRIDE_API[role] == 403:
        assert page.status_code == 403
        assert gate(client, w.far, w.far_booking.code, override="1").status_code == 403
        return
    shown = 'name="override" value="1"' in page.content.decode()
    assert shown is (OVERRIDE_API[role] == "ok")
    assert result_of(gate(client, w.far, w.far_booking.code, override="1")) == OVERRIDE_API[role]


def test_without_the_override_the_organiser_is_refused_too(client, w):
    body = api(client, w.far, w.far_booking.code, user=w.users[Role.ORGANIZER_ADMIN]).json()
    assert body["result"] == "outside_window"
    assert not AuditEntry.objects.filter(action="booking.check_in_override").exists()


def test_inside_the_window_the_override_writes_no_entry(client, w):
    body = api(client, w.session, w.booking.code, user=w.users[Role.ORGANIZER_ADMIN],
               override=True).json()  # fmt: skip
    assert body["result"] == "ok"
    assert not AuditEntry.objects.filter(action="booking.check_in_override").exists()


NO_PLACES_EN = "This session has no places to book (0 places): choose another session."


@pytest.mark.parametrize("waitlist", [True, False])
def test_a_session_with_no_places_refuses_even_with_a_waiting_list(client, waitlist):
    """Nothing could ever free up in a 0-place session: a waiting list there would be endless."""
    session = session_of(open_day(waitlist_enabled=waitlist), capacity=0)
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.book(session=session, data=req())
    assert (refused.value.code, refused.value.messages) == ("no_places", [NO_PLACES_EN])
    url = reverse("api:session-bookings", args=[session.pk])
    data = {"name": "王老师", "phone": PHONE, "consent": True}
    response = client.post(url, data, content_type="application/json", **EN)
    assert (response.status_code, response.json()) == (
        409, {"code": "no_places", "detail": NO_PLACES_EN},
    )  # fmt: skip
    assert not Booking.objects.exists()
    assert Session.objects.with_booking_state().get(pk=session.pk).booking_state_now == "full"
    assert Session.objects.get(pk=session.pk).booking_state() == "full"
