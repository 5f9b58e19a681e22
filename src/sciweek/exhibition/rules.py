"""Who may do what with the ceremony and the exhibition. The city sets it up and sees everything;
an area names its own delegation and submits its own exhibits, as does a city department; a unit
submits its exhibits to its area, whose reviewers approve them for the city. The city's jury
scores the exhibits assigned to each juror."""

import rules

from sciweek.organizations.access import OFFICE_ROLES, access_for
from sciweek.organizations.enums import OrganizationKind, Role
from sciweek.organizations.rules import is_organizer_admin, is_organizer_staff, is_platform_admin

SUBMITTING_KINDS = (
    OrganizationKind.AREA,
    OrganizationKind.CITY_DEPARTMENT,
    OrganizationKind.HOST_UNIT,
    OrganizationKind.AREA_DEPARTMENT,
)
AREA_REVIEW_ROLES = (Role.ADMIN, Role.REVIEWER)


def _area_of(obj):
    # A quota, a guest, or the area itself.
    return getattr(obj, "area", obj) if obj is not None else None


@rules.predicate
def is_office_of_area(user, obj) -> bool:
    """An office role in the area itself (the area of a guest or quota, or the area given)."""
    area = _area_of(obj)
    return area is not None and access_for(user).has_role(area, *OFFICE_ROLES)


@rules.predicate
def has_area_office(user) -> bool:
    return bool(access_for(user).area_ids(*OFFICE_ROLES))


@rules.predicate
def is_office_of_submitter(user, exhibit) -> bool:
    return exhibit is not None and access_for(user).has_role(exhibit.submitter, *OFFICE_ROLES)


@rules.predicate
def is_office_of_submitters_area(user, exhibit) -> bool:
    """An office role in the area a unit's exhibit belongs to (it sees it once handed in)."""
    return (
        exhibit is not None
        and exhibit.submitter.area_id is not None
        and exhibit.state != "draft"
        and exhibit.submitter.area_id in access_for(user).area_ids(*OFFICE_ROLES)
    )


@rules.predicate
def is_area_reviewer_of_exhibit(user, exhibit) -> bool:
    return (
        exhibit is not None
        and exhibit.submitter.area_id is not None
        and exhibit.submitter.area_id in access_for(user).area_ids(*AREA_REVIEW_ROLES)
    )


@rules.predicate
def is_juror(user) -> bool:
    """Sits on a jury (any ceremony's). Asked by the menu on every page: kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_sciweek_juror", None)
    if cached is None:
        from .models import Juror

        cached = user._sciweek_juror = Juror.objects.filter(user=user).exists()
    return cached


@rules.predicate
def is_assigned_juror(user, assignment) -> bool:
    return assignment is not None and assignment.juror.user_id == user.pk


@rules.predicate
def is_editable_exhibit(user, exhibit) -> bool:
    return exhibit is not None and exhibit.is_editable


@rules.predicate
def may_submit_exhibits(user) -> bool:
    return any(
        g.kind in SUBMITTING_KINDS and g.role in OFFICE_ROLES for g in access_for(user).grants
    )


@rules.predicate
def is_city_reviewer(user) -> bool:
    return bool(access_for(user).organizer_roles() & {Role.ADMIN, Role.REVIEWER})


rules.add_perm("exhibition.manage_ceremony", is_organizer_admin | is_platform_admin)
rules.add_perm("exhibition.view_board", is_organizer_staff | is_platform_admin)
# Without an object: sees the delegation pages at all; with an area (or guest): that area's.
rules.add_perm(
    "exhibition.view_delegation", has_area_office | is_organizer_staff | is_platform_admin
)
rules.add_perm(
    "exhibition.view_area_delegation", is_office_of_area | is_organizer_staff | is_platform_admin
)
rules.add_perm("exhibition.fill_delegation", is_office_of_area)
rules.add_perm("exhibition.remind_guests", is_organizer_admin | is_platform_admin)
rules.add_perm(
    "exhibition.view_exhibit",
    is_office_of_submitter | is_office_of_submitters_area | is_organizer_staff | is_platform_admin,
)
rules.add_perm(
    "exhibition.list_exhibits", may_submit_exhibits | is_organizer_staff | is_platform_admin
)
rules.add_perm("exhibition.add_exhibit", may_submit_exhibits)
rules.add_perm("exhibition.change_exhibit", is_office_of_submitter)
rules.add_perm("exhibition.submit_exhibit", is_office_of_submitter)
rules.add_perm("exhibition.select_exhibit", is_city_reviewer)
rules.add_perm("exhibition.area_review_exhibit", is_area_reviewer_of_exhibit)
# The jury: the organiser forms it; the city's reviewers read the results and decide; a juror
# sees and scores only their own assignments.
rules.add_perm("exhibition.manage_jury", is_organizer_admin | is_platform_admin)
rules.add_perm("exhibition.view_jury_results", is_city_reviewer | is_platform_admin)
rules.add_perm("exhibition.view_my_assignments", is_juror)
rules.add_perm("exhibition.score_assignment", is_assigned_juror)
# Photos and the video: seen by whoever sees the exhibit (the submitter, the city's reviewers);
# added and removed by the submitter while the exhibit is a draft or returned.
rules.add_perm("exhibition.change_exhibit_media", is_office_of_submitter & is_editable_exhibit)
