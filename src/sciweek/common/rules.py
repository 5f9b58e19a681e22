import rules

from sciweek.organizations.rules import is_organizer_admin, is_platform_admin

rules.add_perm("common.view_auditentry", is_organizer_admin | is_platform_admin)
