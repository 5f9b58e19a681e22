"""A small tree with one user per role, shared by the organisation and audit tests.

市科技局 (city bureau)
├── area A ── unit A (host unit), dept A (area department)
└── area B ── unit B (host unit)
"""

from types import SimpleNamespace

from sciweek.accounts.models import User
from sciweek.organizations.enums import Role
from tests.factories import (
    AreaDepartmentFactory,
    AreaFactory,
    CityBureauFactory,
    HostUnitFactory,
    UserFactory,
    member,
)

# The roles every page is checked against, by attribute name on the world.
ROLES = [
    "organizer",
    "area_admin",
    "other_area_admin",
    "unit_admin",
    "gate",
    "nobody",
    "anonymous",
]


def make_world() -> SimpleNamespace:
    bureau = CityBureauFactory()
    area_a = AreaFactory(parent=bureau, name="区A")
    area_b = AreaFactory(parent=bureau, name="区B")
    unit_a = HostUnitFactory(parent=area_a, name="单位A")
    unit_b = HostUnitFactory(parent=area_b, name="单位B")
    dept_a = AreaDepartmentFactory(parent=area_a, name="区A科技局")
    return SimpleNamespace(
        bureau=bureau,
        area_a=area_a,
        area_b=area_b,
        unit_a=unit_a,
        unit_b=unit_b,
        dept_a=dept_a,
        organizer=member(Role.ADMIN, bureau, username="organizer"),
        area_admin=member(Role.ADMIN, area_a, username="area-a"),
        other_area_admin=member(Role.ADMIN, area_b, username="area-b"),
        unit_admin=member(Role.ADMIN, unit_a, username="unit-a"),
        gate=member(Role.GATE_STAFF, unit_a, username="gate-a"),
        nobody=UserFactory(username="nobody"),
        anonymous=None,
    )


def fresh(user: User | None) -> User | None:
    """The same account without the per-object permission cache, as a new request sees it."""
    return None if user is None else User.objects.get(pk=user.pk)
