"""The one test world: the organisations of a small city and a user for every role
(tests/roles.py), shared by every permission table and domain test.

    市科技局 (bureau, the organiser) ── 淄博市教育局 (city_dept)
    ├── 张店区 (area)        ── 张店区科技局 (dept), 淄博市科技馆 (unit, a host unit)
    └── 临淄区 (other_area)  ── 临淄区科技局 (other_dept), 临淄化工新材料研究院 (other_unit)

Everything is built on first use, so a test holds only the organisations and users it touches
(a list of recipients or members is not padded with strangers); ``World(*parts)`` builds the
named organisations and roles at once, in that order. Domain data (editions, activities,
notices, summaries) is added by each domain's own fixture on top of this world.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sciweek.accounts.models import User
from sciweek.organizations.models import Membership, Organization
from tests.factories import (
    AreaDepartmentFactory,
    AreaFactory,
    CityBureauFactory,
    CityDepartmentFactory,
    HostUnitFactory,
    UserFactory,
)
from tests.roles import Role

ORGANISATIONS = (
    "bureau",
    "area",
    "other_area",
    "dept",
    "other_dept",
    "unit",
    "other_unit",
    "city_dept",
)


class Users(Mapping):
    """``world.users[role]``: the user of ``role`` (a ``Role`` or one of its legacy names),
    created on first use; ``None`` for the anonymous visitor."""

    def __init__(self, world: World):
        self._world = world
        self._made: dict[Role, User | None] = {}

    def __getitem__(self, key) -> User | None:
        role = self._role(key)
        if role not in self._made:
            self._made[role] = self._world.make_user(role)
        return self._made[role]

    def __setitem__(self, key, user: User | None) -> None:
        # Older tests set a role's user by hand (``users["area_reviewer"] = member(...)``).
        self._made[self._role(key)] = user

    def __contains__(self, key) -> bool:
        # Every role has a user in the world, made or not yet.
        try:
            self._role(key)
        except KeyError:
            return False
        return True

    @staticmethod
    def _role(key) -> Role:
        try:
            return Role(key)
        except ValueError:
            raise KeyError(key) from None

    def add(self, role: Role, **user_fields) -> User:
        """Create ``role``'s user with these fields (an email a test reads, say)."""
        role = Role(role)
        assert role not in self._made, f"{role} exists already"
        self._made[role] = self._world.make_user(role, **user_fields)
        return self._made[role]

    def __iter__(self) -> Iterator[Role]:
        # The users made so far, in the order they were made.
        return iter(self._made)

    def __len__(self) -> int:
        return len(self._made)


# Organisation names the per-domain worlds used before there was one world.
LEGACY_ORGANISATIONS = {
    "city": "bureau",
    "zhangdian": "area",
    "area_a": "area",
    "linzi": "other_area",
    "area_b": "other_area",
    "dept_a": "dept",
    "unit_a": "unit",
    "museum": "unit",
    "unit_b": "other_unit",
    "institute": "other_unit",
}


class World:
    """``world.area``, ``world.unit``…: an organisation; ``world.area_admin`` (any ``Role`` value
    or legacy name): that role's user, as ``world.users[...]``. A domain fixture may set its own
    attributes on top (an edition, its activities)."""

    def __init__(self, *parts: str):
        self.users = Users(self)
        self._orgs: dict[str, Organization] = {}
        # A second world in the same test (a stranger's open day, say) gets its own names, slugs
        # and usernames; the bureau, the organiser, stays the one city bureau.
        self.suffix = self._free_suffix()
        for part in parts:
            self.build(part)

    def build(self, part: str):
        """Build the organisation or the role's user named ``part`` now."""
        if part in ORGANISATIONS or part in LEGACY_ORGANISATIONS:
            return self.org(part)
        return self.users[part]

    def org(self, name: str) -> Organization:
        name = LEGACY_ORGANISATIONS.get(name, name)
        if name not in self._orgs:
            self._orgs[name] = getattr(self, f"_make_{name}")()
            # A plain attribute too, so that ``vars(world)`` lists it as the older worlds did;
            # a domain layer that gave the name another meaning (``w.dept``) keeps it.
            self.__dict__.setdefault(name, self._orgs[name])
        return self._orgs[name]

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: organisations and users by name.
        if name.startswith("_"):
            raise AttributeError(name)
        if name in ORGANISATIONS or name in LEGACY_ORGANISATIONS:
            return self.org(name)
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None

    @staticmethod
    def _free_suffix() -> str:
        n = 1
        while Organization.objects.filter(slug=f"zhangdian{n if n > 1 else ''}").exists():
            n += 1
        return str(n) if n > 1 else ""

    # Organisations ------------------------------------------------------------------------

    def _make_bureau(self) -> Organization:
        return CityBureauFactory()

    def _make_area(self) -> Organization:
        return AreaFactory(
            parent=self.org("bureau"),
            name=f"张店区{self.suffix}",
            short_name="张店",
            slug=f"zhangdian{self.suffix}",
        )

    def _make_other_area(self) -> Organization:
        return AreaFactory(
            parent=self.org("bureau"),
            name=f"临淄区{self.suffix}",
            short_name="临淄",
            slug=f"linzi{self.suffix}",
        )

    def _make_dept(self) -> Organization:
        return AreaDepartmentFactory(parent=self.org("area"), name=f"张店区科技局{self.suffix}")

    def _make_other_dept(self) -> Organization:
        return AreaDepartmentFactory(
            parent=self.org("other_area"), name=f"临淄区科技局{self.suffix}"
        )

    def _make_unit(self) -> Organization:
        return HostUnitFactory(parent=self.org("area"), name=f"淄博市科技馆{self.suffix}")

    def _make_other_unit(self) -> Organization:
        return HostUnitFactory(
            parent=self.org("other_area"), name=f"临淄化工新材料研究院{self.suffix}"
        )

    def _make_city_dept(self) -> Organization:
        return CityDepartmentFactory(parent=self.org("bureau"), name=f"淄博市教育局{self.suffix}")

    # Users --------------------------------------------------------------------------------

    def make_user(self, role: Role, **fields) -> User | None:
        if role is Role.ANONYMOUS:
            return None
        fields.setdefault("username", role.value.replace("_", "-") + self.suffix)
        if role is Role.PLATFORM_ADMIN:
            fields.update(is_superuser=True, is_staff=True)
        user = UserFactory(**fields)
        for organisation, membership in role.grants:
            Membership.objects.create(
                user=user, organization=self.org(organisation), role=membership
            )
        return user

    def user(self, role) -> User | None:
        return self.users[role]

    def login(self, client, role):
        """``client`` signed in as ``role`` (left signed out for the anonymous visitor)."""
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


def fresh(user: User | None) -> User | None:
    """The same account without cached permissions, as a new request sees it."""
    return None if user is None else User.objects.get(pk=user.pk)
