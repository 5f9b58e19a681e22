"""The permission predicates and the visibility selectors, role by role."""

import pytest

from sciweek.organizations.selectors import organizations_managed_by, organizations_visible_to
from tests.factories import UserFactory
from tests.organizations.world import ROLES, fresh, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def _user(w, role):
    user = w.users[role]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return fresh(user)


# (permission, object attribute or None) → the roles that hold it; every other role does not.
TABLE = [
    (
        "organizations.view_organization_tree",
        None,
        {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.OTHER_AREA_ADMIN},
    ),
    (
        "organizations.add_organization",
        None,
        {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.OTHER_AREA_ADMIN},
    ),
    ("organizations.change_organization", "unit_a", {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN}),
    ("organizations.change_organization", "unit_b", {Role.ORGANIZER_ADMIN, Role.OTHER_AREA_ADMIN}),
    ("organizations.change_organization", "area_a", {Role.ORGANIZER_ADMIN}),
    ("organizations.change_organization", "dept_a", {Role.ORGANIZER_ADMIN}),
    ("organizations.change_organization", "bureau", {Role.ORGANIZER_ADMIN}),
    (
        "organizations.manage_members",
        "unit_a",
        {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN},
    ),
    ("organizations.manage_members", "area_a", {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN}),
    ("organizations.manage_members", "dept_a", {Role.ORGANIZER_ADMIN}),
    ("organizations.manage_members", "unit_b", {Role.ORGANIZER_ADMIN, Role.OTHER_AREA_ADMIN}),
    (
        "organizations.view_organization",
        "unit_a",
        {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.UNIT_ADMIN},
    ),
    ("organizations.view_organization", "dept_a", {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN}),
    ("organizations.view_organization", "area_a", {Role.ORGANIZER_ADMIN, Role.AREA_ADMIN}),
    ("organizations.view_organization", "bureau", {Role.ORGANIZER_ADMIN}),
    ("audit.view_auditentry", None, {Role.ORGANIZER_ADMIN}),
]


@pytest.mark.parametrize(("perm", "obj_attr", "holders"), TABLE)
def test_permission_table(w, perm, obj_attr, holders):
    obj = getattr(w, obj_attr) if obj_attr else None
    granted = {role for role in ROLES if _user(w, role).has_perm(perm, obj)}
    assert granted == holders


def test_platform_admin_holds_every_permission(w):
    admin = UserFactory(is_superuser=True, is_staff=True)
    for perm, obj_attr, _holders in TABLE:
        assert admin.has_perm(perm, getattr(w, obj_attr) if obj_attr else None), perm


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_organizations_visible_to_each_role(w):
    everything = {w.bureau.pk, w.area_a.pk, w.area_b.pk, w.unit_a.pk, w.unit_b.pk, w.dept_a.pk}
    assert _ids(organizations_visible_to(_user(w, Role.ORGANIZER_ADMIN))) == everything
    assert _ids(organizations_visible_to(_user(w, Role.AREA_ADMIN))) == {
        w.area_a.pk, w.unit_a.pk, w.dept_a.pk,
    }  # fmt: skip
    assert _ids(organizations_visible_to(_user(w, Role.OTHER_AREA_ADMIN))) == {
        w.area_b.pk, w.unit_b.pk,
    }  # fmt: skip
    assert _ids(organizations_visible_to(_user(w, Role.UNIT_ADMIN))) == {w.unit_a.pk}
    assert _ids(organizations_visible_to(_user(w, Role.GATE_STAFF))) == {w.unit_a.pk}
    assert _ids(organizations_visible_to(_user(w, Role.SIGNED_IN))) == set()
    assert _ids(organizations_visible_to(_user(w, Role.ANONYMOUS))) == set()


def test_organizations_managed_by_each_role(w):
    assert _ids(organizations_managed_by(_user(w, Role.ORGANIZER_ADMIN))) == {
        w.bureau.pk, w.area_a.pk, w.area_b.pk, w.unit_a.pk, w.unit_b.pk, w.dept_a.pk,
    }  # fmt: skip
    assert _ids(organizations_managed_by(_user(w, Role.AREA_ADMIN))) == {w.area_a.pk, w.unit_a.pk}
    assert _ids(organizations_managed_by(_user(w, Role.UNIT_ADMIN))) == {w.unit_a.pk}
    assert _ids(organizations_managed_by(_user(w, Role.GATE_STAFF))) == set()
    assert _ids(organizations_managed_by(_user(w, Role.SIGNED_IN))) == set()
