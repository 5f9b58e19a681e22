"""The permission table: every back-office, account and public page × every role, in one place.

LOGIN means "302 to /accounts/login/?next=<the page>". A notice or organisation the user may not
see answers 404 (its existence is not confirmed); one the user sees but may not act on, 403.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from sciweek.campaigns.models import NoticeAttachment, NoticeRecipient
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Contact, Invitation
from tests.factories import EditionFactory, NoticeFactory, PublishedNoticeFactory
from tests.roles import Role

ROLES = (
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.AREA_ADMIN,
    Role.OTHER_AREA_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
    Role.PLATFORM_ADMIN,
)
LOGIN = "login"
PDF = b"%PDF-1.4\n%%EOF\n"


def expect(default, **codes):
    """``default`` for every signed-in role, LOGIN for the anonymous user, overrides by name."""
    table = {Role.ANONYMOUS: LOGIN, **dict.fromkeys(ROLES[1:], default)}
    table.update({Role(name): code for name, code in codes.items()})
    assert set(table) == set(ROLES)
    return table


def organiser_only(code=200, hidden=403):
    """Organiser pages: the organiser (and the platform admin) get ``code``; others ``hidden``."""
    return expect(hidden, organizer_admin=code, platform_admin=code)


def everyone(code):
    return dict.fromkeys(ROLES, code)


@dataclass(frozen=True)
class Row:
    name: str
    expected: dict
    args: tuple = ()  # attribute names on the world, resolved to primary keys
    method: str = "get"
    data: dict | None = None
    variant: str = ""

    def url(self, w) -> str:
        return reverse(self.name, args=[resolve(w, a) for a in self.args])


def resolve(w, arg):
    value = getattr(w, arg)
    return value if isinstance(value, str) else value.pk


NOTICE_VISIBLE = {Role.ORGANIZER_ADMIN: 200, Role.PLATFORM_ADMIN: 200, Role.AREA_ADMIN: 200}
ORG_VISIBLE = {Role.OTHER_AREA_ADMIN: 404, Role.SIGNED_IN: 404}

TABLE = [
    # Public site
    Row("showcase:home", everyone(200)),
    # Load balancers' probes: open to all, no personal data
    Row("healthz", everyone(200)),
    Row("readyz", everyone(200)),
    # Accounts
    Row("accounts:login", expect(302, anonymous=200), variant="signed-in users go to the office"),
    Row("accounts:logout", everyone(302), method="post"),
    Row("accounts:logout", everyone(405), variant="GET is refused"),
    Row("accounts:password-change", expect(200)),
    Row("accounts:api-token", expect(200)),
    Row("accounts:two-factor", expect(200)),
    Row("accounts:api-token", expect(302), method="post", variant="revoke"),
    Row("accounts:password-reset", everyone(200)),
    Row("accounts:password-reset-done", everyone(200)),
    Row("accounts:password-reset-confirm", everyone(200), args=("bad_uid", "bad_token")),
    Row("accounts:password-reset-complete", everyone(200)),
    Row("accounts:invitation-accept", everyone(200), args=("invitation_token",)),
    Row("accounts:invitation-accept", everyone(404), args=("bad_token",), variant="unknown"),
    # Back office: home and notices
    # A gate volunteer has only the gate to do: the home sends them there (issue 11).
    Row("dashboard:home", expect(200, gate_staff=302)),
    Row("dashboard:notice-list", expect(200)),
    Row("dashboard:notice-create", organiser_only()),
    Row("dashboard:notice-create", organiser_only(400), method="post", data={}),
    Row("dashboard:notice-edit", organiser_only(), args=("draft",)),
    Row("dashboard:notice-edit", organiser_only(302), args=("notice",), variant="published"),
    Row("dashboard:notice-detail", expect(404, **NOTICE_VISIBLE), args=("notice",)),
    Row("dashboard:notice-detail", organiser_only(200, 404), args=("draft",), variant="draft"),
    Row("dashboard:notice-publish", organiser_only(302, 404), args=("draft",), method="post"),
    Row(
        "dashboard:notice-publish",
        expect(404, organizer_admin=302, platform_admin=302, area_admin=403),
        args=("notice",),
        method="post",
        variant="published (seen by a recipient)",
    ),
    Row("dashboard:notice-attach", organiser_only(302, 404), args=("draft",), method="post"),
    Row(
        "dashboard:notice-attach",
        expect(404, organizer_admin=302, platform_admin=302, area_admin=403),
        args=("notice",),
        method="post",
        variant="published",
    ),
    Row(
        "dashboard:notice-attachment",
        expect(404, **NOTICE_VISIBLE),
        args=("notice", "attachment"),
    ),
    Row(
        "dashboard:notice-attachment",
        organiser_only(200, 404),
        args=("draft", "draft_attachment"),
        variant="draft",
    ),
    Row(
        "dashboard:notice-detach",
        organiser_only(302, 404),
        args=("draft", "draft_attachment"),
        method="post",
    ),
    Row(
        "dashboard:notice-acknowledge",
        expect(404, organizer_admin=302, platform_admin=302, area_admin=302),
        args=("notice",),
        method="post",
        data={"organization": "dept_a"},
    ),
    Row(
        "dashboard:notice-acknowledge-all",
        expect(404, organizer_admin=302, platform_admin=302, area_admin=302),
        args=("notice",),
        method="post",
    ),
    Row(
        "dashboard:notice-board",
        expect(404, organizer_admin=200, platform_admin=200, area_admin=403),
        args=("notice",),
    ),
    Row(
        "dashboard:notice-remind",
        expect(404, organizer_admin=302, platform_admin=302, area_admin=403),
        args=("notice",),
        method="post",
    ),
    # Editions
    Row("dashboard:edition-list", organiser_only()),
    Row("dashboard:edition-create", organiser_only()),
    Row("dashboard:edition-edit", organiser_only(), args=("edition",)),
    Row("dashboard:edition-copy", organiser_only(), args=("edition",)),
    Row(
        "dashboard:edition-transition",
        organiser_only(302),
        args=("edition",),
        method="post",
        data={"to": "closed"},
    ),
    # Organisations (unit_a: a host unit in area A, where unit_editor and gate belong)
    Row(
        "dashboard:organization-list",
        expect(403, organizer_admin=200, platform_admin=200, area_admin=200, other_area_admin=200),
    ),
    Row(
        "dashboard:organization-create",
        expect(403, organizer_admin=200, platform_admin=200, area_admin=200, other_area_admin=200),
    ),
    Row(
        "dashboard:organization-detail",
        expect(403, organizer_admin=200, platform_admin=200, area_admin=200, **ORG_VISIBLE),
        args=("unit_a",),
    ),
    Row(
        "dashboard:organization-edit",
        expect(403, organizer_admin=200, platform_admin=200, area_admin=200, **ORG_VISIBLE),
        args=("unit_a",),
    ),
    Row(
        "dashboard:membership-add",
        expect(403, organizer_admin=400, platform_admin=400, area_admin=400, **ORG_VISIBLE),
        args=("unit_a",),
        method="post",
        data={},
    ),
    Row(
        "dashboard:membership-remove",
        expect(403, organizer_admin=302, platform_admin=302, area_admin=302, **ORG_VISIBLE),
        args=("unit_a", "gate_membership"),
        method="post",
    ),
    Row(
        "dashboard:invitation-create",
        expect(403, organizer_admin=400, platform_admin=400, area_admin=400, **ORG_VISIBLE),
        args=("unit_a",),
        method="post",
        data={},
    ),
    Row(
        "dashboard:contact-add",
        expect(403, organizer_admin=400, platform_admin=400, area_admin=400, **ORG_VISIBLE),
        args=("unit_a",),
        method="post",
        data={},
    ),
    Row(
        "dashboard:contact-edit",
        expect(403, organizer_admin=200, platform_admin=200, area_admin=200, **ORG_VISIBLE),
        args=("unit_a", "contact"),
    ),
    Row(
        "dashboard:contact-delete",
        expect(403, organizer_admin=302, platform_admin=302, area_admin=302, **ORG_VISIBLE),
        args=("unit_a", "contact"),
        method="post",
    ),
    Row(
        "dashboard:invitation-revoke",
        expect(403, organizer_admin=302, platform_admin=302, area_admin=302, **ORG_VISIBLE),
        args=("unit_a", "invitation"),
        method="post",
    ),
    # Audit log
    Row("dashboard:audit-list", organiser_only()),
    # Outbox (retrying a message that has not failed is refused: back to the list)
    Row("dashboard:outbox-list", organiser_only()),
    Row("dashboard:outbox-retry", organiser_only(302), args=("outbox_message",), method="post"),
]


@pytest.fixture
def w(world):
    """The one world: the bureau, two areas, the department and the unit of 张店区, a published
    notice addressed to the department (with an attachment) and a draft."""
    for org in ("bureau", "area", "other_area", "dept", "unit"):
        world.build(org)
    world.edition = EditionFactory(organizer=world.bureau)
    world.notice = PublishedNoticeFactory(edition=world.edition)
    NoticeRecipient.objects.create(notice=world.notice, organization=world.dept)
    world.draft = NoticeFactory(edition=world.edition)
    NoticeRecipient.objects.create(notice=world.draft, organization=world.dept)

    def attach(to):
        attachment = NoticeAttachment(
            notice=to,
            storage_key=f"{to.pk}.pdf",
            original_name="附件.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        attachment.file.save(attachment.storage_key, ContentFile(PDF), save=False)
        attachment.save()
        return attachment

    for role in ROLES:
        world.build(role)
    # The admins here also review, as people do: a page must not list them twice.
    for role in (Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.OTHER_AREA_ADMIN):
        user = world.users[role]
        user.memberships.create(
            organization=user.memberships.get().organization, role=MemberRole.REVIEWER
        )
    world.invitation = Invitation.objects.create(
        organization=world.unit,
        email="invitee@example.test",
        role=MemberRole.EDITOR,
        expires_at=timezone.now() + timedelta(days=7),
    )
    world.attachment = attach(world.notice)
    world.outbox_message = OutboxMessage.objects.create(
        channel="sms", kind="booking.confirmed", recipient="13812345678", subject="t", body="t",
        status="failed", attempts=8, last_error="isv.BUSINESS_LIMIT_CONTROL: 流控",
    )  # fmt: skip
    world.draft_attachment = attach(world.draft)
    world.gate_membership = world.users[Role.GATE_STAFF].memberships.get()
    world.contact = Contact.objects.create(
        organization=world.unit, name="联络员", mobile="13900000001"
    )
    world.invitation_token = world.invitation.token
    world.bad_token = "not-a-real-token"
    world.bad_uid = "MTIzNDU"
    return world


def row_id(row: Row) -> str:
    return f"{row.method.upper()} {row.name}" + (f" ({row.variant})" if row.variant else "")


CASES = [pytest.param(row, role, id=f"{row_id(row)} as {role}") for row in TABLE for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES)
def test_permission_table(client, w, row, role):
    w.login(client, role)
    url = row.url(w)
    data = {
        key: (resolve(w, value) if isinstance(value, str) and hasattr(w, value) else value)
        for key, value in (row.data or {}).items()
    }
    response = client.post(url, data) if row.method == "post" else client.get(url)
    expected = row.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    else:
        assert response.status_code == expected, response.content[:300]


def _url_names(namespace: str) -> set[str]:
    resolver = get_resolver()
    _prefix, sub = resolver.namespace_dict[namespace]
    return {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}


# Each domain keeps its own (url, role, expected) table beside its other page tests; this test
# holds the foundation's pages. Together they must name every page, so a new page cannot be
# added without deciding who may open it.
DOMAIN_TABLES = [
    "tests/bookings/test_organiser_views.py",
    "tests/dashboard/test_activity_pages.py",
    "tests/dashboard/test_activity_excel_pages.py",
    "tests/media/test_views.py",
    "tests/reports/test_permissions.py",
    "tests/showcase/test_visibility.py",
    "tests/bookings/test_booking_pages.py",
    "tests/media/test_hall.py",
    "tests/dashboard/test_change_pages.py",
    "tests/exhibition/test_pages.py",
    "tests/dashboard/test_statistics_pages.py",
    "tests/bookings/test_survey.py",
    "tests/integrations/test_pages.py",
]


def _routes() -> dict[str, str]:
    """{"namespace:name": "/office/activities/<int:pk>/"} for every named route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route, entry.namespace or namespace)
            elif entry.name:
                found.setdefault(f"{namespace}:{entry.name}", "/" + prefix + route)

    walk(get_resolver().url_patterns, "", "")
    return found


def _mentioned(full_name: str, route: str, sources: str) -> bool:
    """Named in a table (``"ns:name"`` or the bare ``"name"``), or its path written out with
    each parameter as {x}, %s or a value."""
    if full_name in sources or f'"{full_name.split(":", 1)[1]}"' in sources:
        return True
    pieces = re.split(r"<[^>]+>", route)
    regex = r"(\{[\w.\[\]]+\}|%s|[\w.-]+)".join(re.escape(piece) for piece in pieces)
    return re.search(regex, sources) is not None


def test_every_page_is_in_a_permission_table():
    root = Path(__file__).resolve().parent.parent
    sources = "\n".join((root / module).read_text() for module in DOMAIN_TABLES)
    in_table = {row.name for row in TABLE}
    routes = _routes()
    missing = [
        full
        for namespace in ("dashboard", "accounts", "showcase", "bookings")
        for full in sorted(_url_names(namespace))
        if full not in in_table and not _mentioned(full, routes[full], sources)
    ]
    assert missing == []


def test_table_rows_are_complete_and_unique():
    keys = [(row.name, row.method, row.variant) for row in TABLE]
    assert len(keys) == len(set(keys))
    for row in TABLE:
        assert set(row.expected) == set(ROLES), row_id(row)
