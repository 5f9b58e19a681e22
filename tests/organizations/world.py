"""The organisation and audit tests' layer on the one world (tests/world.py): the bureau, both
areas with their units and 张店区's department, and the users of ``ROLES``. Attribute names of
the older organisation world (``w.area_a``, ``w.unit_a``, ``w.organizer``…) resolve through the
world."""

from tests.roles import Role
from tests.world import World, fresh

__all__ = ["ROLES", "fresh", "make_world"]

# The roles every organisation page is checked against.
ROLES = (
    Role.ORGANIZER_ADMIN,
    Role.AREA_ADMIN,
    Role.OTHER_AREA_ADMIN,
    Role.UNIT_ADMIN,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
    Role.ANONYMOUS,
)


def make_world() -> World:
    return World("bureau", "area", "other_area", "unit", "other_unit", "dept", *ROLES)
