"""Who may do what with summaries. An area sees and files only its own; the city sees all."""

import rules

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.rules import is_organizer_admin, is_organizer_staff, is_platform_admin


@rules.predicate
def is_area_office(user, summary) -> bool:
    """An office role (admin, reviewer, editor) in the summary's area itself."""
    return summary is not None and access_for(user).has_role(
        summary.area, Role.ADMIN, Role.REVIEWER, Role.EDITOR
    )


@rules.predicate
def is_city_reviewer(user) -> bool:
    return bool(access_for(user).organizer_roles() & {Role.ADMIN, Role.REVIEWER})


@rules.predicate
def has_area_office(user) -> bool:
    return bool(access_for(user).area_ids(Role.ADMIN, Role.REVIEWER, Role.EDITOR))


rules.add_perm("reports.view_summary", is_area_office | is_organizer_staff | is_platform_admin)
rules.add_perm("reports.change_summary", is_area_office)
rules.add_perm("reports.submit_summary", is_area_office)
rules.add_perm("reports.review_summary", is_city_reviewer)
rules.add_perm("reports.view_board", is_organizer_staff | is_platform_admin)
rules.add_perm("reports.manage_task", is_organizer_admin | is_platform_admin)
rules.add_perm("reports.compile", is_organizer_staff | is_platform_admin)
rules.add_perm("reports.file_summary", has_area_office)


def _can_see_statistics():
    from sciweek.activities.rules import can_file_activities, is_area_staff

    return is_organizer_staff | is_platform_admin | is_area_staff | can_file_activities


# The dashboard and the statistics API: the city, an area's staff (their area), a host unit
# (itself); each sees the figures of the activities its back-office list holds.
rules.add_perm("reports.view_statistics", _can_see_statistics())
