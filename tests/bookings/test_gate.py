"""Check-in at the gate: the page (htmx and plain posts), every answer, the live counts, the
scanner API, the list of sessions, and check-ins as the activity's onsite figure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sciweek.activities.models import Activity, Session
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus, CancelledBy, CheckInResult
from sciweek.bookings.models import Booking
from sciweek.bookings.selectors import checked_in_people, gate_sessions, session_counts
from tests.bookings.gate_builders import book, open_day, world
from tests.factories import SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    w = world(capacity=3, max_group_size=4)
    w.booking = book(w.session, 1, name="欧阳修远", party_size=3, group_name="实验小学三年级")
    w.waiting = book(w.session, 2)
    return w


def check_in_page(client, w, code, **extra):
    url = reverse("dashboard:gate-check-in", args=[w.session.pk])
    return client.post(url, {"code": code}, **extra)


def result_of(response) -> str:
    html = response.content.decode()
    start = html.index('data-result="') + len('data-result="')
    return html[start : html.index('"', start)]


# The page ---------------------------------------------------------------------------------


def test_gate_page_shows_counts_form_and_camera(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    response = client.get(reverse("dashboard:gate-session", args=[w.session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="booked">3<' in html
    assert 'data-count="checked_in">0<' in html
    assert 'data-count="capacity">3<' in html
    assert 'hx-trigger="every 10s"' in html
    assert 'hx-post="/office/gate/sessions/' in html
    assert "data-gate-camera" in html and "vendor/jsqr-1.4.0/jsQR.js" in html
    assert "<script>" not in html and "style=" not in html  # strict CSP


def test_check_in_ok_then_already(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    first = check_in_page(client, w, w.booking.code.lower(), **HTMX)
    html = first.content.decode()
    assert first.status_code == 200
    assert result_of(first) == "ok"
    # A real-name session: the venue's gate sees the full name to compare with the ID card
    # (issue 17); the big name stays masked for onlookers.
    assert "欧**远" in html and "data-full-name>欧阳修远<" in html
    assert 'data-party="3"' in html
    assert "实验小学三年级" in html
    # The counts come along, out of band.
    assert 'id="gate-counts"' in html and 'hx-swap-oob="true"' in html
    assert 'data-count="checked_in">3<' in html
    w.booking.refresh_from_db()
    assert w.booking.checked_in_by == w.users[Role.GATE_STAFF]
    first_at = w.booking.checked_in_at

    again = check_in_page(client, w, f"{w.booking.code[:5]} {w.booking.code[5:]}", **HTMX)
    assert result_of(again) == "already"
    assert timezone.localtime(first_at).strftime("%H:%M:%S") in again.content.decode()
    w.booking.refresh_from_db()
    assert w.booking.checked_in_at == first_at  # idempotent


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("waiting", "waiting"),
        ("cancelled", "cancelled"),
        ("other_session", "wrong_session"),
        ("unknown", "unknown"),
    ],
)
def test_check_in_refusals_are_red(client, w, case, expected):
    if case == "waiting":
        code = w.waiting.code
    elif case == "cancelled":
        services.booking_cancel(booking=w.booking, by=CancelledBy.BOOKER)
        code = w.booking.code
    elif case == "other_session":
        later = SessionFactory(
            activity=w.activity, starts_at=w.session.starts_at + timedelta(days=1), capacity=5
        )
        code = book(later, 7).code
    else:
        code = "ZZZZZZZZZZ"
    client.force_login(w.users[Role.GATE_STAFF])
    response = check_in_page(client, w, code, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert result_of(response) == expected
    assert "gate-answer-stop" in html
    if case == "other_session":
        assert "data-other-session" in html and w.activity.title in html
    assert Booking.objects.filter(checked_in_at__isnull=False).count() == 0


def test_empty_code_asks_for_one(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    response = check_in_page(client, w, " - ", **HTMX)
    assert result_of(response) == "empty"


def test_plain_post_without_javascript_gets_the_whole_page(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    response = check_in_page(client, w, w.booking.code)
    html = response.content.decode()
    assert result_of(response) == "ok"
    assert 'id="gate-form"' in html and 'hx-swap-oob="true"' not in html


def test_counts_partial(client, w):
    services.check_in(session=w.session, code=w.booking.code, by=None)
    client.force_login(w.users[Role.AREA_ADMIN])
    response = client.get(reverse("dashboard:gate-counts", args=[w.session.pk]))
    html = response.content.decode()
    assert 'data-count="checked_in">3<' in html
    assert 'data-count="booked">3<' in html
    assert "<html" not in html


def test_gate_page_is_404_for_an_activity_without_bookings(client, w):
    Activity.objects.filter(pk=w.activity.pk).update(booking_required=False)
    client.force_login(w.users[Role.ORGANIZER_ADMIN])
    assert client.get(reverse("dashboard:gate-session", args=[w.session.pk])).status_code == 404


# The list of sessions ---------------------------------------------------------------------


def test_gate_list_shows_the_sessions_of_the_users_units(client, w):
    other = world(capacity=5)
    client.force_login(w.users[Role.GATE_STAFF])
    response = client.get(reverse("dashboard:gate"))
    assert [s.pk for s in response.context["sessions"]] == [w.session.pk]
    client.force_login(other.users[Role.ORGANIZER_ADMIN])
    organiser = client.get(reverse("dashboard:gate"))
    assert {s.pk for s in organiser.context["sessions"]} >= {w.session.pk, other.session.pk}
    client.force_login(w.users[Role.OTHER_UNIT_EDITOR])
    assert list(client.get(reverse("dashboard:gate")).context["sessions"]) == []


def test_gate_sessions_leave_out_past_and_unbookable(w):
    past = SessionFactory(
        activity=w.activity,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    Session.objects.filter(pk=past.pk).update()
    assert list(gate_sessions(w.users[Role.AREA_ADMIN])) == [w.session]
    Activity.objects.filter(pk=w.activity.pk).update(state="draft")
    assert list(gate_sessions(w.users[Role.AREA_ADMIN])) == []


def test_gate_list_query_count_does_not_grow(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    url = reverse("dashboard:gate")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in range(1, 20):
        SessionFactory(activity=w.activity, starts_at=w.session.starts_at + timedelta(hours=day))
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["sessions"]) == 20
    assert len(twenty) == len(one)


def test_nav_shows_gate_to_members_only(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    # The gate volunteer's home is the gate itself (issue 11); its menu shows the gate.
    page = client.get(reverse("dashboard:home"), follow=True)
    assert page.redirect_chain == [("/office/gate/", 302)]
    assert 'href="/office/gate/"' in page.content.decode()
    client.force_login(w.users[Role.SIGNED_IN])
    assert 'href="/office/gate/"' not in client.get(reverse("dashboard:home")).content.decode()


# API --------------------------------------------------------------------------------------


def api(client, w, code, *, user=None, session=None, **extra):
    if user is not None:
        extra["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    url = f"/api/v1/sessions/{(session or w.session).pk}/checkins/"
    return client.post(url, {"code": code}, content_type="application/json", **extra)


def test_api_ok_then_already(client, w):
    gate = w.users[Role.GATE_STAFF]
    first = api(client, w, w.booking.code, user=gate)
    assert first.status_code == 200
    body = first.json()
    w.booking.refresh_from_db()
    assert body["result"] == "ok"
    assert body["name"] == "欧**远"
    assert body["party_size"] == 3
    assert body["group_name"] == "实验小学三年级"
    assert body["ticket_session"] is None
    assert body["counts"] == {"booked": 3, "checked_in": 3, "capacity": 3}
    assert body["checked_in_at"] == timezone.localtime(w.booking.checked_in_at).isoformat()
    again = api(client, w, w.booking.code, user=gate).json()
    assert (again["result"], again["checked_in_at"]) == ("already", body["checked_in_at"])
    assert again["counts"] == {"booked": 3, "checked_in": 3, "capacity": 3}


def test_api_refusals_are_200_with_a_result(client, w):
    gate = w.users[Role.GATE_STAFF]
    unknown = api(client, w, "NOPE", user=gate).json()
    assert unknown == {
        "result": "unknown",
        "label": str(CheckInResult.UNKNOWN.label),
        "name": "",
        "party_size": None,
        "group_name": "",
        "checked_in_at": None,
        "ticket_session": None,
        "window_opens_at": timezone.localtime(w.session.starts_at - timedelta(hours=2)).isoformat(),
        "window_closes_at": timezone.localtime(w.session.ends_at).isoformat(),
        "counts": {"booked": 3, "checked_in": 0, "capacity": 3},
    }
    assert api(client, w, w.waiting.code, user=gate).json()["result"] == "waiting"
    later = SessionFactory(activity=w.activity, starts_at=w.session.starts_at + timedelta(days=1))
    foreign = book(later, 9)
    wrong = api(client, w, foreign.code, user=gate).json()
    assert wrong["result"] == "wrong_session"
    assert wrong["ticket_session"] == f"{w.activity.title} · {later}"


def test_api_status_codes(client, w):
    assert api(client, w, w.booking.code).status_code == 401
    assert api(client, w, w.booking.code, user=w.users[Role.OTHER_UNIT_EDITOR]).status_code == 403
    assert api(client, w, w.booking.code, user=w.users[Role.SIGNED_IN]).status_code == 403
    missing = Session(pk=999_999)
    assert api(client, w, "X", user=w.users[Role.GATE_STAFF], session=missing).status_code == 404
    bad = client.post(
        f"/api/v1/sessions/{w.session.pk}/checkins/",
        {"code": "A" * 65},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=w.users['gate'])[0].key}",
    )
    assert bad.status_code == 400
    for hostile in ({}, {"code": ""}, {"code": ["A"]}):
        response = client.post(
            f"/api/v1/sessions/{w.session.pk}/checkins/",
            hostile,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=w.users['gate']).key}",
        )
        assert response.status_code == 400, hostile
    w.booking.refresh_from_db()
    assert w.booking.checked_in_at is None


def test_api_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/sessions/{session_id}/checkins/"]["post"]
    # The view's own statuses and the ones every operation with a body can answer (api/schema.py).
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "406", "413", "415"}
    assert "Every answer about the ticket is 200" in operation["description"]


# Onsite figure ----------------------------------------------------------------------------


def test_checked_in_people_sum_party_sizes(w):
    assert checked_in_people(w.activity) == 0
    services.check_in(session=w.session, code=w.booking.code, by=None)
    later = SessionFactory(activity=w.activity, starts_at=w.session.starts_at + timedelta(days=1))
    second = book(later, 5, party_size=2, group_name="王家")
    book(later, 6)
    # Checked in when the later session starts (its check-in window).
    services.check_in(session=later, code=second.code, by=None, now=later.starts_at)
    assert checked_in_people(w.activity) == 5
    assert session_counts(w.session).as_dict() == {"booked": 3, "checked_in": 3, "capacity": 3}
    assert session_counts(later).waiting == 0


def test_activity_page_suggests_checked_in_as_onsite(client, w):
    services.check_in(session=w.session, code=w.booking.code, by=None)
    Activity.objects.filter(pk=w.activity.pk).update(state="held", onsite_participants=None)
    client.force_login(w.users[Role.UNIT_EDITOR])
    html = client.get(reverse("dashboard:activity-detail", args=[w.activity.pk])).content.decode()
    assert 'id="checked-in-people">3' in html
    assert f'href="/office/sessions/{w.session.pk}/bookings/"' in html
    Activity.objects.filter(pk=w.activity.pk).update(onsite_participants=120)
    html = client.get(reverse("dashboard:activity-detail", args=[w.activity.pk])).content.decode()
    assert 'id="checked-in-people">3</dd>' in html


def test_waiting_booking_status_is_unchanged_by_a_scan(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    check_in_page(client, w, w.waiting.code, **HTMX)
    w.waiting.refresh_from_db()
    assert (w.waiting.status, w.waiting.checked_in_at) == (BookingStatus.WAITING, None)


def test_another_venues_ticket_says_only_not_for_this_session(client, w):
    elsewhere = open_day(
        w.unit_b, w.edition, title="别处的开放日", venue_name="别处的场馆", max_group_size=4
    )
    foreign = book(
        SessionFactory(activity=elsewhere, capacity=5),
        8,
        name="司马光明",
        party_size=2,
        group_name="光明中学",
    )
    outcome = services.check_in(session=w.session, code=foreign.code, by=w.users["gate"])
    assert outcome == services.CheckInOutcome(CheckInResult.WRONG_SESSION, None)

    client.force_login(w.users["gate"])
    response = check_in_page(client, w, foreign.code, HTTP_ACCEPT_LANGUAGE="en", **HTMX)
    html = response.content.decode()
    assert result_of(response) == "wrong_session"
    assert "Do not admit: this ticket is not for this session." in html
    for secret in ("别处", foreign.masked_name, "光明", "2 people", "data-other-session"):
        assert secret not in html, secret

    body = api(client, w, foreign.code, user=w.users["gate"]).json()
    assert (body["result"], body["name"], body["party_size"], body["group_name"]) == (
        "wrong_session", "", None, ""
    )  # fmt: skip
    assert body["ticket_session"] is None
    foreign.refresh_from_db()
    assert foreign.checked_in_at is None
