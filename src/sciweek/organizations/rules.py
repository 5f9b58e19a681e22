"""Who may do what with organisations, memberships and invitations."""

import rules

from .access import access_for
from .enums import OrganizationKind, Role


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_organizer_admin(user) -> bool:
    return Role.ADMIN in access_for(user).organizer_roles()


@rules.predicate
def is_organizer_staff(user) -> bool:
    """Anyone in the city bureau with an office role (not gate staff)."""
    return bool(access_for(user).organizer_roles() & {Role.ADMIN, Role.REVIEWER, Role.EDITOR})


@rules.predicate
def is_area_admin(user) -> bool:
    return bool(access_for(user).area_ids(Role.ADMIN))


@rules.predicate
def is_area_admin_of(user, org) -> bool:
    """Admin of the area ``org`` belongs to, where ``org`` is a host unit in it."""
    if org is None or org.kind != OrganizationKind.HOST_UNIT or org.area_id is None:
        return False
    return org.area_id in access_for(user).area_ids(Role.ADMIN)


@rules.predicate
def is_admin_of_area_holding(user, org) -> bool:
    """Admin of the area ``org`` is in (or is), whatever its kind."""
    return (
        org is not None
        and org.area_id is not None
        and org.area_id in access_for(user).area_ids(Role.ADMIN)
    )


@rules.predicate
def is_admin_of(user, org) -> bool:
    return org is not None and access_for(user).has_role(org, Role.ADMIN)


can_manage_organization = is_organizer_admin | is_area_admin_of

rules.add_perm("organizations.view_organization_tree", is_organizer_admin | is_area_admin)
# An organisation's own page (facts, members, invitations): its admins, its area's admins and
# the organiser's admins. Changing it is narrower, see change_organization.
rules.add_perm(
    "organizations.view_organization",
    is_organizer_admin | is_admin_of_area_holding | is_admin_of,
)
rules.add_perm("organizations.add_organization", is_organizer_admin | is_area_admin)
rules.add_perm("organizations.change_organization", can_manage_organization)
rules.add_perm("organizations.manage_members", can_manage_organization | is_admin_of)
# Contact people (reached by notices, reminders and decisions): whoever manages the members.
rules.add_perm("organizations.manage_contacts", can_manage_organization | is_admin_of)
# The audit log is read by the organiser's admins and platform admins. The grant lives here, with
# the roles, because the audit app sits below every app that writes to it (this one included)
# and so cannot import the role predicates.
rules.add_perm("audit.view_auditentry", is_organizer_admin | is_platform_admin)
# The outbox (messages sent and waiting, masked): the organiser reads it and sends again.
rules.add_perm("notifications.view_outboxmessage", is_organizer_admin | is_platform_admin)
rules.add_perm("notifications.retry_outboxmessage", is_organizer_admin | is_platform_admin)
