"""The gate's people (issue 17 parts 3 and 4): the identity of a real-name ticket just scanned,
finding a lost ticket by ID number, mobile or name (audited, rate-limited), walk-ins through the
booking service, and the tally of visitors at sessions nobody books."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciweek.activities.models import Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings import walkins
from sciweek.bookings.enums import BookingSource, BookingStatus
from sciweek.bookings.models import Booking, GateTally
from sciweek.common.errors import ServiceError
from sciweek.reports.week_statistics import key_figures
from tests.bookings.gate_builders import book, open_day, world
from tests.factories import SessionFactory
from tests.roles import Role

from .builders import EN, resident_id

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", **EN}
ID = resident_id(seq=321)  # ends in "321" + its check character


@pytest.fixture
def w():
    w = world(capacity=10, id_number_required=True, max_group_size=5)
    w.booking = book(
        w.session, 1, name="欧阳修远", id_number=ID, id_consent=True, phone="13912345678"
    )
    return w


def url(name, session, **kw):
    return reverse(f"dashboard:{name}", args=[session.pk])


def scan(client, w, code, **extra):
    return client.post(url("gate-check-in", w.session), {"code": code}, **HTMX, **extra)


# Identity of the ticket just scanned ------------------------------------------------------


def test_the_venues_gate_sees_full_name_and_id_tail_of_the_ticket_just_scanned(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    html = scan(client, w, w.booking.code).content.decode()
    assert "data-full-name>欧阳修远<" in html
    assert f"data-id-tail>{ID[-4:]}<" in html
    assert ID not in html and ID[:6] not in html.replace(w.booking.code, "")
    # Scanned again: "already", still the one ticket's identity.
    again = scan(client, w, w.booking.code).content.decode()
    assert 'data-result="already"' in again and "data-full-name>欧阳修远<" in again


def test_the_organiser_checks_in_but_sees_no_full_name(client, w):
    client.force_login(w.users[Role.ORGANIZER_ADMIN])
    html = scan(client, w, w.booking.code).content.decode()
    assert 'data-result="ok"' in html
    assert "欧阳修远" not in html and "data-id-tail" not in html


def test_no_identity_at_a_session_that_is_not_real_name(client):
    w = world(capacity=5, real_name_required=False)
    w.booking = book(w.session, 1, name="欧阳修远")
    client.force_login(w.users[Role.GATE_STAFF])
    html = scan(client, w, w.booking.code).content.decode()
    assert 'data-result="ok"' in html and "欧阳修远" not in html


def test_a_ticket_of_another_session_shows_no_identity(client, w):
    other = SessionFactory(
        activity=w.activity,
        capacity=5,
        starts_at=w.session.starts_at + timedelta(days=1),
        ends_at=w.session.ends_at + timedelta(days=1),
    )
    elsewhere = book(other, 2, name="司马光明", id_number=resident_id(seq=77), id_consent=True)
    client.force_login(w.users[Role.GATE_STAFF])
    html = scan(client, w, elsewhere.code).content.decode()
    assert 'data-result="wrong_session"' in html and "司马光明" not in html


# Finding a booking ------------------------------------------------------------------------


def lookup(client, w, kind, q):
    return client.post(url("gate-lookup", w.session), {"kind": kind, "q": q}, **HTMX)


def test_found_by_id_number_through_its_keyed_hash_and_audited(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    response = lookup(client, w, "id_number", ID.lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-match") == 1
    assert "data-full-name>欧阳修远<" in html and f"data-id-tail>{ID[-4:]}<" in html
    assert ID not in html and ID.lower() not in html  # the number typed is not echoed
    entry = AuditEntry.objects.get(action="booking.gate_lookup")
    assert entry.actor == w.users[Role.GATE_STAFF]
    assert ID not in json.dumps(entry.changes) and ID not in entry.object_repr
    assert entry.changes["kind"][1] == "id_number"
    assert entry.changes["session"][1] == w.session.pk
    assert entry.changes["found"][1] == 1


def test_found_by_mobile_and_by_the_whole_name_only(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    assert lookup(client, w, "mobile", "139 1234 5678").content.decode().count("data-match") == 1
    assert lookup(client, w, "name", " 欧阳修远 ").content.decode().count("data-match") == 1
    part = lookup(client, w, "name", "欧阳").content.decode()
    assert 'data-lookup="none"' in part and "data-match" not in part
    kinds = AuditEntry.objects.filter(action="booking.gate_lookup").order_by("id")
    assert [e.changes["kind"][1] for e in kinds] == ["mobile", "name", "name"]


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    html = lookup(client, w, "mobile", "12345").content.decode()
    assert 'data-lookup="error"' in html and "11-digit mobile number" in html
    assert 'value="12345"' in html


@override_settings(GATE_LOOKUPS_PER_USER=2)
def test_look_ups_are_limited_per_gate_user(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    for _ in range(2):
        assert "data-match" in lookup(client, w, "mobile", "13912345678").content.decode()
    html = lookup(client, w, "mobile", "13912345678").content.decode()
    assert "Too many look-ups" in html and "data-match" not in html
    assert AuditEntry.objects.filter(action="booking.gate_lookup").count() == 2
    # Another gate user has a count of their own.
    client.force_login(w.users[Role.UNIT_EDITOR])
    assert "data-match" in lookup(client, w, "mobile", "13912345678").content.decode()


def test_a_found_booking_is_checked_in_without_its_code(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    response = client.post(
        url("gate-lookup-check-in", w.session), {"booking": w.booking.pk}, **HTMX
    )
    html = response.content.decode()
    assert 'data-result="ok"' in html and "data-full-name>欧阳修远<" in html
    w.booking.refresh_from_db()
    assert w.booking.checked_in_by == w.users[Role.GATE_STAFF]


def test_a_booking_of_another_session_cannot_be_checked_in_from_here(client, w):
    other = SessionFactory(activity=w.activity, capacity=5)
    stranger = book(other, 3, id_number=resident_id(seq=55), id_consent=True)
    client.force_login(w.users[Role.GATE_STAFF])
    response = client.post(url("gate-lookup-check-in", w.session), {"booking": stranger.pk})
    assert response.status_code == 404
    assert client.post(url("gate-lookup-check-in", w.session), {"booking": "x"}).status_code == 404


# Walk-ins ---------------------------------------------------------------------------------

WALK_IN = {"name": "路人甲", "phone": "13900000099", "consent": "on", "id_consent": "on"}


def test_a_walk_in_takes_a_place_and_is_checked_in_at_once(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    data = {**WALK_IN, "id_type": "resident_id", "id_number": resident_id(seq=400),
            "party_size": 2, "group_name": "一家人"}  # fmt: skip
    response = client.post(url("gate-walk-in", w.session), data, **EN)
    assert response.status_code == 200
    assert 'data-result="walk_in"' in response.content.decode()
    walk_in = Booking.objects.get(name="路人甲")
    assert walk_in.source == BookingSource.WALK_IN
    assert walk_in.status == BookingStatus.CONFIRMED and walk_in.checked_in_at is not None
    assert walk_in.checked_in_by == w.users[Role.GATE_STAFF]
    w.session.refresh_from_db()
    assert w.session.places_taken == 1 + 2
    entry = AuditEntry.objects.get(action="booking.walk_in")
    assert entry.changes["people"][1] == 2


def test_a_walk_in_with_a_bad_id_number_is_refused_beside_the_field(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    bad = resident_id(seq=400)[:-1] + ("0" if resident_id(seq=400)[-1] != "0" else "1")
    data = {**WALK_IN, "id_type": "resident_id", "id_number": bad}
    response = client.post(url("gate-walk-in", w.session), data, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This resident ID number is not valid" in html
    assert 'value="路人甲"' in html and bad not in html
    assert not Booking.objects.filter(name="路人甲").exists()


def test_no_walk_in_when_the_session_is_full(client):
    w = world(capacity=1)
    book(w.session, 1)
    client.force_login(w.users[Role.GATE_STAFF])
    response = client.post(url("gate-walk-in", w.session), WALK_IN, **EN)
    assert response.status_code == 409
    assert "Sorry, this session is full." in response.content.decode()
    assert Booking.objects.filter(session=w.session).count() == 1


def test_walk_ins_after_the_booking_window_but_only_in_the_check_in_time(client):
    w = world(capacity=3)
    Session.objects.filter(pk=w.session.pk).update(
        booking_closes_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(w.users[Role.GATE_STAFF])
    assert client.post(url("gate-walk-in", w.session), WALK_IN, **EN).status_code == 200
    later = SessionFactory(
        activity=w.activity,
        capacity=3,
        starts_at=timezone.now() + timedelta(hours=5),
        ends_at=timezone.now() + timedelta(hours=6),
    )
    response = client.post(url("gate-walk-in", later), {**WALK_IN, "phone": "13900000098"}, **EN)
    assert response.status_code == 409
    assert "during the check-in time only" in response.content.decode()


def test_the_gate_page_links_the_walk_in_and_the_look_up(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    html = client.get(url("gate-session", w.session), **EN).content.decode()
    assert f'href="/office/gate/sessions/{w.session.pk}/walk-in/"' in html
    assert f'hx-post="/office/gate/sessions/{w.session.pk}/lookup/"' in html
    assert "style=" not in html and "<script>" not in html


# The tally --------------------------------------------------------------------------------


@pytest.fixture
def t():
    t = world(capacity=1)
    free = open_day(t.unit, t.edition, booking_required=False)
    now = timezone.now()
    t.tally_session = SessionFactory(
        activity=free, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=3)
    )
    return t


def press(client, session, delta, sign=""):
    data = {"delta": delta, **({"sign": sign} if sign else {})}
    return client.post(url("gate-tally", session), data, **HTMX)


def test_tally_presses_are_records_and_add_up(client, t):
    client.force_login(t.users[Role.GATE_STAFF])
    s = t.tally_session
    assert "data-tally-total>1<" in press(client, s, 1).content.decode()
    assert "data-tally-total>6<" in press(client, s, 5).content.decode()
    assert "data-tally-total>5<" in press(client, s, 1, "-").content.decode()
    rows = list(GateTally.objects.filter(session=s).order_by("id"))
    assert [r.delta for r in rows] == [1, 5, -1]
    assert {r.by for r in rows} == {t.users[Role.GATE_STAFF]}
    # The week's onsite figure counts them (no recorded result for the activity).
    from sciweek.activities.models import Activity

    figures = key_figures(Activity.objects.filter(pk=s.activity_id))
    assert figures["onsite"] == 5


def test_the_tally_never_goes_below_zero_and_refuses_bad_steps(client, t):
    client.force_login(t.users[Role.GATE_STAFF])
    s = t.tally_session
    assert "cannot go below zero" in press(client, s, 1, "-").content.decode()
    assert "Type a number of visitors." in press(client, s, "abc").content.decode()
    assert "between 1 and 200" in press(client, s, 500).content.decode()
    assert not GateTally.objects.exists()
    plain = client.post(url("gate-tally", s), {"delta": "0"}, **EN)
    assert plain.status_code == 400
    with pytest.raises(ServiceError):
        walkins.tally_add(session=s, delta=0, by=None)


def test_the_gate_list_offers_the_tally_of_unbooked_sessions(client, t):
    client.force_login(t.users[Role.GATE_STAFF])
    html = client.get(reverse("dashboard:gate"), **EN).content.decode()
    assert f'data-tally-session="{t.tally_session.pk}"' in html
    assert f'data-session="{t.session.pk}"' in html


def test_the_gate_list_costs_the_same_queries_for_one_or_many_tally_sessions(client, t):
    client.force_login(t.users[Role.GATE_STAFF])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard:gate"))
    for _ in range(5):
        SessionFactory(activity=t.tally_session.activity)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("dashboard:gate")).content.decode()
    assert html.count("data-tally-session=") == 6
    assert len(many) == len(one)


def test_the_organisers_list_marks_walk_ins(client, w):
    client.force_login(w.users[Role.GATE_STAFF])
    client.post(url("gate-walk-in", w.session), {**WALK_IN, "id_type": "resident_id",
                "id_number": resident_id(seq=401)}, **EN)  # fmt: skip
    client.force_login(w.users[Role.UNIT_EDITOR])
    html = client.get(reverse("dashboard:session-bookings", args=[w.session.pk]), **EN)
    assert html.content.decode().count("data-walk-in>Walk-in<") == 1


# The API ----------------------------------------------------------------------------------

API_ROLES = {
    Role.ANONYMOUS: 401,
    Role.ORGANIZER_ADMIN: 201,
    Role.UNIT_EDITOR: 201,
    Role.AREA_ADMIN: 201,
    Role.GATE_STAFF: 201,
    Role.OTHER_AREA_ADMIN: 403,
    Role.OTHER_UNIT_EDITOR: 403,
    Role.SIGNED_IN: 403,
}


def api_walk_in(w, role, body, client):
    from rest_framework.authtoken.models import Token

    extra = dict(EN)
    if role != Role.ANONYMOUS:
        token = Token.objects.get_or_create(user=w.users[role])[0].key
        extra["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client.post(
        f"/api/v1/sessions/{w.session.pk}/walk-ins/",
        json.dumps(body),
        content_type="application/json",
        **extra,
    )


API_BODY = {"name": "路人丙", "phone": "13900000096", "consent": True, "id_consent": True}


@pytest.mark.parametrize(("role", "expected"), list(API_ROLES.items()), ids=str)
def test_api_walk_in_for_every_role(client, w, role, expected):
    body = {**API_BODY, "id_number": resident_id(seq=402)}
    response = api_walk_in(w, role, body, client)
    assert response.status_code == expected, response.content[:300]
    admitted = Booking.objects.filter(name="路人丙", source=BookingSource.WALK_IN)
    assert admitted.count() == (1 if expected == 201 else 0)
    if expected == 201:
        data = response.json()
        assert data["party_size"] == 1 and data["counts"]["checked_in"] == 1
        # The venue's people see the full name; the organiser, masked.
        assert data["name"] == ("路*丙" if role == Role.ORGANIZER_ADMIN else "路人丙")


def test_api_walk_in_refusals_carry_codes(client, w):
    bad = api_walk_in(w, Role.GATE_STAFF, {**API_BODY, "id_number": "123"}, client)
    assert bad.status_code == 400
    full = world(capacity=1)
    book(full.session, 1)
    response = api_walk_in(full, Role.GATE_STAFF, {"name": "甲", "phone": "13900000095",
                                                   "consent": True}, client)  # fmt: skip
    assert response.status_code == 409 and response.json()["code"] == "full"
