"""The one vocabulary of roles every permission table is written in.

A role names a person by where they stand in the test world (tests/world.py): which
organisation they belong to and with which membership role. Tables pick the roles they check
from this enum and key their expected statuses by it, so "the area's admin" means the same user
in every table.
"""

from __future__ import annotations

from enum import StrEnum

from sciweek.organizations.enums import Role as Membership


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    SIGNED_IN = "signed_in"  # an account with no membership at all
    PLATFORM_ADMIN = "platform_admin"  # is_superuser, no membership
    ORGANIZER_ADMIN = "organizer_admin"  # the city bureau
    ORGANIZER_REVIEWER = "organizer_reviewer"
    ORGANIZER_EDITOR = "organizer_editor"
    AREA_ADMIN = "area_admin"  # 张店区, the area of the unit
    AREA_REVIEWER = "area_reviewer"
    OTHER_AREA_ADMIN = "other_area_admin"  # 临淄区
    OTHER_AREA_REVIEWER = "other_area_reviewer"
    UNIT_ADMIN = "unit_admin"  # 淄博市科技馆, a host unit in 张店区
    UNIT_EDITOR = "unit_editor"
    GATE_STAFF = "gate_staff"  # at the unit's gate
    OTHER_UNIT_EDITOR = "other_unit_editor"  # a host unit in 临淄区
    DEPT_EDITOR = "dept_editor"  # 张店区科技局, the area's department
    OTHER_DEPT_EDITOR = "other_dept_editor"  # 临淄区科技局
    CITY_DEPT_EDITOR = "city_dept_editor"  # 淄博市教育局, a city department

    @classmethod
    def _missing_(cls, value):
        return LEGACY_NAMES.get(value)

    @property
    def grants(self) -> tuple[tuple[str, str], ...]:
        """(organisation attribute on the world, membership role) pairs this role holds."""
        return GRANTS[self]


GRANTS: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.ANONYMOUS: (),
    Role.SIGNED_IN: (),
    Role.PLATFORM_ADMIN: (),
    Role.ORGANIZER_ADMIN: (("bureau", Membership.ADMIN),),
    Role.ORGANIZER_REVIEWER: (("bureau", Membership.REVIEWER),),
    Role.ORGANIZER_EDITOR: (("bureau", Membership.EDITOR),),
    Role.AREA_ADMIN: (("area", Membership.ADMIN),),
    Role.AREA_REVIEWER: (("area", Membership.REVIEWER),),
    Role.OTHER_AREA_ADMIN: (("other_area", Membership.ADMIN),),
    Role.OTHER_AREA_REVIEWER: (("other_area", Membership.REVIEWER),),
    Role.UNIT_ADMIN: (("unit", Membership.ADMIN),),
    Role.UNIT_EDITOR: (("unit", Membership.EDITOR),),
    Role.GATE_STAFF: (("unit", Membership.GATE_STAFF),),
    Role.OTHER_UNIT_EDITOR: (("other_unit", Membership.EDITOR),),
    Role.DEPT_EDITOR: (("dept", Membership.EDITOR),),
    Role.OTHER_DEPT_EDITOR: (("other_dept", Membership.EDITOR),),
    Role.CITY_DEPT_EDITOR: (("city_dept", Membership.EDITOR),),
}

# The names the per-domain worlds used before there was one vocabulary. ``Role("organiser")``
# still finds the organiser's admin, so test files written against the old worlds (``users[
# "organiser"]``, ``client_for("no_membership")``) keep working; new tests use the members. As
# attributes of the world, "area_a", "area_b" and "other_unit" stay the organisations.
LEGACY_NAMES: dict[str, Role] = {
    "organiser": Role.ORGANIZER_ADMIN,
    "organizer": Role.ORGANIZER_ADMIN,
    "city_admin": Role.ORGANIZER_ADMIN,
    "city_reviewer": Role.ORGANIZER_REVIEWER,
    "organiser_editor": Role.ORGANIZER_EDITOR,
    "area_a": Role.AREA_ADMIN,
    "area_b": Role.OTHER_AREA_ADMIN,
    "area_user_a": Role.AREA_ADMIN,
    "area_user_b": Role.OTHER_AREA_ADMIN,
    "host_admin": Role.UNIT_ADMIN,
    "host_editor": Role.UNIT_EDITOR,
    "editor": Role.UNIT_EDITOR,
    "gate": Role.GATE_STAFF,
    "other_unit": Role.OTHER_UNIT_EDITOR,
    "other_editor": Role.OTHER_UNIT_EDITOR,
    "nobody": Role.SIGNED_IN,
    "no_membership": Role.SIGNED_IN,
    "superuser": Role.PLATFORM_ADMIN,
}
