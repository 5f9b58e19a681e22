"""The organisation pages of the back office: who may open them, what they show, and that every
change goes through the services (audited) with nothing typed lost on a refusal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciweek.audit.models import AuditEntry
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations.enums import InvitationState, OrganizationKind
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Invitation, Membership, Organization
from tests.factories import HostUnitFactory, InvitationFactory, UserFactory, member
from tests.organizations.world import ROLES, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOGIN = "/accounts/login/"


@pytest.fixture
def w():
    return make_world()


def _client_for(client, w, role):
    user = w.users[role]
    if user is not None:
        client.force_login(user)
    return client


# Who may open what ---------------------------------------------------------------------------

# (url name, object attribute or None) → {role: status}; anonymous always goes to the login page.
GET_TABLE = [
    (
        "dashboard:organization-list", None,
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.OTHER_AREA_ADMIN: 200, Role.UNIT_ADMIN: 403,
         Role.GATE_STAFF: 403, Role.SIGNED_IN: 403},
    ),
    (
        "dashboard:organization-create", None,
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.OTHER_AREA_ADMIN: 200, Role.UNIT_ADMIN: 403,
         Role.GATE_STAFF: 403, Role.SIGNED_IN: 403},
    ),
    (
        "dashboard:organization-detail", "unit_a",
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.OTHER_AREA_ADMIN: 404, Role.UNIT_ADMIN: 200,
         Role.GATE_STAFF: 403, Role.SIGNED_IN: 404},
    ),
    (
        "dashboard:organization-detail", "area_a",
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.OTHER_AREA_ADMIN: 404, Role.UNIT_ADMIN: 404,
         Role.GATE_STAFF: 404, Role.SIGNED_IN: 404},
    ),
    (
        "dashboard:organization-detail", "dept_a",
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.OTHER_AREA_ADMIN: 404, Role.UNIT_ADMIN: 404,
         Role.GATE_STAFF: 404, Role.SIGNED_IN: 404},
    ),
    (
        "dashboard:organization-edit", "unit_a",
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 200, Role.OTHER_AREA_ADMIN: 404, Role.UNIT_ADMIN: 403,
         Role.GATE_STAFF: 403, Role.SIGNED_IN: 404},
    ),
    (
        "dashboard:organization-edit", "area_a",
        {Role.ORGANIZER_ADMIN: 200, Role.AREA_ADMIN: 403, Role.OTHER_AREA_ADMIN: 404, Role.UNIT_ADMIN: 404,
         Role.GATE_STAFF: 404, Role.SIGNED_IN: 404},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url_name", "obj_attr", "role", "expected"),
    [
        (url_name, obj_attr, role, expected.get(role, 302))
        for url_name, obj_attr, expected in GET_TABLE
        for role in ROLES
    ],
)
def test_page_access(client, w, url_name, obj_attr, role, expected):
    args = [getattr(w, obj_attr).pk] if obj_attr else []
    url = reverse(url_name, args=args)
    response = _client_for(client, w, role).get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == f"{LOGIN}?next={url}"


def test_platform_admin_sees_every_page(client, w):
    w.login(client, Role.PLATFORM_ADMIN)
    for url_name, obj_attr, _expected in GET_TABLE:
        args = [getattr(w, obj_attr).pk] if obj_attr else []
        assert client.get(reverse(url_name, args=args)).status_code == 200, url_name


# (role) → status of POSTs that change members of unit A; each role on a fresh world.
MEMBER_POST_STATUS = {
    Role.ORGANIZER_ADMIN: 302,
    Role.AREA_ADMIN: 302,
    Role.OTHER_AREA_ADMIN: 404,
    Role.UNIT_ADMIN: 302,
    Role.GATE_STAFF: 403,
    Role.SIGNED_IN: 404,
    Role.ANONYMOUS: 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_membership_remove_access(client, w, role):
    membership = Membership.objects.get(user=w.gate)
    url = reverse("dashboard:membership-remove", args=[w.unit_a.pk, membership.pk])
    response = _client_for(client, w, role).post(url)
    assert response.status_code == MEMBER_POST_STATUS[role]
    removed = role in {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN}
    assert Membership.objects.filter(pk=membership.pk).exists() is not removed
    assert AuditEntry.objects.filter(action="membership.remove").count() == int(removed)
    if role == Role.ANONYMOUS:
        assert response["Location"].startswith(f"{LOGIN}?next=")


@pytest.mark.parametrize("role", ROLES)
def test_invitation_create_access(client, w, role):
    url = reverse("dashboard:invitation-create", args=[w.unit_a.pk])
    response = _client_for(client, w, role).post(
        url, {"email": "x@example.test", "name": "", "role": "editor"}
    )
    assert response.status_code == MEMBER_POST_STATUS[role]
    created = role in {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN}
    assert Invitation.objects.count() == int(created)
    assert OutboxMessage.objects.count() == int(created)


@pytest.mark.parametrize("role", ROLES)
def test_invitation_revoke_access(client, w, role):
    invitation = InvitationFactory(organization=w.unit_a)
    url = reverse("dashboard:invitation-revoke", args=[w.unit_a.pk, invitation.pk])
    response = _client_for(client, w, role).post(url)
    assert response.status_code == MEMBER_POST_STATUS[role]
    invitation.refresh_from_db()
    revoked = role in {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN}
    assert invitation.state == (InvitationState.REVOKED if revoked else InvitationState.PENDING)


@pytest.mark.parametrize("role", ROLES)
def test_membership_add_access(client, w, role):
    newbie = UserFactory(username="newbie")
    url = reverse("dashboard:membership-add", args=[w.unit_a.pk])
    response = _client_for(client, w, role).post(url, {"username": "newbie", "role": "editor"})
    assert response.status_code == MEMBER_POST_STATUS[role]
    added = role in {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN}
    assert Membership.objects.filter(user=newbie).exists() is added


@pytest.mark.parametrize("role", ROLES)
def test_organization_create_post_access(client, w, role):
    url = reverse("dashboard:organization-create")
    response = _client_for(client, w, role).post(
        url, {"name": "新单位", "kind": "host_unit", "parent": w.area_a.pk, "is_active": "on"}
    )
    expected = {Role.ORGANIZER_ADMIN: 302, Role.AREA_ADMIN: 302, Role.OTHER_AREA_ADMIN: 400}.get(
        role, 302 if role == Role.ANONYMOUS else 403
    )
    assert response.status_code == expected
    assert Organization.objects.filter(name="新单位").exists() is (
        role in {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN}
    )


# The tree ------------------------------------------------------------------------------------


def _row_ids(response):
    return [org.pk for org in response.context["organizations"]]


def test_list_organizer_sees_whole_tree_in_path_order(client, w):
    client.force_login(w.organizer)
    response = client.get(reverse("dashboard:organization-list"))
    expected = list(Organization.objects.order_by("path").values_list("pk", flat=True))
    assert _row_ids(response) == expected
    assert _row_ids(response)[0] == w.bureau.pk
    html = response.content.decode()
    assert f'data-org-id="{w.unit_a.pk}" data-depth="2"' in html
    assert 'class="org-name org-depth-2"' in html


def test_list_area_admin_sees_own_area_subtree_only(client, w):
    client.force_login(w.area_admin)
    response = client.get(reverse("dashboard:organization-list"))
    assert set(_row_ids(response)) == {w.area_a.pk, w.unit_a.pk, w.dept_a.pk}
    rows = {org.pk: org for org in response.context["organizations"]}
    # Only their area takes new units; nothing else can be added under.
    assert rows[w.area_a.pk].can_add_under is True
    assert rows[w.dept_a.pk].can_add_under is False
    html = response.content.decode()
    assert reverse("dashboard:organization-edit", args=[w.unit_a.pk]) in html
    assert reverse("dashboard:organization-edit", args=[w.area_a.pk]) not in html
    assert reverse("dashboard:organization-edit", args=[w.dept_a.pk]) not in html


def test_list_filters_by_kind_area_and_name(client, w):
    client.force_login(w.organizer)
    url = reverse("dashboard:organization-list")
    assert _row_ids(client.get(url, {"kind": "host_unit"})) == sorted(
        [w.unit_a.pk, w.unit_b.pk], key=lambda pk: Organization.objects.get(pk=pk).path
    )
    assert set(_row_ids(client.get(url, {"area": w.area_b.pk}))) == {w.area_b.pk, w.unit_b.pk}
    assert _row_ids(client.get(url, {"q": "淄博市科技馆"})) == [w.unit_a.pk]
    assert _row_ids(client.get(url, {"q": "nothing-like-this"})) == []


def test_list_area_filter_offers_only_visible_areas(client, w):
    client.force_login(w.area_admin)
    response = client.get(reverse("dashboard:organization-list"))
    areas = response.context["filter_form"].fields["area"].queryset
    assert list(areas.values_list("pk", flat=True)) == [w.area_a.pk]
    # Another area's id is not a valid choice: the filter is ignored, not obeyed.
    response = client.get(reverse("dashboard:organization-list"), {"area": w.area_b.pk})
    assert set(_row_ids(response)) == {w.area_a.pk, w.unit_a.pk, w.dept_a.pk}


def test_list_paginates_by_20(client, w):
    for n in range(25):
        HostUnitFactory(parent=w.area_a, name=f"学校{n:02d}")
    client.force_login(w.area_admin)
    url = reverse("dashboard:organization-list")
    first = client.get(url)
    assert len(_row_ids(first)) == 20
    assert first.context["paginator"].count == 28
    assert len(_row_ids(client.get(url, {"page": 2}))) == 8


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_same_for_1_and_20_rows(client, w):
    client.force_login(w.organizer)
    url = reverse("dashboard:organization-list") + "?kind=host_unit&q=校"
    HostUnitFactory(parent=w.area_a, name="学校0")
    member(MemberRole.EDITOR, Organization.objects.get(name="学校0"))
    one = _count_queries(client, url)
    for n in range(1, 20):
        unit = HostUnitFactory(parent=w.area_a if n % 2 else w.area_b, name=f"学校{n}")
        member(MemberRole.EDITOR, unit)
    twenty = _count_queries(client, url)
    assert one == twenty


# Create and edit -----------------------------------------------------------------------------


def _org_data(**overrides):
    data = {
        "name": "淄博一中", "short_name": "一中", "kind": "host_unit", "parent": "",
        "area_type": "", "division_code": "", "slug": "", "unit_type": "school",
        "email": "info@yz.example.test", "phone": "0533-1234567", "address": "张店区", "is_active": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_create_prefills_parent_from_query(client, w):
    client.force_login(w.organizer)
    response = client.get(reverse("dashboard:organization-create"), {"parent": w.area_a.pk})
    assert response.context["form"]["parent"].value() == w.area_a.pk
    assert f'<option value="{w.area_a.pk}" selected>' in response.content.decode()


def test_organizer_creates_area_under_bureau(client, w):
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:organization-create"),
        _org_data(name="高新区", kind="area", parent=w.bureau.pk, area_type="zone",
                  division_code="370391", slug="gaoxin", unit_type=""),
    )  # fmt: skip
    org = Organization.objects.get(name="高新区")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:organization-detail", args=[org.pk])
    assert (org.kind, org.parent_id, org.area_id, org.division_code, org.slug) == (
        "area", w.bureau.pk, org.pk, "370391", "gaoxin",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="organization.create")
    assert entry.actor == w.organizer
    assert entry.changes["name"] == [None, "高新区"]


def test_area_admin_form_is_narrowed_to_host_units_in_own_area(client, w):
    client.force_login(w.area_admin)
    form = client.get(reverse("dashboard:organization-create")).context["form"]
    assert list(form.fields["parent"].queryset.values_list("pk", flat=True)) == [w.area_a.pk]
    assert form.fields["kind"].disabled is True
    assert form.fields["parent"].empty_label is None
    assert "area_type" not in form.fields
    assert "division_code" not in form.fields


def test_area_admin_creates_host_unit_kind_forced(client, w):
    client.force_login(w.area_admin)
    response = client.post(
        reverse("dashboard:organization-create"),
        _org_data(kind="area", parent=w.area_a.pk, area_type="zone"),
    )
    assert response.status_code == 302
    org = Organization.objects.get(name="淄博一中")
    assert (org.kind, org.parent_id, org.area_id, org.area_type) == (
        "host_unit", w.area_a.pk, w.area_a.pk, "",
    )  # fmt: skip


def test_area_admin_cannot_create_under_another_area(client, w):
    client.force_login(w.area_admin)
    response = client.post(
        reverse("dashboard:organization-create"), _org_data(parent=w.area_b.pk), **EN
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["parent"]
    assert not Organization.objects.filter(name="淄博一中").exists()
    assert not AuditEntry.objects.exists()


def test_bad_placement_shows_service_error_and_keeps_input(client, w):
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:organization-create"), _org_data(parent=w.bureau.pk), **EN
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() == ["A Host unit cannot be placed under 市科技局."]
    html = response.content.decode()
    assert "A Host unit cannot be placed under 市科技局." in html
    for typed in ['value="淄博一中"', 'value="一中"', 'value="info@yz.example.test"',
                  'value="0533-1234567"', 'value="张店区"']:  # fmt: skip
        assert typed in html
    assert not Organization.objects.filter(name="淄博一中").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("division_code", "37030"), ("email", "not-an-email"), ("slug", "has space"), ("name", "")],
)
def test_create_malformed_input_refused(client, w, field, value):
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:organization-create"),
        _org_data(kind="area", parent=w.bureau.pk, unit_type="", **{field: value}),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Organization.objects.count() == 6


def test_create_hostile_name_is_escaped(client, w):
    client.force_login(w.organizer)
    hostile = '<script>alert("x")</script>'
    client.post(
        reverse("dashboard:organization-create"), _org_data(name=hostile, parent=w.area_a.pk)
    )
    org = Organization.objects.get(name=hostile)
    html = client.get(reverse("dashboard:organization-detail", args=[org.pk])).content.decode()
    assert hostile not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_duplicate_slug_refused_beside_field(client, w):
    Organization.objects.filter(pk=w.area_a.pk).update(slug="zhangdian")
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:organization-create"),
        _org_data(parent=w.area_b.pk, slug="zhangdian"),
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "slug": ["Another organisation already uses this short code."]
    }
    assert not Organization.objects.filter(name="淄博一中").exists()


def test_duplicate_name_under_same_parent_refused(client, w):
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:organization-create"),
        _org_data(name="淄博市科技馆", parent=w.area_a.pk),
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Organisation with this Parent organisation and Name already exists."
    ]
    assert Organization.objects.filter(name="淄博市科技馆").count() == 1


def test_area_admin_edits_own_host_unit(client, w):
    client.force_login(w.area_admin)
    response = client.post(
        reverse("dashboard:organization-edit", args=[w.unit_a.pk]),
        _org_data(name="淄博市科技馆改", parent=w.area_a.pk),
    )
    assert response.status_code == 302
    w.unit_a.refresh_from_db()
    assert w.unit_a.name == "淄博市科技馆改"
    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.changes["name"] == ["淄博市科技馆", "淄博市科技馆改"]
    assert entry.actor == w.area_admin


def test_area_admin_cannot_move_unit_to_another_area(client, w):
    client.force_login(w.area_admin)
    response = client.post(
        reverse("dashboard:organization-edit", args=[w.unit_a.pk]),
        _org_data(name="淄博市科技馆", parent=w.area_b.pk),
    )
    assert response.status_code == 400
    w.unit_a.refresh_from_db()
    assert w.unit_a.parent_id == w.area_a.pk


def test_organizer_edit_parent_choices_exclude_own_subtree(client, w):
    client.force_login(w.organizer)
    form = client.get(reverse("dashboard:organization-edit", args=[w.area_a.pk])).context["form"]
    choices = set(form.fields["parent"].queryset.values_list("pk", flat=True))
    assert choices == {w.bureau.pk, w.area_b.pk, w.unit_b.pk}


def test_edit_refusal_keeps_stored_name_in_heading(client, w):
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:organization-edit", args=[w.unit_a.pk]),
        _org_data(name="改了但失败", parent=w.bureau.pk),
        **EN,
    )
    assert response.status_code == 400
    assert response.context["organization"].name == "淄博市科技馆"
    assert 'value="改了但失败"' in response.content.decode()


# Detail, members, invitations ----------------------------------------------------------------


def test_detail_shows_facts_children_members_invitations(client, w):
    invitation = InvitationFactory(organization=w.area_a, email="pending@example.test")
    InvitationFactory(organization=w.area_a, state=InvitationState.REVOKED)
    client.force_login(w.area_admin)
    response = client.get(reverse("dashboard:organization-detail", args=[w.area_a.pk]))
    assert [c.pk for c in response.context["children"]] == sorted(
        [w.unit_a.pk, w.dept_a.pk], key=lambda pk: Organization.objects.get(pk=pk).path
    )
    assert [m.user for m in response.context["members"]] == [w.area_admin]
    assert [i.pk for i in response.context["invitations"]] == [invitation.pk]
    html = response.content.decode()
    membership = Membership.objects.get(user=w.area_admin)
    assert f'data-membership-id="{membership.pk}"' in html
    assert reverse("dashboard:membership-remove", args=[w.area_a.pk, membership.pk]) in html
    assert reverse("dashboard:invitation-revoke", args=[w.area_a.pk, invitation.pk]) in html
    assert 'data-confirm="' in html
    # An area's own details are the organiser's to change.
    assert reverse("dashboard:organization-edit", args=[w.area_a.pk]) not in html


def test_detail_for_area_department_is_read_only_for_area_admin(client, w):
    client.force_login(w.area_admin)
    html = client.get(reverse("dashboard:organization-detail", args=[w.dept_a.pk])).content.decode()
    assert 'id="invite-form"' not in html
    assert reverse("dashboard:invitation-create", args=[w.dept_a.pk]) not in html


def test_invite_from_page_queues_email_and_audits(client, w):
    client.force_login(w.area_admin)
    response = client.post(
        reverse("dashboard:invitation-create", args=[w.unit_a.pk]),
        {"email": "Teacher@Example.test", "name": "李老师", "role": "admin"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:organization-detail", args=[w.unit_a.pk])
    invitation = Invitation.objects.get()
    assert (invitation.organization_id, invitation.email, invitation.role, invitation.name) == (
        w.unit_a.pk, "teacher@example.test", "admin", "李老师",
    )  # fmt: skip
    assert invitation.invited_by == w.area_admin
    assert OutboxMessage.objects.get().recipient == "teacher@example.test"
    assert AuditEntry.objects.get(action="invitation.create").actor == w.area_admin


def test_invite_duplicate_shows_error_and_keeps_input(client, w):
    InvitationFactory(organization=w.unit_a, email="dup@example.test", role="editor")
    client.force_login(w.unit_admin)
    response = client.post(
        reverse("dashboard:invitation-create", args=[w.unit_a.pk]),
        {"email": "dup@example.test", "name": "重复", "role": "editor"},
        **EN,
    )
    assert response.status_code == 400
    form = response.context["invitation_form"]
    assert form.non_field_errors() == [
        "dup@example.test already has an open invitation for this role."
    ]
    assert 'value="重复"' in response.content.decode()
    assert Invitation.objects.count() == 1
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email", "role": "editor"},
        {"email": "", "role": "editor"},
        {"email": "a@example.test", "role": "superuser"},
        {"email": "a" * 250 + "@example.test", "role": "editor"},
    ],
)
def test_invite_malformed_refused(client, w, data):
    client.force_login(w.unit_admin)
    response = client.post(reverse("dashboard:invitation-create", args=[w.unit_a.pk]), data)
    assert response.status_code == 400
    assert Invitation.objects.count() == 0


def test_add_existing_user_by_username(client, w):
    newbie = UserFactory(username="Newbie")
    client.force_login(w.unit_admin)
    response = client.post(
        reverse("dashboard:membership-add", args=[w.unit_a.pk]),
        {"username": "newbie", "role": "reviewer"},
    )
    assert response.status_code == 302
    assert list(Membership.objects.filter(user=newbie).values_list("organization", "role")) == [
        (w.unit_a.pk, "reviewer")
    ]
    assert AuditEntry.objects.get(action="membership.add").actor == w.unit_admin


def test_add_unknown_or_existing_member_refused(client, w):
    client.force_login(w.unit_admin)
    url = reverse("dashboard:membership-add", args=[w.unit_a.pk])
    response = client.post(url, {"username": "ghost", "role": "editor"}, **EN)
    assert response.status_code == 400
    assert response.context["member_form"].errors["username"] == [
        "No active account has the user name ghost."
    ]
    response = client.post(url, {"username": "gate-staff", "role": "gate_staff"}, **EN)
    assert response.status_code == 400
    assert response.context["member_form"].non_field_errors() == [
        f"{w.gate} already has this role in 淄博市科技馆."
    ]
    assert Membership.objects.filter(organization=w.unit_a).count() == 2


def test_remove_membership_of_another_organization_is_404(client, w):
    other = member(MemberRole.EDITOR, w.unit_b)
    membership = Membership.objects.get(user=other)
    client.force_login(w.organizer)
    response = client.post(
        reverse("dashboard:membership-remove", args=[w.unit_a.pk, membership.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_revoke_invitation_of_another_organization_is_404(client, w):
    invitation = InvitationFactory(organization=w.unit_b)
    client.force_login(w.area_admin)
    response = client.post(
        reverse("dashboard:invitation-revoke", args=[w.unit_a.pk, invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING


def test_revoke_twice_shows_message(client, w):
    invitation = InvitationFactory(organization=w.unit_a, state=InvitationState.ACCEPTED)
    client.force_login(w.unit_admin)
    response = client.post(
        reverse("dashboard:invitation-revoke", args=[w.unit_a.pk, invitation.pk]),
        follow=True,
        **EN,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Only an open invitation can be revoked."
    ]
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED


def test_member_actions_reject_get(client, w):
    client.force_login(w.organizer)
    membership = Membership.objects.get(user=w.gate)
    response = client.get(reverse("dashboard:membership-remove", args=[w.unit_a.pk, membership.pk]))
    assert response.status_code == 405
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.get(reverse("dashboard:invitation-create", args=[w.unit_a.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:organization-detail", args=[w.unit_a.pk])


def test_nav_shows_organisations_only_to_tree_viewers(client, w):
    link = f'href="{reverse("dashboard:organization-list")}"'
    client.force_login(w.area_admin)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert link in html
    client.force_login(w.unit_admin)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert link not in html
    # The unit's admin reaches its own organisation's page from the home page instead.
    assert f'href="{reverse("dashboard:organization-detail", args=[w.unit_a.pk])}"' in html


def test_kind_choices_cover_every_kind(client, w):
    client.force_login(w.organizer)
    form = client.get(reverse("dashboard:organization-create")).context["form"]
    assert [value for value, _label in form.fields["kind"].choices if value] == list(
        OrganizationKind.values
    )


def test_removing_your_own_last_admin_role_is_refused_with_a_message(client, w):
    from sciweek.organizations.models import Membership

    own = Membership.objects.get(user=w.unit_admin, role=MemberRole.ADMIN)
    client.force_login(w.unit_admin)
    url = reverse("dashboard:membership-remove", args=[w.unit_a.pk, own.pk])
    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain == [
        (reverse("dashboard:organization-detail", args=[w.unit_a.pk]), 302)
    ]
    assert "You are the only administrator of 淄博市科技馆." in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


# Contact people ------------------------------------------------------------------------------


def _contact(w):
    from sciweek.organizations.models import Contact

    return Contact.objects.create(organization=w.unit_a, name="联络员", post="办公室",
                                  mobile="13900000001", email="c@example.test")  # fmt: skip


CONTACT_MANAGERS = {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN}


@pytest.mark.parametrize("role", ROLES)
def test_contact_add_access(client, w, role):
    from sciweek.organizations.models import Contact

    url = reverse("dashboard:contact-add", args=[w.unit_a.pk])
    data = {"contact-name": "王联络", "contact-post": "科员", "contact-mobile": "+86 139 0000 0002",
            "contact-email": ""}  # fmt: skip
    response = _client_for(client, w, role).post(url, data)
    assert response.status_code == MEMBER_POST_STATUS[role]
    added = role in CONTACT_MANAGERS
    assert list(Contact.objects.values_list("name", "mobile")) == (
        [("王联络", "13900000002")] if added else []
    )
    assert AuditEntry.objects.filter(action="contact.create").count() == int(added)


@pytest.mark.parametrize("role", ROLES)
def test_contact_edit_access(client, w, role):
    contact = _contact(w)
    url = reverse("dashboard:contact-edit", args=[w.unit_a.pk, contact.pk])
    as_role = _client_for(client, w, role)
    expected_get = {302: 200}.get(MEMBER_POST_STATUS[role], MEMBER_POST_STATUS[role])
    if role == Role.ANONYMOUS:
        expected_get = 302
    assert as_role.get(url).status_code == expected_get
    data = {"name": "联络员", "post": "主任", "mobile": "13900000001", "email": "c@example.test"}
    assert as_role.post(url, data).status_code == MEMBER_POST_STATUS[role]
    contact.refresh_from_db()
    changed = role in CONTACT_MANAGERS
    assert contact.post == ("主任" if changed else "办公室")
    entries = AuditEntry.objects.filter(action="contact.update")
    assert entries.count() == int(changed)
    if changed:
        assert entries.get().changes == {"post": ["办公室", "主任"]}


@pytest.mark.parametrize("role", ROLES)
def test_contact_delete_access(client, w, role):
    from sciweek.organizations.models import Contact

    contact = _contact(w)
    url = reverse("dashboard:contact-delete", args=[w.unit_a.pk, contact.pk])
    response = _client_for(client, w, role).post(url)
    assert response.status_code == MEMBER_POST_STATUS[role]
    removed = role in CONTACT_MANAGERS
    assert Contact.objects.filter(pk=contact.pk).exists() is not removed
    assert AuditEntry.objects.filter(action="contact.delete").count() == int(removed)


def test_the_page_lists_contacts_and_offers_their_forms_to_managers_only(client, w):
    contact = _contact(w)
    page = (
        _client_for(client, w, Role.UNIT_ADMIN)
        .get(reverse("dashboard:organization-detail", args=[w.unit_a.pk]), **EN)
        .content.decode()
    )
    assert f'data-contact-id="{contact.pk}"' in page and "13900000001" in page
    assert reverse("dashboard:contact-edit", args=[w.unit_a.pk, contact.pk]) in page
    assert 'id="contact-form"' in page


def test_a_contact_nobody_can_reach_or_with_a_bad_mobile_is_refused_and_kept(client, w):
    from sciweek.organizations.models import Contact

    as_admin = _client_for(client, w, Role.UNIT_ADMIN)
    url = reverse("dashboard:contact-add", args=[w.unit_a.pk])
    response = as_admin.post(url, {"contact-name": "无联系方式", "contact-post": "文员"}, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give a mobile number or an email" in body and 'value="无联系方式"' in body
    response = as_admin.post(url, {"contact-name": "错号", "contact-mobile": "12345"}, **EN)
    assert response.status_code == 400
    assert "Enter an 11-digit mobile number" in response.content.decode()
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="contact.").exists()


def test_a_new_contact_is_reached_by_the_next_notice(w):
    """The contacts edited here are the ones delivery reads (``reach_of``)."""
    from sciweek.organizations.selectors import reach_of

    _contact(w)
    emails, mobiles = reach_of(w.unit_a)
    assert "c@example.test" in emails and "13900000001" in mobiles
