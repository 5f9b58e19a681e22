"""Who may do what with activities.

- the host's people (an office role in the host unit, or the admin of its area) file, edit,
  submit and withdraw;
- an activity awaiting area review is reviewed by reviewers of its area; one awaiting city
  review by reviewers of the city bureau;
- anyone sees published and held activities; drafts stay with the host and its area; the city
  sees everything that has been submitted.
"""

import rules

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import OrganizationKind, Role
from sciweek.organizations.rules import is_organizer_admin, is_organizer_staff, is_platform_admin

from .enums import ActivityState
from .workflow import EDITABLE_STATES, PUBLIC_STATES

HOST_KINDS = (
    OrganizationKind.HOST_UNIT,
    OrganizationKind.CITY_DEPARTMENT,
    OrganizationKind.AREA_DEPARTMENT,
    OrganizationKind.CO_ORGANIZER,
    OrganizationKind.CITY_BUREAU,
)


@rules.predicate
def acts_for_host(user, activity) -> bool:
    return activity is not None and access_for(user).can_act_for(activity.host)


@rules.predicate
def is_area_reviewer(user, activity) -> bool:
    if activity is None or activity.host.area_id is None:
        return False
    return activity.host.area_id in access_for(user).area_ids(Role.REVIEWER, Role.ADMIN)


@rules.predicate
def is_city_reviewer(user) -> bool:
    return bool(access_for(user).organizer_roles() & {Role.REVIEWER, Role.ADMIN})


@rules.predicate
def is_public(user, activity) -> bool:
    return activity is not None and activity.state in PUBLIC_STATES


@rules.predicate
def is_editable(user, activity) -> bool:
    return activity is not None and activity.state in EDITABLE_STATES


@rules.predicate
def has_been_submitted(user, activity) -> bool:
    return activity is not None and activity.submitted_at is not None


@rules.predicate
def awaits_area_review(user, activity) -> bool:
    return activity is not None and activity.state == ActivityState.PENDING_AREA


@rules.predicate
def awaits_city_review(user, activity) -> bool:
    return activity is not None and activity.state == ActivityState.PENDING_CITY


@rules.predicate
def can_file_activities(user) -> bool:
    """Speaks for at least one organisation that may host activities."""
    access = access_for(user)
    return any(g.kind in HOST_KINDS and g.role != Role.GATE_STAFF for g in access.grants) or bool(
        access.area_ids(Role.ADMIN)
    )


@rules.predicate
def is_area_staff(user) -> bool:
    return bool(access_for(user).area_ids(Role.REVIEWER, Role.ADMIN))


@rules.predicate
def is_published(user, activity) -> bool:
    return activity is not None and activity.state == ActivityState.PUBLISHED


@rules.predicate
def is_held(user, activity) -> bool:
    return activity is not None and activity.state == ActivityState.HELD


@rules.predicate
def reviews_changes_of(user, change) -> bool:
    """The area's reviewers decide a change; the city's when the host unit is in no area."""
    if change is None:
        return False
    activity = change.activity
    if activity.host.area_id is None:
        return is_city_reviewer(user)
    return is_area_reviewer(user, activity)


can_review = (awaits_area_review & is_area_reviewer) | (awaits_city_review & is_city_reviewer)

rules.add_perm(
    "activities.view_activity",
    is_public
    | acts_for_host
    | (has_been_submitted & (is_area_reviewer | is_organizer_staff | is_platform_admin)),
)
rules.add_perm(
    "activities.view_documents",
    acts_for_host | is_area_reviewer | is_organizer_staff | is_platform_admin,
)
rules.add_perm("activities.add_activity", can_file_activities)
rules.add_perm("activities.change_activity", acts_for_host & is_editable)
rules.add_perm("activities.submit_activity", acts_for_host)
# A reviewer with the activity before them returns it; withdrawing is the host's own choice.
rules.add_perm("activities.withdraw_activity", acts_for_host & ~can_review)
rules.add_perm("activities.review_activity", can_review)
rules.add_perm("activities.cancel_activity", acts_for_host | is_organizer_admin)
rules.add_perm("activities.mark_held_activity", acts_for_host | is_organizer_staff)
rules.add_perm("activities.record_results", acts_for_host | is_organizer_staff)
rules.add_perm("activities.mark_key_activity", is_organizer_staff)
# The back office's activity list: everyone who files, reviews or runs the week.
rules.add_perm(
    "activities.browse_activities", can_file_activities | is_area_staff | is_organizer_staff
)
rules.add_perm("activities.view_area_queue", is_area_staff)
rules.add_perm("activities.view_city_queue", is_city_reviewer)
rules.add_perm("activities.import_activities", can_file_activities)
rules.add_perm(
    "activities.export_activities", can_file_activities | is_area_staff | is_city_reviewer
)
# A published activity lives on: its host corrects it, proposes changes, adds sessions.
rules.add_perm("activities.change_published", acts_for_host & is_published)
rules.add_perm("activities.add_replay", acts_for_host & is_held)
rules.add_perm("activities.review_change", reviews_changes_of)
rules.add_perm("activities.view_change_queue", is_area_staff | is_city_reviewer)
