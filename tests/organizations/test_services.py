"""Organisation, membership and invitation services: each happy path, each refusal, and the
audit entry each one writes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations import services
from sciweek.organizations.enums import InvitationState, OrganizationKind
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Invitation, Membership, Organization
from tests.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.organizations.world import fresh, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def _unit(parent, name="新单位", kind=OrganizationKind.HOST_UNIT):
    return Organization(name=name, kind=kind, parent=parent, unit_type="school")


# organization_save -------------------------------------------------------------------------


def test_organization_save_creates_area_under_bureau_with_path_and_audit(w):
    org = services.organization_save(
        organization=Organization(
            name="新区", kind=OrganizationKind.AREA, parent=w.bureau, division_code="370303"
        ),
        by=w.organizer,
    )
    org.refresh_from_db()
    assert org.path == f"{w.bureau.path}{org.pk:07d}/"
    assert org.area_id == org.pk
    entry = AuditEntry.objects.get(action="organization.create")
    assert entry.actor == w.organizer
    assert entry.object_id == str(org.pk)
    assert entry.organization_id == org.pk
    assert entry.changes["name"] == [None, "新区"]
    assert entry.changes["division_code"] == [None, "370303"]


def test_organization_save_area_admin_creates_host_unit_in_own_area(w):
    org = services.organization_save(organization=_unit(w.area_a), by=fresh(w.area_admin))
    org.refresh_from_db()
    assert (org.parent_id, org.area_id, org.kind) == (w.area_a.pk, w.area_a.pk, "host_unit")
    assert (
        AuditEntry.objects.filter(action="organization.create", object_id=str(org.pk)).count() == 1
    )


def test_organization_save_area_admin_refused_under_another_area(w):
    with pytest.raises(PermissionRefused) as exc:
        services.organization_save(organization=_unit(w.area_b), by=fresh(w.area_admin))
    assert exc.value.code == "not_your_area"
    assert not Organization.objects.filter(name="新单位").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "kind",
    [OrganizationKind.AREA_DEPARTMENT, OrganizationKind.AREA, OrganizationKind.CITY_DEPARTMENT],
)
def test_organization_save_area_admin_refused_other_kinds(w, kind):
    parent = w.bureau if kind != OrganizationKind.AREA_DEPARTMENT else w.area_a
    with pytest.raises(PermissionRefused):
        services.organization_save(organization=_unit(parent, kind=kind), by=fresh(w.area_admin))
    assert not Organization.objects.filter(name="新单位").exists()


@pytest.mark.parametrize("role_holder", [Role.UNIT_ADMIN, Role.GATE_STAFF, Role.SIGNED_IN])
def test_organization_save_refused_without_authority(w, role_holder):
    with pytest.raises(PermissionRefused):
        services.organization_save(organization=_unit(w.area_a), by=fresh(w.users[role_holder]))
    assert not Organization.objects.filter(name="新单位").exists()


def test_organization_save_area_admin_may_not_move_unit_to_another_area(w):
    unit = Organization.objects.get(pk=w.unit_a.pk)
    unit.parent = w.area_b
    with pytest.raises(PermissionRefused):
        services.organization_save(organization=unit, by=fresh(w.area_admin))
    assert Organization.objects.get(pk=w.unit_a.pk).parent_id == w.area_a.pk


def test_organization_save_area_admin_may_not_take_over_unit_of_another_area(w):
    unit = Organization.objects.get(pk=w.unit_b.pk)
    unit.parent = w.area_a
    with pytest.raises(PermissionRefused):
        services.organization_save(organization=unit, by=fresh(w.area_admin))
    assert Organization.objects.get(pk=w.unit_b.pk).parent_id == w.area_b.pk


def test_organization_save_area_admin_may_not_edit_own_area(w):
    area = Organization.objects.get(pk=w.area_a.pk)
    area.name = "改名"
    with pytest.raises(PermissionRefused):
        services.organization_save(organization=area, by=fresh(w.area_admin))
    assert Organization.objects.get(pk=w.area_a.pk).name == "张店区"


def test_organization_save_update_audits_only_changes(w):
    unit = Organization.objects.get(pk=w.unit_a.pk)
    unit.name = "淄博市科技馆（新）"
    unit.phone = "0533-1234567"
    services.organization_save(organization=unit, by=fresh(w.area_admin))
    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.changes == {
        "name": ["淄博市科技馆", "淄博市科技馆（新）"],
        "phone": ["", "0533-1234567"],
    }
    assert entry.actor == w.area_admin


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [
        (OrganizationKind.HOST_UNIT, "bureau"),
        (OrganizationKind.AREA, "area_a"),
        (OrganizationKind.AREA_DEPARTMENT, "bureau"),
        (OrganizationKind.CITY_BUREAU, "bureau"),
        (OrganizationKind.HOST_UNIT, None),
    ],
)
def test_organization_save_bad_placement_refused(w, kind, parent_attr):
    parent = getattr(w, parent_attr) if parent_attr else None
    with pytest.raises(ServiceError) as exc:
        services.organization_save(organization=_unit(parent, kind=kind), by=w.organizer)
    assert exc.value.code == "bad_parent"
    assert not Organization.objects.filter(name="新单位").exists()


def test_organization_save_move_under_own_descendant_refused(w):
    area = Organization.objects.get(pk=w.area_a.pk)
    # An area under an area is already a bad placement; under itself is the cycle check.
    area.kind = OrganizationKind.HOST_UNIT
    area.parent = Organization.objects.get(pk=w.area_a.pk)
    with pytest.raises(ServiceError) as exc:
        services.organization_save(organization=area, by=w.organizer)
    assert exc.value.code == "bad_parent"


def test_organization_save_move_updates_subtree_paths(w):
    area_dept = Organization.objects.get(pk=w.dept_a.pk)
    area_dept.parent = w.area_b
    services.organization_save(organization=area_dept, by=w.organizer)
    area_dept.refresh_from_db()
    assert area_dept.path == f"{w.area_b.path}{area_dept.pk:07d}/"
    assert area_dept.area_id == w.area_b.pk


def test_organization_save_duplicate_name_under_same_parent_refused(w):
    with pytest.raises(ValidationError) as exc:
        services.organization_save(
            organization=_unit(w.area_a, name="淄博市科技馆"), by=w.organizer
        )
    assert list(exc.value.message_dict) == ["__all__"]
    assert Organization.objects.filter(name="淄博市科技馆").count() == 1


# memberships --------------------------------------------------------------------------------


def test_membership_add_creates_and_audits(w):
    user = UserFactory(username="newbie")
    membership = services.membership_add(
        organization=w.unit_a, user=user, role=MemberRole.EDITOR, by=w.unit_admin
    )
    assert Membership.objects.filter(pk=membership.pk, user=user, role="editor").exists()
    entry = AuditEntry.objects.get(action="membership.add")
    assert entry.actor == w.unit_admin
    assert entry.organization_id == w.unit_a.pk
    assert entry.changes == {
        "user": [None, "newbie"],
        "organization": [None, "淄博市科技馆"],
        "role": [None, "editor"],
    }


def test_membership_add_same_role_twice_refused(w):
    with pytest.raises(ServiceError) as exc:
        services.membership_add(
            organization=w.unit_a, user=w.gate, role=MemberRole.GATE_STAFF, by=w.organizer
        )
    assert exc.value.code == "membership_exists"
    assert Membership.objects.filter(user=w.gate).count() == 1
    assert not AuditEntry.objects.filter(action="membership.add").exists()


def test_membership_remove_deletes_and_audits(w):
    membership = Membership.objects.get(user=w.gate)
    membership_pk = membership.pk
    services.membership_remove(membership=membership, by=w.area_admin)
    assert not Membership.objects.filter(user=w.gate).exists()
    entry = AuditEntry.objects.get(action="membership.remove")
    assert entry.actor == w.area_admin
    assert entry.object_id == str(membership_pk)
    assert entry.organization_id == w.unit_a.pk
    assert entry.changes == {
        "user": ["gate-staff", None],
        "organization": ["淄博市科技馆", None],
        "role": ["gate_staff", None],
    }


def test_membership_remove_refuses_an_admin_removing_their_own_last_admin_role(w):
    own = Membership.objects.get(user=w.unit_admin, role=MemberRole.ADMIN)
    with pytest.raises(ServiceError) as exc:
        services.membership_remove(membership=own, by=w.unit_admin)
    assert exc.value.code == "last_admin"
    assert Membership.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(action="membership.remove").exists()


def test_membership_remove_lets_an_admin_leave_when_another_admin_remains(w):
    services.membership_add(
        organization=w.unit_a, user=w.gate, role=MemberRole.ADMIN, by=w.organizer
    )
    own = Membership.objects.get(user=w.unit_admin, role=MemberRole.ADMIN)
    services.membership_remove(membership=own, by=w.unit_admin)
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_membership_remove_by_a_manager_above_may_remove_the_last_admin(w):
    own = Membership.objects.get(user=w.unit_admin, role=MemberRole.ADMIN)
    services.membership_remove(membership=own, by=w.area_admin)
    assert not Membership.objects.filter(pk=own.pk).exists()


# invitations --------------------------------------------------------------------------------


def test_invitation_create_queues_email_and_audits(w):
    invitation = services.invitation_create(
        organization=w.unit_a, email=" New.Person@Example.TEST ", role=MemberRole.EDITOR, name="王老师",
        by=w.unit_admin,
    )  # fmt: skip
    assert invitation.email == "new.person@example.test"
    assert invitation.state == InvitationState.PENDING
    assert invitation.invited_by == w.unit_admin
    assert len(invitation.token) >= 40
    message = OutboxMessage.objects.get()
    assert message.kind == "invitation"
    assert message.recipient == "new.person@example.test"
    assert f"/accounts/invitations/{invitation.token}/" in message.body
    entry = AuditEntry.objects.get(action="invitation.create")
    assert entry.actor == w.unit_admin
    assert entry.object_id == str(invitation.pk)
    assert entry.changes["email"] == [None, "new.person@example.test"]


def test_invitation_create_open_duplicate_refused(w):
    services.invitation_create(
        organization=w.unit_a, email="a@example.test", role=MemberRole.EDITOR, by=w.unit_admin
    )
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            organization=w.unit_a, email="A@example.test", role=MemberRole.EDITOR, by=w.unit_admin
        )
    assert exc.value.code == "invitation_exists"
    assert Invitation.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_invitation_create_same_email_other_role_allowed(w):
    services.invitation_create(
        organization=w.unit_a, email="a@example.test", role=MemberRole.EDITOR, by=w.unit_admin
    )
    services.invitation_create(
        organization=w.unit_a, email="a@example.test", role=MemberRole.REVIEWER, by=w.unit_admin
    )
    assert Invitation.objects.count() == 2


def test_invitation_revoke_sets_state_and_audits(w):
    invitation = InvitationFactory(organization=w.unit_a)
    services.invitation_revoke(invitation=invitation, by=w.area_admin)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED
    entry = AuditEntry.objects.get(action="invitation.revoke")
    assert entry.changes == {"state": ["pending", "revoked"]}
    assert entry.actor == w.area_admin


def test_invitation_revoke_twice_refused(w):
    invitation = InvitationFactory(organization=w.unit_a, state=InvitationState.REVOKED)
    with pytest.raises(ServiceError) as exc:
        services.invitation_revoke(invitation=invitation, by=w.area_admin)
    assert exc.value.code == "invitation_unusable"
    assert not AuditEntry.objects.exists()


def test_invitation_accept_expired_refused(w):
    invitation = InvitationFactory(
        organization=w.unit_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=invitation, username="late", password="x")
    assert exc.value.code == "invitation_unusable"
    assert not Membership.objects.filter(user__username="late").exists()


def test_invitation_accept_existing_user_adds_role_and_audits(w):
    invitation = InvitationFactory(organization=w.unit_a, role=MemberRole.REVIEWER)
    user = services.invitation_accept(
        invitation=invitation, username="", password="", user=w.other_area_admin
    )
    assert user == w.other_area_admin
    assert Membership.objects.filter(
        user=w.other_area_admin, organization=w.unit_a, role="reviewer"
    ).exists()
    entry = AuditEntry.objects.get(action="invitation.accept")
    assert entry.actor == w.other_area_admin


def test_invitation_accept_taken_username_refused(w):
    MembershipFactory(user=UserFactory(username="taken"))
    invitation = InvitationFactory(organization=w.unit_a)
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=invitation, username="TAKEN", password="x")
    assert exc.value.code == "username_taken"
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING
