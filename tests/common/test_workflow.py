"""The one workflow helper: a small workflow declared here on notices shows each thing the helper
does; then every workflow the apps declare is held to its own table."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template import Context, Template
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.activities.models import ActivityChange
from sciweek.activities.workflow import ACTIVITY, CHANGE
from sciweek.audit.models import AuditEntry
from sciweek.bookings.models import Booking
from sciweek.bookings.workflow import BOOKING
from sciweek.campaigns.enums import NoticeStatus
from sciweek.campaigns.models import Notice
from sciweek.campaigns.workflow import EDITION, NOTICE
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.workflow import Workflow, available_actions, workflow_for, workflows
from sciweek.exhibition.enums import GuestCategoryKind, Strategy
from sciweek.exhibition.models import Ceremony, Exhibit, Guest, GuestCategory
from sciweek.exhibition.workflow import EXHIBIT, GUEST
from sciweek.notifications.models import OutboxMessage
from sciweek.notifications.workflow import OUTBOX
from sciweek.organizations.enums import Role
from sciweek.organizations.workflow import INVITATION
from sciweek.reports.models import AreaSummary, CompiledReport, ReportingTask
from sciweek.reports.workflow import COMPILATION, SUMMARY
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    CityBureauFactory,
    EditionFactory,
    HostUnitFactory,
    InvitationFactory,
    NoticeFactory,
    SessionFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

D, P = NoticeStatus.DRAFT, NoticeStatus.PUBLISHED


class Act(models.TextChoices):
    PUBLISH = "publish", "Publish"
    RETRACT = "retract", "Retract"
    TOUCH = "touch", "Touch"


def _ready(notice) -> None:
    if notice.title == "unready":
        raise ServiceError("Not ready.", code="not_ready")


EFFECTS: list[tuple[str, str, str]] = []
COMMITTED: list[tuple[str, str, str]] = []

SAMPLE = Workflow(
    name="sample",
    model="campaigns.Notice",
    field="status",
    states=NoticeStatus,
    actions=Act,
    transitions={
        Act.PUBLISH: {D: P},
        Act.RETRACT: {P: D},
        Act.TOUCH: {D: D, P: P},
    },
    reason_required=frozenset({Act.RETRACT}),
    permissions={Act.PUBLISH: "campaigns.manage_notice", Act.RETRACT: "campaigns.manage_notice"},
    system_actions=frozenset({Act.TOUCH}),
    checks={Act.PUBLISH: [_ready]},
    offer_only_when_ready=frozenset({Act.PUBLISH}),
    timestamps={Act.PUBLISH: ["published_at"]},
    first_timestamps=frozenset({"published_at"}),
    apply=lambda move: {"published_by": move.by} if move.action == Act.PUBLISH else {},
    audit_organization=lambda notice: notice.edition.organizer_id,
    effects={Act.PUBLISH: [lambda m: EFFECTS.append((m.action, m.before, m.after))]},
    on_commit={Act.PUBLISH: [lambda m: COMMITTED.append((m.action, m.before, m.after))]},
    tones={D: "secondary", P: "success"},
    register=False,
)


@pytest.fixture
def organizer():
    return member(Role.ADMIN, CityBureauFactory(), username="wf-organizer")


@pytest.fixture(autouse=True)
def _clean_logs():
    EFFECTS.clear()
    COMMITTED.clear()


def refused(excinfo) -> str:
    return excinfo.value.code


def test_a_move_outside_the_table_is_refused_and_changes_nothing(organizer):
    notice = NoticeFactory(status=P)
    with pytest.raises(ServiceError) as excinfo:
        SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
    assert refused(excinfo) == "transition_not_allowed"
    assert Notice.objects.get(pk=notice.pk).status == P
    assert not AuditEntry.objects.exists()
    assert EFFECTS == []


def test_an_unknown_action_is_refused(organizer):
    with pytest.raises(ServiceError) as excinfo:
        SAMPLE.transition(NoticeFactory(), "explode", by=organizer)
    assert refused(excinfo) == "unknown_action"


def test_the_permission_is_asked_of_the_actor_with_the_object():
    outsider = UserFactory()
    notice = NoticeFactory()
    with pytest.raises(PermissionRefused) as excinfo:
        SAMPLE.transition(notice, Act.PUBLISH, by=outsider)
    assert (excinfo.value.code, excinfo.value.status) == ("permission_denied", 403)
    assert Notice.objects.get(pk=notice.pk).status == D


def test_nobody_may_make_a_person_s_move_but_the_system_may_make_its_own():
    notice = NoticeFactory()
    with pytest.raises(PermissionRefused):
        SAMPLE.transition(notice, Act.PUBLISH, by=None)
    touched = SAMPLE.transition(notice, Act.TOUCH, by=None)
    assert touched.status == D


def test_a_reason_is_required_where_declared_and_is_stripped(organizer):
    notice = NoticeFactory(status=P)
    with pytest.raises(ServiceError) as excinfo:
        SAMPLE.transition(notice, Act.RETRACT, by=organizer, reason="   ")
    assert refused(excinfo) == "reason_required"
    SAMPLE.transition(notice, Act.RETRACT, by=organizer, reason="  错别字  ")
    assert AuditEntry.objects.get(action="sample.retract").reason == "错别字"


def test_a_readiness_check_refuses_with_its_own_code(organizer):
    notice = NoticeFactory(title="unready")
    with pytest.raises(ServiceError) as excinfo:
        SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
    assert refused(excinfo) == "not_ready"
    assert Notice.objects.get(pk=notice.pk).status == D


def test_the_order_of_refusals_is_table_permission_reason_readiness():
    outsider = UserFactory()
    with pytest.raises(ServiceError) as excinfo:  # outside the table and not allowed
        SAMPLE.transition(NoticeFactory(status=P, title="unready"), Act.PUBLISH, by=outsider)
    assert refused(excinfo) == "transition_not_allowed"
    with pytest.raises(ServiceError) as excinfo:  # not allowed and not ready
        SAMPLE.transition(NoticeFactory(title="unready"), Act.PUBLISH, by=outsider)
    assert refused(excinfo) == "permission_denied"


def test_timestamps_changes_and_first_only_stamps(organizer):
    notice = NoticeFactory()
    before = timezone.now()
    published = SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
    stored = Notice.objects.get(pk=notice.pk)
    assert stored.status == P and stored.published_by == organizer
    assert before <= stored.published_at <= timezone.now()
    assert published.published_at == stored.published_at
    first = stored.published_at
    SAMPLE.transition(notice, Act.RETRACT, by=organizer, reason="更正")
    SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
    assert Notice.objects.get(pk=notice.pk).published_at == first


def test_the_audit_entry_names_the_move(organizer):
    notice = NoticeFactory()
    SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
    entry = AuditEntry.objects.get()
    assert entry.action == "sample.publish"
    assert entry.changes == {"status": ["draft", "published"]}
    assert entry.actor == organizer
    assert entry.object_id == str(notice.pk)
    assert entry.organization_id == notice.edition.organizer_id


def test_effects_run_in_the_transaction_and_later_ones_after_the_commit(
    organizer, django_capture_on_commit_callbacks
):
    notice = NoticeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
        assert EFFECTS == [("publish", "draft", "published")]
        assert COMMITTED == []
    assert COMMITTED == [("publish", "draft", "published")]


def test_a_refused_move_queues_nothing(organizer, django_capture_on_commit_callbacks):
    notice = NoticeFactory(title="unready")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError):
        SAMPLE.transition(notice, Act.PUBLISH, by=organizer)
    assert COMMITTED == [] and EFFECTS == []


def test_available_actions_follow_table_permission_and_readiness(organizer):
    draft, ready_not = NoticeFactory(), NoticeFactory(title="unready")
    names = lambda notice, user: [o.name for o in SAMPLE.available_actions(notice, user)]  # noqa: E731
    assert names(draft, organizer) == ["publish", "touch"]
    assert names(ready_not, organizer) == ["touch"]
    assert names(draft, UserFactory()) == ["touch"]
    assert names(NoticeFactory(status=P), organizer) == ["retract", "touch"]
    retract = SAMPLE.available_actions(NoticeFactory(status=P), organizer)[0]
    assert (retract.label, retract.needs_reason) == ("Retract", True)


def test_a_bulk_move_is_one_update_and_writes_no_entry(organizer, django_assert_num_queries):
    edition = EditionFactory()
    notices = [NoticeFactory(edition=edition, status=P) for _ in range(5)]
    with django_assert_num_queries(1):
        SAMPLE.transition_many(notices, Act.TOUCH, by=None)
    with django_assert_num_queries(2):  # and the actor's roles, read once for all five
        SAMPLE.transition_many(notices, Act.RETRACT, by=organizer, reason="撤回")
    assert set(Notice.objects.values_list("status", flat=True)) == {D}
    assert not AuditEntry.objects.exists()


def test_a_bulk_move_refuses_all_when_one_is_refused(organizer):
    notices = [NoticeFactory(status=P), NoticeFactory(status=D)]
    with pytest.raises(ServiceError):
        SAMPLE.transition_many(notices, Act.RETRACT, by=organizer, reason="撤回")
    assert Notice.objects.get(pk=notices[0].pk).status == P


def test_start_gives_a_new_object_its_first_state():
    notice = Notice(status="")
    SAMPLE.start(notice)
    assert notice.status == D
    with pytest.raises(ValueError):
        SAMPLE.start(notice, "deleted")


def test_a_declaration_outside_its_states_is_refused_at_import():
    with pytest.raises(ImproperlyConfigured):
        dataclasses.replace(SAMPLE, transitions={**SAMPLE.transitions, Act.TOUCH: {D: "gone"}})
    with pytest.raises(ImproperlyConfigured):
        dataclasses.replace(SAMPLE, transitions={Act.PUBLISH: {D: P}})
    with pytest.raises(ImproperlyConfigured):
        dataclasses.replace(SAMPLE, checks={"explode": [_ready]})


def test_the_apps_workflows_are_found_by_model():
    assert {w.name for w in workflows()} == {w.name for w in DECLARED}
    assert workflow_for(Notice) is NOTICE
    assert workflow_for(NoticeFactory()) is NOTICE
    with pytest.raises(LookupError):
        workflow_for(UserFactory())


def test_module_level_available_actions_asks_the_declared_workflow(organizer):
    assert [o.name for o in available_actions(NoticeFactory(), organizer)] == ["publish"]


def test_the_badge_is_coloured_by_the_workflow_s_tones():
    html = Template("{% load sciweek %}{% state_badge notice %}").render(
        Context({"notice": NoticeFactory(status=P)})
    )
    assert html == (
        '<span class="badge state-badge state-published text-bg-success" data-state="published">'
        "已发布</span>"
    )
    board = Template(
        '{% load sciweek %}{% state_badge "overdue" label="逾期" tones="summary_board" %}'
    )
    assert 'text-bg-danger" data-state="overdue">逾期</span>' in board.render(Context())


@pytest.mark.parametrize("workflow", workflows(), ids=lambda w: w.name)
def test_every_state_has_a_tone_and_every_action_a_permission_entry(workflow):
    assert set(workflow.tones) == set(workflow.states.values)
    assert set(workflow.permissions) == set(workflow.actions.values)


# --- every declared workflow against its own table ------------------------------------------

DECLARED = [
    ACTIVITY, CHANGE, SUMMARY, COMPILATION, EDITION, NOTICE, BOOKING, INVITATION, OUTBOX, GUEST,
    EXHIBIT,
]  # fmt: skip
PAIRS = [
    (w, state, action)
    for w in DECLARED
    for state, action in itertools.product(w.states.values, w.actions.values)
]
INSIDE = [p for p in PAIRS if p[1] in p[0].transitions[p[2]]]
OUTSIDE = [p for p in PAIRS if p[1] not in p[0].transitions[p[2]]]
_persons = itertools.count()


def _object_in(workflow: Workflow, state: str):
    """A stored object of ``workflow``'s model in ``state`` (activities in an area, so the
    table's target is the target)."""
    if workflow is ACTIVITY:
        return ActivityFactory(state=state)
    if workflow is CHANGE:
        return ActivityChange.objects.create(
            activity=ActivityFactory(state="published"), state=state
        )
    if workflow is EDITION:
        return EditionFactory(status=state)
    if workflow is NOTICE:
        return NoticeFactory(status=state)
    if workflow is INVITATION:
        return InvitationFactory(state=state)
    if workflow is OUTBOX:
        return OutboxMessage.objects.create(
            kind="test", recipient="a@example.test", subject="s", body="b", status=state
        )
    if workflow is BOOKING:
        return Booking.objects.create(
            session=SessionFactory(), status=state, name="张三", person_key=f"p{next(_persons)}",
            checked_in_at=None,
        )  # fmt: skip
    if workflow in (GUEST, EXHIBIT):
        return _ceremony_part(workflow, state)
    task = ReportingTask.objects.create(
        edition=EditionFactory(), deadline=timezone.localdate() + timedelta(days=3)
    )
    if workflow is SUMMARY:
        return AreaSummary.objects.create(task=task, area=AreaFactory(), state=state)
    return CompiledReport.objects.create(task=task, kind="docx", status=state)


def _ceremony_part(workflow: Workflow, state: str):
    """A guest or an exhibit of a ceremony of its own (an exhibit of a unit in an area, so the
    table's target is the target: the area's approval comes first)."""
    activity = ActivityFactory(state="published")
    starts = timezone.now() + timedelta(days=1)
    ceremony = Ceremony.objects.create(
        edition=activity.edition, activity=activity, title="启动仪式", venue="淄博科学城",
        starts_at=starts, ends_at=starts + timedelta(hours=2), rsvp_deadline=starts,
        exhibit_deadline=starts, booth_count=2,
    )  # fmt: skip
    if workflow is GUEST:
        category = GuestCategory.objects.create(
            ceremony=ceremony, kind=GuestCategoryKind.STUDENT, places=5
        )
        return Guest.objects.create(
            ceremony=ceremony, category=category, name="王五", organization_name="淄博一中",
            mobile="13800000000", state=state,
        )  # fmt: skip
    return Exhibit.objects.create(
        ceremony=ceremony, submitter=HostUnitFactory(parent=AreaFactory()), title="展品",
        unit_name="淄博市科技馆",
        field="新材料", strategy=Strategy.values[0], state=state,
    )  # fmt: skip


def _table_only(workflow: Workflow) -> Workflow:
    """The workflow with its table and nothing else in the way (permissions, readiness and side
    effects have their own tests)."""
    return dataclasses.replace(
        workflow,
        permissions={},
        system_actions=frozenset(workflow.actions.values),
        checks={},
        effects={},
        on_commit={},
        register=False,
    )


HYPOTHESIS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(triple=st.sampled_from(OUTSIDE))
def test_every_move_outside_a_workflow_s_table_is_refused(triple):
    workflow, state, action = triple
    obj = _object_in(workflow, state)
    entries = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as excinfo:
        workflow.transition(obj, action, by=None, reason="理由")
    # Each object keeps the words it has always used for this refusal.
    assert excinfo.value.code in {
        "transition_not_allowed",
        "not_active",
        "already_published",
        "invitation_unusable",
    }
    assert getattr(type(obj).objects.get(pk=obj.pk), workflow.field) == state
    assert AuditEntry.objects.count() == entries


@HYPOTHESIS
@given(triple=st.sampled_from(INSIDE))
def test_every_move_in_a_workflow_s_table_lands_on_its_target(triple):
    workflow, state, action = triple
    obj = _object_in(workflow, state)
    moved = _table_only(workflow).transition(obj, action, by=None, reason="理由")
    expected = workflow.transitions[action][state]
    assert getattr(moved, workflow.field) == expected
    assert getattr(type(obj).objects.get(pk=obj.pk), workflow.field) == expected
