"""Reads for organisations, each owning who may see what."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .access import OFFICE_ROLES, access_for
from .enums import OrganizationKind, Role
from .models import Membership, Organization


def organizations_acted_for(user) -> QuerySet[Organization]:
    """Organisations the user may speak for (see :meth:`Access.can_act_for`)."""
    access = access_for(user)
    return Organization.objects.active().filter(
        Q(pk__in=access.organization_ids(*OFFICE_ROLES))
        | Q(area_id__in=access.area_ids(Role.ADMIN))
    )


def organizations_visible_to(user) -> QuerySet[Organization]:
    """The organiser sees the whole tree; an area admin its area; anyone else their own
    organisations. Anonymous users see nothing."""
    from .rules import is_organizer_staff, is_platform_admin

    qs = Organization.objects.select_related("parent", "area")
    if is_platform_admin(user) or is_organizer_staff(user):
        return qs
    access = access_for(user)
    return qs.filter(
        Q(pk__in=access.organization_ids()) | Q(area_id__in=access.area_ids(Role.ADMIN))
    )


def areas_visible_to(user) -> QuerySet[Organization]:
    """The areas a list offers the user to filter by: every area to the city; anyone else the
    areas they hold a role in and the areas of their organisations."""
    from .rules import is_organizer_staff, is_platform_admin

    qs = Organization.objects.areas().order_by("path")
    if is_platform_admin(user) or is_organizer_staff(user):
        return qs
    access = access_for(user)
    mine = access.organization_ids() | {g.area_id for g in access.grants if g.area_id}
    return qs.filter(pk__in=mine)


def organizations_managed_by(user) -> QuerySet[Organization]:
    """Organisations whose details and members the user may change."""
    from .rules import is_organizer_admin

    qs = Organization.objects.select_related("parent", "area")
    if is_organizer_admin(user):
        return qs
    access = access_for(user)
    return qs.filter(
        Q(kind=OrganizationKind.HOST_UNIT, area_id__in=access.area_ids(Role.ADMIN))
        | Q(pk__in=access.organization_ids(Role.ADMIN))
    )


def members_of(org: Organization) -> QuerySet[Membership]:
    return org.memberships.select_related("user").order_by("user__username", "role")


def member_emails(organizations) -> list[str]:
    """Email addresses of everyone with an office role in these organisations (not gate staff)."""
    return list(
        Membership.objects.filter(
            organization__in=organizations, role__in=OFFICE_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


def reach_of(organization: Organization) -> tuple[list[str], list[str]]:
    """Every address an organisation can be reached at: (emails, mobiles) of its members with an
    office role and of its contact people, each once."""
    members = Membership.objects.filter(
        organization=organization, role__in=OFFICE_ROLES, user__is_active=True
    ).values_list("user__email", "user__phone")
    contacts = organization.contacts.values_list("email", "mobile")
    emails, mobiles = [], []
    for email, mobile in [*members, *contacts]:
        if email and email.strip():
            emails.append(email.strip())
        if mobile and mobile.strip():
            mobiles.append(mobile.strip())
    return list(dict.fromkeys(emails)), list(dict.fromkeys(mobiles))


def unreachable(organizations) -> list[Organization]:
    """Those of ``organizations`` with nobody to reach on any channel."""
    return [org for org in organizations if reach_of(org) == ([], [])]
