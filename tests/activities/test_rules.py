"""Who may do what with an activity of unit A (a host unit in 张店区), for every role; and the
list selector agreeing with the view rule for every state × role."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sciweek.activities.enums import ActivityState
from sciweek.activities.models import Activity
from sciweek.activities.selectors import activities_visible_to
from sciweek.activities.services import activity_transition
from sciweek.activities.workflow import TRANSITIONS
from sciweek.common.errors import PermissionRefused
from tests.activities.world import ROLES, activity_in, fresh, make_world
from tests.factories import SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

HOST = {Role.UNIT_EDITOR, Role.UNIT_ADMIN, Role.AREA_ADMIN}
AREA = {Role.AREA_ADMIN, Role.AREA_REVIEWER}
CITY = {Role.ORGANIZER_REVIEWER, Role.ORGANIZER_ADMIN}

# permission → the roles that hold it on an activity of unit A in the given state.
OBJECT_TABLE = [
    ("activities.change_activity", "draft", HOST),
    ("activities.change_activity", "returned", HOST),
    ("activities.change_activity", "pending_area", set()),
    ("activities.change_activity", "published", set()),
    ("activities.submit_activity", "draft", HOST),
    ("activities.withdraw_activity", "pending_city", HOST),
    ("activities.withdraw_activity", "pending_area", HOST - AREA),
    ("activities.mark_key_activity", "published", CITY),
    ("activities.review_activity", "pending_area", AREA),
    ("activities.review_activity", "pending_city", CITY),
    ("activities.review_activity", "draft", set()),
    ("activities.review_activity", "published", set()),
    ("activities.cancel_activity", "published", HOST | {Role.ORGANIZER_ADMIN}),
    ("activities.mark_held_activity", "published", HOST | CITY),
    ("activities.record_results", "held", HOST | CITY),
    ("activities.view_documents", "draft", HOST | AREA | CITY),
    ("activities.view_documents", "pending_area", HOST | AREA | CITY),
]
GLOBAL_TABLE = [
    ("activities.add_activity", HOST | CITY),
    ("activities.import_activities", HOST | CITY),
    ("activities.view_area_queue", AREA | {Role.OTHER_AREA_REVIEWER}),
    ("activities.view_city_queue", CITY),
    ("activities.browse_activities", HOST | AREA | CITY | {Role.OTHER_AREA_REVIEWER}),
]


def _user(w, role):
    return fresh(w.users[role]) or AnonymousUser()


@pytest.fixture
def w():
    return make_world()


@pytest.mark.parametrize(("perm", "state", "allowed"), OBJECT_TABLE)
def test_object_permissions_for_every_role(w, perm, state, allowed):
    activity = activity_in(w, state)
    got = {role for role in ROLES if _user(w, role).has_perm(perm, activity)}
    assert got == allowed


@pytest.mark.parametrize(("perm", "allowed"), GLOBAL_TABLE)
def test_global_permissions_for_every_role(w, perm, allowed):
    got = {role for role in ROLES if _user(w, role).has_perm(perm)}
    assert got == allowed


# Every move of the workflow by every role: the service agrees with the table above. -----------

MOVERS = {
    ("submit", "draft"): HOST,
    ("submit", "returned"): HOST,
    ("approve", "pending_area"): AREA,
    ("approve", "pending_city"): CITY,
    ("return", "pending_area"): AREA,
    ("return", "pending_city"): CITY,
    ("withdraw", "draft"): HOST,
    # Issue 11: its area's admin reviews it now, so returns it rather than withdraws it.
    ("withdraw", "pending_area"): HOST - AREA,
    ("withdraw", "pending_city"): HOST,
    ("withdraw", "returned"): HOST,
    ("cancel", "published"): HOST | {Role.ORGANIZER_ADMIN},
    ("mark_held", "published"): HOST | CITY,
}


def test_movers_cover_the_whole_table():
    assert sorted(MOVERS) == sorted((a, s) for a, moves in TRANSITIONS.items() for s in moves)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "state"), sorted(MOVERS))
def test_every_action_by_every_role(w, action, state, role):
    activity = activity_in(w, state, sessions=0)
    start = timezone.now() - timedelta(hours=3)
    if action == "mark_held":
        SessionFactory(activity=activity, starts_at=start, ends_at=start + timedelta(hours=1))
    else:
        SessionFactory(activity=activity)
    user = _user(w, role)
    if role in MOVERS[action, state]:
        activity_transition(activity=activity, action=action, by=user, reason="理由")
        assert Activity.objects.get(pk=activity.pk).state == TRANSITIONS[action][state]
    else:
        with pytest.raises(PermissionRefused):
            activity_transition(activity=activity, action=action, by=user, reason="理由")
        assert Activity.objects.get(pk=activity.pk).state == state


# Visibility: one table, checked against the rule and the selector. --------------------------

REVIEWERS_TOO = HOST | AREA | CITY
EVERYONE = set(ROLES)
VISIBLE = {
    "draft": HOST,
    "pending_area": REVIEWERS_TOO,
    "pending_city": REVIEWERS_TOO,
    "returned": REVIEWERS_TOO,
    "withdrawn": REVIEWERS_TOO,
    "cancelled": REVIEWERS_TOO,
    "published": EVERYONE,
    "held": EVERYONE,
}


def test_visibility_table_covers_every_state():
    assert sorted(VISIBLE) == sorted(ActivityState.values)


@pytest.mark.parametrize("state", sorted(VISIBLE))
def test_visibility_rule_and_selector_agree(w, state):
    activity = activity_in(w, state)
    by_rule = {r for r in ROLES if _user(w, r).has_perm("activities.view_activity", activity)}
    by_selector = {
        r for r in ROLES if activities_visible_to(_user(w, r)).filter(pk=activity.pk).exists()
    }
    assert by_rule == VISIBLE[state]
    assert by_selector == VISIBLE[state]


def test_a_withdrawn_draft_that_was_never_submitted_stays_with_the_host(w):
    activity = activity_in(w, "draft")
    activity_transition(activity=activity, action="withdraw", by=fresh(w.host_editor))
    activity.refresh_from_db()
    by_rule = {r for r in ROLES if _user(w, r).has_perm("activities.view_activity", activity)}
    by_selector = {
        r for r in ROLES if activities_visible_to(_user(w, r)).filter(pk=activity.pk).exists()
    }
    assert by_rule == by_selector == HOST


def test_a_city_departments_submitted_activity_is_seen_by_the_city_not_by_areas(w):
    activity = activity_in(w, "pending_city", host=w.dept, area=w.zhangdian)
    dept_editor = fresh(w.dept_editor)
    expected = CITY | {Role.CITY_DEPT_EDITOR}
    roles = [*ROLES, Role.CITY_DEPT_EDITOR]
    by_rule = {r for r in roles if _user(w, r).has_perm("activities.view_activity", activity)}
    by_selector = {
        r for r in roles if activities_visible_to(_user(w, r)).filter(pk=activity.pk).exists()
    }
    assert by_rule == by_selector == expected
    assert dept_editor.has_perm("activities.review_activity", activity) is False


def test_platform_admin_lists_everything_submitted_but_no_drafts(w):
    admin = w.users[Role.PLATFORM_ADMIN]
    activity_in(w, "draft")
    pending = activity_in(w, "pending_area")
    published = activity_in(w, "published")
    assert set(activities_visible_to(admin)) == {pending, published}
