"""What a user's memberships add up to, computed once per request and kept on the user object.

Every permission predicate reads from here, so a page asking twenty ``has_perm`` questions
costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .enums import OrganizationKind, Role

OFFICE_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.EDITOR})


@dataclass(frozen=True)
class Grant:
    organization_id: int
    path: str
    kind: str
    area_id: int | None
    role: str


@dataclass
class Access:
    grants: list[Grant] = field(default_factory=list)

    def has_role(self, org, *roles: str) -> bool:
        return any(g.organization_id == org.pk and g.role in roles for g in self.grants)

    def organizer_roles(self) -> set[str]:
        return {g.role for g in self.grants if g.kind == OrganizationKind.CITY_BUREAU}

    def area_ids(self, *roles: str) -> set[int]:
        """Areas in which the user holds one of ``roles`` on the area itself."""
        return {
            g.organization_id
            for g in self.grants
            if g.kind == OrganizationKind.AREA and g.role in roles
        }

    def organization_ids(self, *roles: str) -> set[int]:
        return {g.organization_id for g in self.grants if not roles or g.role in roles}

    def can_act_for(self, org) -> bool:
        """May speak for ``org`` (acknowledge its notices, file on its behalf): an office role in
        the organisation itself, or the admin role of the area it belongs to."""
        if any(g.organization_id == org.pk and g.role in OFFICE_ROLES for g in self.grants):
            return True
        return org.area_id is not None and org.area_id in self.area_ids(Role.ADMIN)


def access_for(user) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access()
    cached = getattr(user, "_sciweek_access", None)
    if cached is None:
        from .models import Membership

        rows = Membership.objects.filter(user=user, organization__is_active=True).values_list(
            "organization_id",
            "organization__path",
            "organization__kind",
            "organization__area_id",
            "role",
        )
        cached = Access([Grant(*row) for row in rows])
        user._sciweek_access = cached
    return cached


def forget_access(user) -> None:
    """Call after changing a user's memberships within the same request."""
    if hasattr(user, "_sciweek_access"):
        del user._sciweek_access
