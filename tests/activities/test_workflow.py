"""The workflow table is the only way an activity changes state: every move outside it is
refused (and changes nothing), every move in it succeeds for someone allowed to make it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.activities.enums import ActivityState
from sciweek.activities.models import Activity
from sciweek.activities.services import activity_transition
from sciweek.activities.workflow import TRANSITIONS, Action, available_actions, target_state
from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from tests.activities.world import activity_in, fresh, make_world
from tests.factories import SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

OUTSIDE = [
    (action, state)
    for action in Action.values
    for state in ActivityState.values
    if state not in TRANSITIONS[action]
]
INSIDE = [(action, state) for action, moves in TRANSITIONS.items() for state in moves]


def test_the_table_partitions_every_pair():
    assert len(OUTSIDE) + len(INSIDE) == len(Action.values) * len(ActivityState.values) == 48
    assert sorted(INSIDE) == sorted([
        ("approve", "pending_area"), ("approve", "pending_city"), ("cancel", "published"),
        ("mark_held", "published"), ("return", "pending_area"), ("return", "pending_city"),
        ("submit", "draft"), ("submit", "returned"), ("withdraw", "draft"),
        ("withdraw", "pending_area"), ("withdraw", "pending_city"), ("withdraw", "returned"),
    ])  # fmt: skip


@pytest.fixture
def w():
    # Function-scoped: hypothesis runs every example of a test against the same world.
    return make_world()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pair=st.sampled_from(OUTSIDE),
    role=st.sampled_from([Role.UNIT_ADMIN, Role.AREA_ADMIN, Role.ORGANIZER_ADMIN]),
    reason=st.sampled_from(["", "原因"]),
)
def test_no_move_outside_the_table_ever_succeeds(w, pair, role, reason):
    action, state = pair
    activity = activity_in(w, state)
    entries = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as refused:
        activity_transition(activity=activity, action=action, by=fresh(w.users[role]),
                            reason=reason)  # fmt: skip
    assert refused.value.code == "transition_not_allowed"
    assert Activity.objects.get(pk=activity.pk).state == state
    assert AuditEntry.objects.count() == entries


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(action=st.text(max_size=20).filter(lambda a: a not in Action.values))
def test_an_unknown_action_is_refused(w, action):
    activity = activity_in(w, "published")
    with pytest.raises(ServiceError) as refused:
        activity_transition(activity=activity, action=action, by=fresh(w.city_admin))
    assert refused.value.code == "unknown_action"
    assert Activity.objects.get(pk=activity.pk).state == "published"


# Who may make each move on an activity of unit A (in 张店区).
MOVER = {
    ("submit", "draft"): Role.UNIT_EDITOR,
    ("submit", "returned"): Role.UNIT_ADMIN,
    ("approve", "pending_area"): Role.AREA_REVIEWER,
    ("approve", "pending_city"): Role.ORGANIZER_REVIEWER,
    ("return", "pending_area"): Role.AREA_ADMIN,
    ("return", "pending_city"): Role.ORGANIZER_ADMIN,
    ("withdraw", "draft"): Role.UNIT_EDITOR,
    ("withdraw", "pending_area"): Role.UNIT_EDITOR,
    ("withdraw", "pending_city"): Role.AREA_ADMIN,
    ("withdraw", "returned"): Role.UNIT_ADMIN,
    ("cancel", "published"): Role.ORGANIZER_ADMIN,
    ("mark_held", "published"): Role.ORGANIZER_REVIEWER,
}


@pytest.mark.parametrize(("action", "state"), INSIDE)
def test_every_move_in_the_table_succeeds_for_an_allowed_user(action, state):
    w = make_world()
    activity = activity_in(w, state, sessions=0)
    if action == "mark_held":
        SessionFactory(activity=activity, starts_at=timezone.now() - timedelta(hours=3),
                       ends_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    else:
        SessionFactory(activity=activity)
    user = fresh(getattr(w, MOVER[action, state]))
    result = activity_transition(activity=activity, action=action, by=user, reason="理由")
    expected = TRANSITIONS[action][state]
    assert result.state == expected
    assert Activity.objects.get(pk=activity.pk).state == expected
    entry = AuditEntry.objects.get(action=f"activity.{action}")
    assert entry.changes == {"state": [state, expected]}
    assert entry.actor == user
    assert entry.object_id == str(activity.pk)


def test_submit_goes_straight_to_the_city_for_an_organisation_without_an_area():
    assert target_state("submit", "draft", host_has_area=False) == "pending_city"
    assert target_state("submit", "returned", host_has_area=False) == "pending_city"
    assert target_state("submit", "draft", host_has_area=True) == "pending_area"
    assert target_state("approve", "draft", host_has_area=False) is None


def test_available_actions_follow_the_table():
    assert available_actions("draft") == ["submit", "withdraw"]
    assert available_actions("pending_area") == ["approve", "return", "withdraw"]
    assert available_actions("published") == ["cancel", "mark_held"]
    assert available_actions("held") == []
    assert available_actions("withdrawn") == []
    assert available_actions("cancelled") == []
