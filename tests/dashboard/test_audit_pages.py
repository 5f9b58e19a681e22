"""The audit log page and its selector: who may read it, the filters, how a row reads."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from sciweek.audit import writer as audit
from sciweek.audit.models import AuditEntry
from sciweek.audit.selectors import audit_entries
from sciweek.organizations import services
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Organization
from tests.factories import member
from tests.organizations.world import make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/office/audit/"


@pytest.fixture
def w():
    return make_world()


def _entry(*, at: datetime | None = None, **kwargs) -> AuditEntry:
    kwargs.setdefault("actor", None)
    kwargs.setdefault("action", "test.thing")
    entry = audit.record(**kwargs)
    if at is not None:
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=at)
        entry.refresh_from_db()
    return entry


def _ids(response):
    return [e.pk for e in response.context["entries"]]


def test_url_is_office_audit():
    assert reverse("dashboard:audit-list") == URL


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ORGANIZER_ADMIN, 200),
        (Role.AREA_ADMIN, 403),
        (Role.OTHER_AREA_ADMIN, 403),
        (Role.UNIT_ADMIN, 403),
        (Role.GATE_STAFF, 403),
        (Role.SIGNED_IN, 403),
        (Role.ANONYMOUS, 302),
    ],
)
def test_audit_page_access(client, w, role, expected):
    user = w.users[role]
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == expected
    if role == Role.ANONYMOUS:
        assert response["Location"] == f"/accounts/login/?next={URL}"


def test_audit_page_platform_admin(client, w):
    w.login(client, Role.PLATFORM_ADMIN)
    assert client.get(URL).status_code == 200


def test_organizer_reviewer_cannot_read_audit(client, w):
    client.force_login(member(MemberRole.REVIEWER, w.bureau))
    assert client.get(URL).status_code == 403


def test_newest_first_and_row_content(client, w):
    old = _entry(action="notice.publish", at=datetime(2024, 5, 1, 1, 0, tzinfo=UTC))
    # 16:30 UTC is 00:30 the next day in Shanghai: the page shows Shanghai time.
    unit = Organization.objects.get(pk=w.unit_a.pk)
    unit.name = "淄博市科技馆新"
    unit.phone = "0533-7654321"
    services.organization_save(organization=unit, by=w.organizer)
    new = AuditEntry.objects.get(action="organization.update")
    AuditEntry.objects.filter(pk=new.pk).update(
        created_at=datetime(2024, 5, 19, 16, 30, tzinfo=UTC),
        reason="更正名称",
        ip_address="203.0.113.9",
    )
    client.force_login(w.organizer)
    response = client.get(URL, **EN)
    assert _ids(response) == [new.pk, old.pk]
    html = response.content.decode()
    row = html[html.index(f'data-entry-id="{new.pk}"') : html.index(f'data-entry-id="{old.pk}"')]
    assert "2024-05-20 00:30:00" in row
    assert str(w.organizer) in row
    # The action by its label, never its code.
    assert "Organisation changed" in row
    assert "organization.update" not in strip_tags(row[row.index(">") + 1 :])
    assert "淄博市科技馆新" in row
    assert (
        '<span class="text-secondary">name:</span> <del>淄博市科技馆</del> → <ins>淄博市科技馆新</ins>'
        in row
    )
    assert '<span class="text-secondary">phone:</span> <ins>0533-7654321</ins>' in row
    assert "更正名称" in row
    assert "203.0.113.9" in row


def test_changes_of_removed_membership_read_old_to_dash(client, w):
    from sciweek.organizations.models import Membership

    services.membership_remove(membership=Membership.objects.get(user=w.gate), by=w.organizer)
    client.force_login(w.organizer)
    rows = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").context["entries"][0].change_rows
    assert rows == [
        ("organization", "淄博市科技馆", "—"),
        # A choice by its label, not its stored code (gate_staff).
        ("role", "Gate staff", "—"),
        ("user", "gate-staff", "—"),
    ]


def test_filter_action_prefix(client, w):
    a = _entry(action="notice.publish")
    b = _entry(action="notice.acknowledge")
    _entry(action="noticeboard.other")
    _entry(action="membership.add")
    client.force_login(w.organizer)
    assert _ids(client.get(URL, {"action": "notice."})) == [b.pk, a.pk]


def test_filter_actor_by_username_or_name(client, w):
    mine = _entry(actor=w.area_admin, action="x.one")
    _entry(actor=w.unit_admin, action="x.two")
    _entry(action="x.system")
    client.force_login(w.organizer)
    assert _ids(client.get(URL, {"actor": "AREA-ADMIN"})) == [mine.pk]
    assert _ids(client.get(URL, {"actor": str(w.area_admin)})) == [mine.pk]


def test_filter_object_text(client, w):
    hit = _entry(object_repr="淄博市第一中学开放日")
    _entry(object_repr="张店区科技局")
    client.force_login(w.organizer)
    assert _ids(client.get(URL, {"q": "第一中学"})) == [hit.pk]


def test_filter_dates_are_shanghai_days_inclusive(client, w):
    # Shanghai is UTC+8: 2024-05-19 16:30 UTC is already the 20th there.
    before = _entry(at=datetime(2024, 5, 19, 15, 59, tzinfo=UTC))  # 19th 23:59 Shanghai
    first = _entry(at=datetime(2024, 5, 19, 16, 0, tzinfo=UTC))  # 20th 00:00
    last = _entry(at=datetime(2024, 5, 21, 15, 59, tzinfo=UTC))  # 21st 23:59
    after = _entry(at=datetime(2024, 5, 21, 16, 0, tzinfo=UTC))  # 22nd 00:00
    client.force_login(w.organizer)
    response = client.get(URL, {"date_from": "2024-05-20", "date_to": "2024-05-21"})
    assert _ids(response) == [last.pk, first.pk]
    assert _ids(client.get(URL, {"date_to": "2024-05-19"})) == [before.pk]
    assert _ids(client.get(URL, {"date_from": "2024-05-22"})) == [after.pk]


def test_filter_organisation_includes_everything_below(client, w):
    on_area = _entry(organization_id=w.area_a.pk)
    on_unit = _entry(organization_id=w.unit_a.pk)
    _entry(organization_id=w.unit_b.pk)
    _entry()
    client.force_login(w.organizer)
    assert _ids(client.get(URL, {"organization": w.area_a.pk})) == [on_unit.pk, on_area.pk]
    assert _ids(client.get(URL, {"organization": w.unit_a.pk})) == [on_unit.pk]


def test_filters_combine(client, w):
    hit = _entry(actor=w.area_admin, action="notice.acknowledge", organization_id=w.area_a.pk)
    _entry(actor=w.area_admin, action="membership.add", organization_id=w.area_a.pk)
    _entry(actor=w.other_area_admin, action="notice.acknowledge", organization_id=w.area_b.pk)
    client.force_login(w.organizer)
    response = client.get(
        URL, {"action": "notice.", "actor": "area-admin", "organization": w.area_a.pk}
    )
    assert _ids(response) == [hit.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2024-13-45"},
        {"date_to": "yesterday"},
        {"organization": "999999"},
        {"organization": "'; drop table x; --"},
        {"action": "x" * 500},
    ],
)
def test_malformed_filter_is_shown_and_ignored(client, w, params):
    entry = _entry(action="notice.publish")
    client.force_login(w.organizer)
    response = client.get(URL, {**params, "q": ""}, **EN)
    assert response.status_code == 200
    assert list(response.context["filter_form"].errors) == list(params)
    assert _ids(response) == [entry.pk]
    assert 'class="invalid-feedback d-block"' in response.content.decode()


def test_malformed_filter_keeps_valid_ones(client, w):
    hit = _entry(action="notice.publish")
    _entry(action="membership.add")
    client.force_login(w.organizer)
    assert _ids(client.get(URL, {"action": "notice.", "date_from": "bad"})) == [hit.pk]


def test_hostile_values_are_escaped(client, w):
    _entry(object_repr="<img src=x onerror=alert(1)>", reason="<script>x</script>")
    client.force_login(w.organizer)
    html = client.get(URL).content.decode()
    assert "<img src=x onerror" not in html
    assert "<script>x</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_paginates_by_50(client, w):
    for n in range(55):
        _entry(action=f"bulk.{n}")
    client.force_login(w.organizer)
    first = client.get(URL)
    assert len(_ids(first)) == 50
    assert first.context["paginator"].count == 55
    second = client.get(URL, {"page": 2})
    assert [e.action for e in second.context["entries"]] == [f"bulk.{n}" for n in range(4, -1, -1)]


def _count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"action": "organization."})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["entries"])


def test_query_count_same_for_1_and_20_rows(client, w):
    client.force_login(w.organizer)

    def change(n):
        unit, area_admin = (w.unit_a, w.area_admin) if n % 2 else (w.unit_b, w.other_area_admin)
        unit = Organization.objects.get(pk=unit.pk)
        unit.phone = f"0533-{n:07d}"
        services.organization_save(organization=unit, by=w.organizer if n % 3 else area_admin)

    # Each entry has an actor, a content type and an organisation to name.
    services.organization_save(
        organization=Organization.objects.get(pk=w.unit_a.pk), by=w.organizer
    )
    one, rows = _count_queries(client)
    assert rows == 1
    for n in range(1, 20):
        change(n)
    twenty, rows = _count_queries(client)
    assert rows == 20
    assert one == twenty


# The selector on its own -------------------------------------------------------------------


def test_audit_entries_without_filters_is_everything_newest_first(w):
    a = _entry(at=datetime(2024, 1, 1, tzinfo=UTC))
    b = _entry(at=datetime(2024, 1, 2, tzinfo=UTC))
    assert list(audit_entries()) == [b, a]
    assert list(audit_entries({"action": "", "actor": "  ", "date_from": None})) == [b, a]


def test_audit_entries_narrowed_to_organisation_ids(w):
    hit = _entry(organization_id=w.unit_b.pk)
    _entry(organization_id=w.unit_a.pk)
    _entry()
    subtree = Organization.objects.subtree_of(w.area_b).values("pk")
    assert list(audit_entries({"organization_ids": subtree})) == [hit]
    assert list(audit_entries({"organization_ids": [w.unit_b.pk]})) == [hit]
    # An empty collection matches nothing; only None (or no key) means every organisation.
    assert list(audit_entries({"organization_ids": []})) == []
    assert len(audit_entries({"organization_ids": None})) == 3


def test_audit_entries_date_from_only(w):
    _entry(at=datetime(2024, 5, 1, tzinfo=UTC))
    hit = _entry(at=datetime(2024, 6, 1, tzinfo=UTC))
    assert list(audit_entries({"date_from": date(2024, 5, 15)})) == [hit]
