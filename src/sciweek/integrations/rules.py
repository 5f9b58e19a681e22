"""Who manages an organisation's API clients and webhooks: its admins (and platform admins)."""

import rules

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.rules import is_platform_admin


@rules.predicate
def is_some_admin(user) -> bool:
    return bool(access_for(user).organization_ids(Role.ADMIN))


@rules.predicate
def administers_owner(user, obj) -> bool:
    """``obj`` is an organisation, or an API client or endpoint of one."""
    org = getattr(obj, "organization", obj)
    return org is not None and access_for(user).has_role(org, Role.ADMIN)


rules.add_perm("integrations.view_integrations", is_some_admin | is_platform_admin)
rules.add_perm("integrations.manage_integrations", administers_owner)
