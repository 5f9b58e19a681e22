"""Organiser views of bookings, per session, and the gate pages: who may open what (one table),
masking on the list and in the export, the unmasked export with a reason in the audit log,
capacity, closing, cancelling."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sciweek.activities.models import Activity, Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings.enums import BookingStatus, CancelledBy
from sciweek.bookings.models import Booking
from sciweek.common.validators import id_check_char
from sciweek.notifications.models import OutboxMessage
from tests.bookings.gate_builders import book, open_day, phone, world
from tests.factories import SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = "login"
TEST_ID = "11010519491231002X"
SECOND_ID = "37030319850601123" + id_check_char("37030319850601123")
ROLES = (
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.AREA_ADMIN,
    Role.OTHER_AREA_ADMIN,
    Role.OTHER_UNIT_EDITOR,
    Role.SIGNED_IN,
)
HOST = (Role.ORGANIZER_ADMIN, Role.UNIT_EDITOR, Role.AREA_ADMIN)  # manages_bookings | organiser
GATE = (*HOST, Role.GATE_STAFF)  # bookings.check_in
MEMBERS = (
    *GATE,
    Role.OTHER_AREA_ADMIN,
    Role.OTHER_UNIT_EDITOR,
)  # bookings.use_gate: any membership


def allowed(code, who, *, others=403):
    table = {Role.ANONYMOUS: LOGIN, **dict.fromkeys(ROLES[1:], others)}
    table.update(dict.fromkeys(who, code))
    return table


@dataclass(frozen=True)
class Row:
    name: str
    expected: dict
    args: tuple = ("session",)
    method: str = "get"
    data: dict | None = None
    variant: str = ""


TABLE = [
    Row("dashboard:session-bookings", allowed(200, HOST)),
    Row("dashboard:session-bookings", allowed(404, ROLES[1:]), args=("missing",), variant="404"),
    Row("dashboard:session-bookings-export", allowed(200, HOST)),
    Row("dashboard:session-bookings-export-unmasked", allowed(200, HOST)),
    Row(
        "dashboard:session-bookings-export-unmasked",
        allowed(200, HOST),
        method="post",
        data={"reason": "入场核验名单"},
    ),
    Row("dashboard:session-capacity", allowed(302, HOST), method="post", data={"capacity": 12}),
    Row("dashboard:session-booking-closed", allowed(302, HOST), method="post", data={"closed": 1}),
    Row(
        "dashboard:session-cancel-bookings",
        allowed(302, HOST),
        method="post",
        data={"reason": "场馆检修"},
    ),
    Row("dashboard:booking-cancel", allowed(302, HOST), args=("session", "booking"), method="post"),
    Row("dashboard:gate", allowed(200, MEMBERS), args=()),
    Row("dashboard:gate-webmanifest", allowed(200, MEMBERS), args=()),
    Row("dashboard:gate-sw", allowed(200, MEMBERS), args=()),
    Row("dashboard:gate-session", allowed(200, GATE)),
    Row("dashboard:gate-session", allowed(404, ROLES[1:]), args=("missing",), variant="404"),
    Row("dashboard:gate-check-in", allowed(200, GATE), method="post", data={"code": "booking"}),
    Row("dashboard:gate-counts", allowed(200, GATE)),
    Row("dashboard:gate-resend", allowed(200, GATE), method="post", data={"phone": "13900000001"}),
    # Identity, walk-ins and the tally (issue 17): the same people as the gate.
    Row(
        "dashboard:gate-lookup",
        allowed(200, GATE),
        method="post",
        data={"kind": "mobile", "q": "13900000001"},
    ),
    Row(
        "dashboard:gate-lookup-check-in",
        allowed(200, GATE),
        method="post",
        data={"booking": "booking_pk"},
    ),
    Row("dashboard:gate-walk-in", allowed(200, GATE)),
    Row(
        "dashboard:gate-walk-in",
        allowed(200, GATE),
        method="post",
        data={"name": "路人甲", "phone": "13900000099", "consent": "on"},
    ),
    Row("dashboard:gate-tally", allowed(200, GATE), args=("tally_session",)),
    Row(
        "dashboard:gate-tally",
        allowed(302, GATE),
        args=("tally_session",),
        method="post",
        data={"delta": "3"},
    ),
    Row("dashboard:gate-tally", allowed(404, ROLES[1:]), variant="booked session 404"),
]


def _resolve(w, name):
    if name == "missing":
        return 999_999
    return getattr(w, name).pk


@pytest.fixture
def w():
    w = world(capacity=10)
    w.booking = book(w.session, 1)
    # A session nobody books (科技下乡): its visitors are tallied at the gate.
    free = open_day(w.unit, w.edition, booking_required=False)
    w.tally_session = SessionFactory(
        activity=free, starts_at=w.session.starts_at, ends_at=w.session.ends_at
    )
    return w


@pytest.mark.parametrize(
    ("row", "role"),
    [
        pytest.param(
            row,
            role,
            id=f"{row.method.upper()} {row.name}{f' ({row.variant})' if row.variant else ''} as {role}",
        )
        for row in TABLE
        for role in ROLES
    ],
)
def test_permission_table(client, w, row, role):
    if role != Role.ANONYMOUS:
        client.force_login(w.users[role])
    url = reverse(row.name, args=[_resolve(w, a) for a in row.args])
    values = {"booking": w.booking.code, "booking_pk": w.booking.pk}
    data = {k: values.get(v, v) for k, v in (row.data or {}).items()}
    response = client.post(url, data) if row.method == "post" else client.get(url)
    expected = row.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    else:
        assert response.status_code == expected, response.content[:300]


def test_table_covers_every_booking_and_gate_page():
    from django.urls import get_resolver

    _prefix, sub = get_resolver().namespace_dict["dashboard"]
    names = {
        f"dashboard:{n}"
        for n in sub.reverse_dict
        if isinstance(n, str) and (n.startswith(("session-", "gate", "booking-")))
    }
    assert names == {row.name for row in TABLE}
    for row in TABLE:
        assert set(row.expected) == set(ROLES)


# The list ---------------------------------------------------------------------------------


@pytest.fixture
def id_world():
    w = world(capacity=5, id_number_required=True, max_group_size=3)
    w.booking = book(w.session, 1, name="欧阳修远", id_number=TEST_ID, id_consent=True)
    return w


def test_list_shows_masked_personal_data_only(client, id_world):
    w = id_world
    client.force_login(w.users[Role.UNIT_EDITOR])
    response = client.get(reverse("dashboard:session-bookings", args=[w.session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "欧**远" in html
    assert "139****0001" in html
    assert "110105********002X" in html
    for secret in ("欧阳修远", "13900000001", TEST_ID):
        assert secret not in html
    assert w.booking.code in html


def test_list_filters_by_status_and_searches_by_code(client, w):
    Session.objects.filter(pk=w.session.pk).update(capacity=2)
    second = book(w.session, 2)
    waiting = book(w.session, 3)
    assert waiting.status == BookingStatus.WAITING
    client.force_login(w.users[Role.ORGANIZER_ADMIN])
    url = reverse("dashboard:session-bookings", args=[w.session.pk])

    def codes(**params):
        response = client.get(url, params)
        return [b.code for b in response.context["bookings"]]

    assert codes() == [w.booking.code, second.code, waiting.code]
    assert codes(status="waiting") == [waiting.code]
    assert codes(status="confirmed") == [w.booking.code, second.code]
    assert codes(code=second.code.lower()[:6]) == [second.code]
    assert codes(code=f"{second.code[:5]} {second.code[5:]}") == [second.code]
    assert codes(status="nonsense") == [w.booking.code, second.code, waiting.code]


def test_list_query_count_does_not_grow_with_rows(client, w):
    client.force_login(w.users[Role.UNIT_EDITOR])
    url = reverse("dashboard:session-bookings", args=[w.session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 21):
        book(w.session, n)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["bookings"]) == 20
    assert len(twenty) == len(one)


# Export -----------------------------------------------------------------------------------


def _rows(response):
    book_ = load_workbook(io.BytesIO(b"".join(response)), read_only=True)
    return [list(r) for r in book_.active.iter_rows(values_only=True)]


def test_export_is_masked_and_neutralises_formulas(client, id_world):
    w = id_world
    book(w.session, 2, name="=cmd|' /C calc'!A0", id_number=SECOND_ID,
         id_consent=True, party_size=2, group_name="=HYPERLINK(\"http://x\")")  # fmt: skip
    client.force_login(w.users[Role.UNIT_EDITOR])
    response = client.get(reverse("dashboard:session-bookings-export", args=[w.session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response)
    assert rows[1][:6] == ["票码", "姓名", "手机号", "证件类型", "证件号码", "人数"]
    first, second = rows[2], rows[3]
    assert first[:6] == [
        w.booking.code,
        "欧**远",
        "139****0001",
        "居民身份证",
        "110105********002X",
        1,
    ]
    assert second[1].startswith("'=")
    assert second[6] == '\'=HYPERLINK("http://x")'
    assert "欧阳修远" not in str(rows) and TEST_ID not in str(rows)
    assert not AuditEntry.objects.filter(action="booking.export_unmasked").exists()


def test_unmasked_export_needs_a_reason_and_is_audited(client, id_world):
    w = id_world
    client.force_login(w.users[Role.UNIT_EDITOR])
    url = reverse("dashboard:session-bookings-export-unmasked", args=[w.session.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert not AuditEntry.objects.filter(action="booking.export_unmasked").exists()

    response = client.post(url, {"reason": "公安要求入场实名核验"})
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[2][:5] == [w.booking.code, "欧阳修远", "13900000001", "居民身份证", TEST_ID]
    entry = AuditEntry.objects.get(action="booking.export_unmasked")
    assert entry.actor == w.users[Role.UNIT_EDITOR]
    assert entry.reason == "公安要求入场实名核验"
    assert entry.organization_id == w.unit_a.pk
    assert TEST_ID not in str(entry.changes) and "欧阳修远" not in entry.object_repr


def test_gate_staff_may_not_export_unmasked(client, id_world):
    client.force_login(id_world.users[Role.GATE_STAFF])
    url = reverse("dashboard:session-bookings-export-unmasked", args=[id_world.session.pk])
    assert client.post(url, {"reason": "想看看"}).status_code == 403
    assert not AuditEntry.objects.filter(action="booking.export_unmasked").exists()


# Changes ----------------------------------------------------------------------------------


def test_raising_capacity_promotes_the_waiting_list(client, w):
    Session.objects.filter(pk=w.session.pk).update(capacity=1)
    waiting = book(w.session, 2, email="b@example.test")
    client.force_login(w.users[Role.UNIT_EDITOR])
    response = client.post(
        reverse("dashboard:session-capacity", args=[w.session.pk]), {"capacity": 2}, follow=True
    )
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    session = Session.objects.get(pk=w.session.pk)
    assert (session.capacity, session.places_taken) == (2, 2)
    assert (
        AuditEntry.objects.filter(
            action="session.capacity", actor=w.users[Role.UNIT_EDITOR]
        ).count()
        == 1
    )
    assert (
        OutboxMessage.objects.filter(kind="booking.promoted", recipient="b@example.test").count()
        == 1
    )


def test_capacity_below_places_taken_is_refused_with_a_message(client, w):
    book(w.session, 2)
    client.force_login(w.users[Role.UNIT_EDITOR])
    response = client.post(
        reverse("dashboard:session-capacity", args=[w.session.pk]), {"capacity": 1}, follow=True
    )
    assert "2" in response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Session.objects.get(pk=w.session.pk).capacity == 10


def test_bad_capacity_is_refused(client, w):
    client.force_login(w.users[Role.UNIT_EDITOR])
    url = reverse("dashboard:session-capacity", args=[w.session.pk])
    for value in ("", "-1", "abc", "9" * 30):
        response = client.post(url, {"capacity": value}, follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Session.objects.get(pk=w.session.pk).capacity == 10


def test_close_and_reopen_booking(client, w):
    client.force_login(w.users[Role.ORGANIZER_ADMIN])
    url = reverse("dashboard:session-booking-closed", args=[w.session.pk])
    client.post(url, {"closed": "1"})
    assert Session.objects.get(pk=w.session.pk).booking_state() == "closed"
    client.post(url, {"closed": "0"})
    assert Session.objects.get(pk=w.session.pk).booking_state() == "open"
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["session.close_booking", "session.reopen_booking"]


def test_session_page_shows_the_booking_state(client, w):
    client.force_login(w.users["organizer"])
    url = reverse("dashboard:session-bookings", args=[w.session.pk])
    badge = re.compile(r'data-booking-state="(\w+)">\s*<span class="badge [^"]+">([^<]+)</span>')

    def shown():
        return badge.search(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()).groups()

    sessions = Session.objects.filter(pk=w.session.pk)
    assert shown() == ("open", "Booking open")
    sessions.update(places_taken=10)
    assert shown() == ("waitlist", "Full — waiting list available")
    Activity.objects.filter(pk=w.session.activity_id).update(waitlist_enabled=False)
    assert shown() == ("full", "Full")
    sessions.update(booking_closed=True)
    assert shown() == ("closed", "Booking closed")


def test_cancel_all_needs_a_reason_and_tells_everyone(client, w):
    book(w.session, 2, email="two@example.test")
    client.force_login(w.users[Role.AREA_ADMIN])
    url = reverse("dashboard:session-cancel-bookings", args=[w.session.pk])
    client.post(url, {"reason": "   "})
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 0
    client.post(url, {"reason": "场馆临时检修"})
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert set(Booking.objects.values_list("cancel_reason", flat=True)) == {"场馆临时检修"}
    told = OutboxMessage.objects.filter(kind="booking.cancelled")
    # A cancellation is urgent: every mobile hears by SMS, the address by email as well.
    assert set(told.values_list("channel", "recipient")) == {
        ("sms", phone(1)),
        ("sms", phone(2)),
        ("email", "two@example.test"),
    }
    session = Session.objects.get(pk=w.session.pk)
    assert (session.places_taken, session.booking_closed) == (0, True)
    assert AuditEntry.objects.get(action="session.cancel_bookings").reason == "场馆临时检修"


def test_cancel_one_booking_as_organiser(client, w):
    client.force_login(w.users[Role.UNIT_EDITOR])
    url = reverse("dashboard:booking-cancel", args=[w.session.pk, w.booking.pk])
    response = client.post(url, {"reason": "重复"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    w.booking.refresh_from_db()
    assert (w.booking.status, w.booking.cancelled_by, w.booking.cancel_reason) == (
        BookingStatus.CANCELLED,
        CancelledBy.ORGANISER,
        "重复",
    )
    assert AuditEntry.objects.get(action="booking.cancel").actor == w.users[Role.UNIT_EDITOR]
    again = client.post(url, follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]


def test_cancel_a_booking_of_another_session_is_404(client, w):
    other = world(capacity=3)
    foreign = book(other.session, 9)
    client.force_login(w.users[Role.ORGANIZER_ADMIN])
    url = reverse("dashboard:booking-cancel", args=[w.session.pk, foreign.pk])
    assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == BookingStatus.CONFIRMED
