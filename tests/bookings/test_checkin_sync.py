"""The offline gate: every scan recorded, the manifest, the batch of offline scans (idempotent,
earliest scan wins, conflicts per scan), its API and who may use it, and exactly-once under
parallel batches on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sciweek.bookings import checkin_sync, services
from sciweek.bookings.checkin_sync import OfflineScan, ticket_hash
from sciweek.bookings.enums import CancelledBy
from sciweek.bookings.models import Booking, CheckInScan
from tests.bookings.gate_builders import book, run_together, world
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = world(capacity=5, max_group_size=4)
    w.booking = book(w.session, 1, name="欧阳修远", party_size=3, group_name="实验小学三年级")
    w.other = book(w.session, 2)
    return w


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def offline(code, n, device="phone-a", minutes_ago=30, **fields) -> OfflineScan:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return OfflineScan(client_scan_id=f"s{n}", device_id=device, code=code, scanned_at=at, **fields)


def test_an_online_scan_is_recorded_with_its_result(client, w):
    gate = w.users[Role.GATE_STAFF]
    for _ in range(2):
        checkin_sync.scan_online(session=w.session, code=w.booking.code, by=gate)
    checkin_sync.scan_online(session=w.session, code="NOPE", by=gate)
    rows = list(CheckInScan.objects.values_list("booking_id", "result", "source", "by_id"))
    assert rows == [
        (w.booking.pk, "ok", "online", gate.pk),
        (w.booking.pk, "already", "online", gate.pk),
        (None, "unknown", "online", gate.pk),
    ]
    response = client.post(
        f"/api/v1/sessions/{w.session.pk}/checkins/",
        {"code": w.other.code},
        content_type="application/json",
        **auth(gate),
    )
    assert response.json()["result"] == "ok"
    assert CheckInScan.objects.filter(booking=w.other, source="online", result="ok").count() == 1


def test_manifest_holds_hashed_codes_masked_names_and_states(w):
    services.check_in(session=w.session, code=w.other.code, by=None)
    manifest = checkin_sync.checkin_manifest(w.session)
    salt = manifest["salt"]
    assert len(salt) == 32
    by_hash = {t["hash"]: t for t in manifest["tickets"]}
    first = by_hash[ticket_hash(salt, w.booking.code)]
    assert (first["name"], first["party_size"], first["state"]) == ("欧**远", 3, "confirmed")
    assert by_hash[ticket_hash(salt, w.other.code)]["state"] == "checked_in"
    assert w.booking.code not in str(manifest)
    assert ticket_hash(salt, w.booking.code.lower()) == ticket_hash(salt, w.booking.code)
    assert checkin_sync.checkin_manifest(w.session)["salt"] != salt


def test_the_same_batch_twice_changes_nothing(w):
    gate = w.users[Role.GATE_STAFF]
    scans = [offline(w.booking.code, 1), offline("NOPE", 2, device_result="unknown")]
    first = checkin_sync.sync_scans(session=w.session, scans=scans, by=gate)
    assert [(a.scan.result, a.duplicate) for a in first] == [("ok", False), ("unknown", False)]
    w.booking.refresh_from_db()
    assert w.booking.checked_in_at == scans[0].scanned_at  # when scanned, not when synced
    again = checkin_sync.sync_scans(session=w.session, scans=scans, by=gate)
    assert [(a.scan.pk, a.duplicate) for a in again] == [
        (first[0].scan.pk, True),
        (first[1].scan.pk, True),
    ]
    assert CheckInScan.objects.count() == 2


def test_two_offline_devices_give_one_check_in_at_the_earlier_scan(w):
    gate = w.users[Role.GATE_STAFF]
    later = offline(w.booking.code, 1, device="phone-a", minutes_ago=10, device_result="ok")
    earlier = offline(w.booking.code, 1, device="phone-b", minutes_ago=20, device_result="ok")
    checkin_sync.sync_scans(session=w.session, scans=[later], by=gate)
    [answer] = checkin_sync.sync_scans(session=w.session, scans=[earlier], by=gate)
    assert answer.scan.result == "ok"
    w.booking.refresh_from_db()
    assert w.booking.checked_in_at == earlier.scanned_at
    history = list(w.booking.scans.values_list("device_id", "result"))
    assert history == [("phone-b", "ok"), ("phone-a", "already")]


def test_a_ticket_cancelled_while_offline_is_a_conflict(w):
    services.booking_cancel(booking=w.booking, by=CancelledBy.BOOKER)
    [answer] = checkin_sync.sync_scans(
        session=w.session,
        scans=[offline(w.booking.code, 1, device_result="ok")],
        by=w.users[Role.GATE_STAFF],
    )
    assert (answer.scan.result, answer.conflict) == ("cancelled", True)
    w.booking.refresh_from_db()
    assert w.booking.checked_in_at is None


def batch(client, w, scans, user, session=None):
    body = {
        "scans": [
            {
                "client_scan_id": s.client_scan_id,
                "device_id": s.device_id,
                "code": s.code,
                "scanned_at": s.scanned_at.isoformat(),
                "device_result": s.device_result,
            }
            for s in scans
        ]
    }
    url = f"/api/v1/sessions/{(session or w.session).pk}/checkins/batch/"
    return client.post(url, body, content_type="application/json", **(auth(user) if user else {}))


def test_batch_api_answers_per_scan(client, w):
    gate = w.users[Role.GATE_STAFF]
    services.booking_cancel(booking=w.other, by=CancelledBy.BOOKER)
    scans = [offline(w.booking.code, 1), offline(w.other.code, 2, device_result="ok")]
    body = batch(client, w, scans, gate).json()
    got = [
        (r["client_scan_id"], r["result"], r["duplicate"], r["conflict"]) for r in body["results"]
    ]
    assert got == [("s1", "ok", False, False), ("s2", "cancelled", False, True)]
    again = batch(client, w, scans, gate).json()
    assert [r["duplicate"] for r in again["results"]] == [True, True]
    assert batch(client, w, [], gate).status_code == 400


CHECKIN_ROLES = [r for r in Role if r is not Role.ANONYMOUS]


@pytest.mark.parametrize("role", [Role.ANONYMOUS, *CHECKIN_ROLES], ids=str)
def test_new_endpoints_answer_every_role_as_the_check_in_does(client, w, role):
    user = None if role is Role.ANONYMOUS else w.build(role)
    headers = auth(user) if user else {}
    check = client.post(
        f"/api/v1/sessions/{w.session.pk}/checkins/",
        {"code": "NOPE"},
        content_type="application/json",
        **headers,
    ).status_code
    manifest = client.get(f"/api/v1/sessions/{w.session.pk}/checkin-manifest/", **headers)
    posted = batch(client, w, [offline("NOPE", 1)], user)
    assert (manifest.status_code, posted.status_code) == (check, check)
    expected = {Role.ANONYMOUS: 401, Role.GATE_STAFF: 200, Role.SIGNED_IN: 403}
    if role in expected:
        assert check == expected[role]
    missing = client.get("/api/v1/sessions/999999/checkin-manifest/", **headers).status_code
    assert missing == (401 if user is None else 404)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_batches_from_two_devices_check_each_ticket_in_once():
    w = world(capacity=30)
    tickets = [book(w.session, n) for n in range(1, 21)]
    gate = w.users[Role.GATE_STAFF]
    a = [offline(t.code, n, "phone-a", minutes_ago=40 - n) for n, t in enumerate(tickets)]
    b = [
        offline(t.code, n, "phone-b", minutes_ago=35 + 10 * (n % 2))
        for n, t in enumerate(tickets[:10])
    ]

    def post(scans):
        return lambda: [
            x.scan.result for x in checkin_sync.sync_scans(session=w.session, scans=scans, by=gate)
        ]

    # Each device sends its batch twice, all four at once.
    outcomes = run_together([post(a), post(b), post(a), post(b)])
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert CheckInScan.objects.count() == 30
    assert Counter(CheckInScan.objects.values_list("result", flat=True)) == {
        "ok": 20,
        "already": 10,
    }
    for n, ticket in enumerate(tickets):
        ticket.refresh_from_db()
        expected = min(s.scanned_at for s in a + b if s.code == ticket.code)
        assert ticket.checked_in_at == expected, n
        assert ticket.scans.filter(result="ok").count() == 1
    assert Booking.objects.filter(session=w.session, checked_in_at__isnull=False).count() == 20


def test_the_bookings_page_shows_each_bookings_scans_in_constant_queries(client, w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    gate = w.users[Role.GATE_STAFF]
    checkin_sync.scan_online(session=w.session, code=w.booking.code, by=gate)
    client.force_login(w.users[Role.UNIT_EDITOR])
    url = reverse("dashboard:session-bookings", args=[w.session.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    checkin_sync.sync_scans(
        session=w.session,
        scans=[offline(w.booking.code, 1, device="phone-b"), offline(w.other.code, 2)],
        by=gate,
    )
    for n in range(3, 21):
        checkin_sync.scan_online(session=w.session, code=book(w.session, n).code, by=gate)
    with CaptureQueriesContext(connection) as twenty:
        html = client.get(url).content.decode()
    assert len(twenty) == len(one)
    row = html[html.index(f'data-booking="{w.booking.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-scans="2"' in row
    assert row.count('data-scan-result="ok"') == 1
    assert row.count('data-scan-result="already"') == 1
    assert 'data-scan-source="synced"' in row and 'data-scan-source="online"' in row
