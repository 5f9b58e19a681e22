"""The one test world and its role vocabulary: each role is the user the vocabulary says, older
names reach the same user, and nothing is built before a test asks for it."""

import pytest

from sciweek.accounts.models import User
from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Membership, Organization
from tests.roles import GRANTS, LEGACY_NAMES, Role
from tests.world import LEGACY_ORGANISATIONS, ORGANISATIONS, World

pytestmark = pytest.mark.django_db

MEMBERSHIPS = {
    Role.SIGNED_IN: set(),
    Role.PLATFORM_ADMIN: set(),
    Role.ORGANIZER_ADMIN: {("市科技局", MemberRole.ADMIN)},
    Role.ORGANIZER_REVIEWER: {("市科技局", MemberRole.REVIEWER)},
    Role.ORGANIZER_EDITOR: {("市科技局", MemberRole.EDITOR)},
    Role.AREA_ADMIN: {("张店区", MemberRole.ADMIN)},
    Role.AREA_REVIEWER: {("张店区", MemberRole.REVIEWER)},
    Role.OTHER_AREA_ADMIN: {("临淄区", MemberRole.ADMIN)},
    Role.OTHER_AREA_REVIEWER: {("临淄区", MemberRole.REVIEWER)},
    Role.UNIT_ADMIN: {("淄博市科技馆", MemberRole.ADMIN)},
    Role.UNIT_EDITOR: {("淄博市科技馆", MemberRole.EDITOR)},
    Role.GATE_STAFF: {("淄博市科技馆", MemberRole.GATE_STAFF)},
    Role.OTHER_UNIT_EDITOR: {("临淄化工新材料研究院", MemberRole.EDITOR)},
    Role.DEPT_EDITOR: {("张店区科技局", MemberRole.EDITOR)},
    Role.OTHER_DEPT_EDITOR: {("临淄区科技局", MemberRole.EDITOR)},
    Role.CITY_DEPT_EDITOR: {("淄博市教育局", MemberRole.EDITOR)},
}


def test_every_role_is_described():
    assert set(GRANTS) == set(Role)
    assert set(MEMBERSHIPS) == set(Role) - {Role.ANONYMOUS}


@pytest.mark.parametrize("role", sorted(MEMBERSHIPS))
def test_each_role_holds_exactly_its_memberships(world, role):
    user = world.users[role]
    held = {(m.organization.name, m.role) for m in user.memberships.select_related("organization")}
    assert held == MEMBERSHIPS[role]
    assert (user.is_superuser, user.is_staff) == ((True, True) if role is Role.PLATFORM_ADMIN
                                                  else (False, False))  # fmt: skip
    assert user.username == role.value.replace("_", "-")


def test_the_anonymous_visitor_has_no_user(world):
    assert world.users[Role.ANONYMOUS] is None
    assert world.anonymous is None
    assert User.objects.count() == 0


def test_the_tree_is_the_city_of_two_areas():
    w = World(*["bureau", "area", "other_area", "dept", "other_dept", "unit", "other_unit"],
              "city_dept")  # fmt: skip
    parents = {
        o.name: (o.kind, o.parent.name if o.parent else None, o.area.name if o.area else None)
        for o in Organization.objects.select_related("parent", "area")
    }
    assert parents == {
        "市科技局": (OrganizationKind.CITY_BUREAU, None, None),
        "张店区": (OrganizationKind.AREA, "市科技局", "张店区"),
        "临淄区": (OrganizationKind.AREA, "市科技局", "临淄区"),
        "张店区科技局": (OrganizationKind.AREA_DEPARTMENT, "张店区", "张店区"),
        "临淄区科技局": (OrganizationKind.AREA_DEPARTMENT, "临淄区", "临淄区"),
        "淄博市科技馆": (OrganizationKind.HOST_UNIT, "张店区", "张店区"),
        "临淄化工新材料研究院": (OrganizationKind.HOST_UNIT, "临淄区", "临淄区"),
        "淄博市教育局": (OrganizationKind.CITY_DEPARTMENT, "市科技局", None),
    }
    assert (w.area.slug, w.other_area.slug) == ("zhangdian", "linzi")


@pytest.mark.parametrize("legacy", sorted(LEGACY_NAMES))
def test_an_older_name_is_the_same_user(world, legacy):
    assert world.users[legacy] == world.users[LEGACY_NAMES[legacy]]
    if legacy in {*ORGANISATIONS, *LEGACY_ORGANISATIONS}:
        # As an attribute, "area_a" or "other_unit" is the organisation, as it always was.
        assert isinstance(getattr(world, legacy), Organization)
    else:
        assert getattr(world, legacy) == world.users[LEGACY_NAMES[legacy]]


def test_older_organisation_names_are_the_same_organisation(world):
    assert (world.zhangdian, world.area_a, world.unit_a, world.museum) == (
        world.area, world.area, world.unit, world.unit,
    )  # fmt: skip
    assert (world.linzi, world.area_b, world.unit_b, world.institute, world.dept_a, world.city) == (
        world.other_area, world.other_area, world.other_unit, world.other_unit, world.dept,
        world.bureau,
    )  # fmt: skip


def test_nothing_is_built_before_it_is_asked_for(world):
    assert Organization.objects.count() == 0
    gate = world.users[Role.GATE_STAFF]
    assert list(Organization.objects.values_list("name", flat=True)) == [
        "市科技局", "张店区", "淄博市科技馆",
    ]  # fmt: skip
    assert list(Membership.objects.values_list("user", flat=True)) == [gate.pk]
    assert world.users[Role.GATE_STAFF] == world.gate_staff == gate
    assert list(world.users) == [Role.GATE_STAFF]


def test_unknown_names_are_neither_roles_nor_attributes(world):
    assert "bogus" not in world.users
    assert "organiser" in world.users
    with pytest.raises(KeyError):
        world.users["bogus"]
    assert not hasattr(world, "bogus")
    assert world.users.get("bogus") is None


def test_a_second_world_in_one_test_gets_its_own_names():
    first, second = World(Role.AREA_ADMIN), World(Role.AREA_ADMIN)
    assert first.bureau == second.bureau  # one city bureau
    assert (first.area.name, second.area.name) == ("张店区", "张店区2")
    assert (first.area.slug, second.area.slug) == ("zhangdian", "zhangdian2")
    assert (first.area_admin.username, second.area_admin.username) == ("area-admin", "area-admin2")


def test_organisations_built_are_plain_attributes_too(world):
    world.build(Role.UNIT_EDITOR)
    assert {"bureau", "area", "unit"} <= set(vars(world))
    assert "other_area" not in vars(world)


def test_a_layer_may_give_an_organisation_name_another_meaning(world):
    world.dept = world.city_dept
    world.build(Role.DEPT_EDITOR)  # builds the area's department, leaves ``dept`` alone
    assert world.dept == world.city_dept
    assert world.org("dept").name == "张店区科技局"


def test_a_role_user_may_be_set_by_hand(world):
    from tests.factories import UserFactory

    user = UserFactory()
    world.users["area_reviewer"] = user
    assert world.users[Role.AREA_REVIEWER] == world.area_reviewer == user


def test_users_add_sets_the_fields_a_test_reads(world):
    user = world.users.add(Role.AREA_ADMIN, email="a@example.test")
    assert world.area_admin == user
    assert user.email == "a@example.test"
    with pytest.raises(AssertionError):
        world.users.add(Role.AREA_ADMIN)
