"""The area's approval of its units' exhibits and the city's jury: each happy path, each refusal,
the audit entries and the messages."""

import pytest

from sciweek.audit.models import AuditEntry
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.exhibition import jury_selectors, jury_services, services
from sciweek.exhibition.enums import ExhibitState
from sciweek.exhibition.models import Assignment, Exhibit, Jury, Score
from sciweek.notifications.models import OutboxMessage
from tests.world import fresh

from .conftest import exhibit_of, with_jury

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    if hasattr(exc.value, "error_dict"):
        return {e.code for errors in exc.value.error_dict.values() for e in errors}
    return {exc.value.code}


def last_entry(action):
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


def state(exhibit) -> str:
    return Exhibit.objects.get(pk=exhibit.pk).state


@pytest.fixture
def jw(world):
    return with_jury(world)


# --- the area's approval ----------------------------------------------------------------------


def unit_draft(w, **over):
    w.build("unit_editor")
    return exhibit_of(w, w.unit, state=ExhibitState.DRAFT, title="科技馆展项", **over)


def test_a_units_exhibit_waits_for_its_area_which_approves_it_for_the_city(world):
    draft = unit_draft(world)
    services.exhibit_transition(exhibit=draft, action="submit", by=fresh(world.unit_editor))
    assert state(draft) == ExhibitState.AT_AREA
    told = OutboxMessage.objects.get(kind="exhibit.at_area")
    assert (told.recipient, told.subject) == (
        world.area_admin.email, f"{world.unit.name}的展项“科技馆展项”等待您审核"
    )  # fmt: skip
    # The city does not act on it yet; the area's admin approves.
    with pytest.raises(ServiceError) as exc:
        services.exhibit_transition(exhibit=draft, action="select", by=fresh(world.organizer_admin))
    assert codes(exc) == {"transition_not_allowed"}
    services.exhibit_transition(exhibit=draft, action="area_approve", by=fresh(world.area_admin))
    assert state(draft) == ExhibitState.SUBMITTED
    entry = last_entry("exhibit.area_approve")
    assert (entry.actor, entry.organization_id, entry.changes) == (
        world.area_admin, world.unit.pk, {"state": ["at_area", "submitted"]}
    )  # fmt: skip
    mail = OutboxMessage.objects.get(kind="exhibit.area_approve")
    assert mail.recipient == world.unit_editor.email


def test_the_area_returns_a_units_exhibit_with_a_reason(world):
    draft = unit_draft(world)
    services.exhibit_transition(exhibit=draft, action="submit", by=fresh(world.unit_editor))
    with pytest.raises(ServiceError) as exc:
        services.exhibit_transition(exhibit=draft, action="area_return", by=fresh(world.area_admin))
    assert codes(exc) == {"reason_required"}
    services.exhibit_transition(exhibit=draft, action="area_return", by=fresh(world.area_admin),
                                reason="请补充成果简介")  # fmt: skip
    returned = Exhibit.objects.get(pk=draft.pk)
    assert (returned.state, returned.last_reason) == (ExhibitState.RETURNED, "请补充成果简介")
    mail = OutboxMessage.objects.get(kind="exhibit.area_return")
    assert "请补充成果简介" in mail.body and mail.recipient == world.unit_editor.email
    # Changed and handed in again, it is the area's again.
    services.exhibit_update(exhibit=returned, by=fresh(world.unit_editor), description="更长的简介")
    services.exhibit_transition(exhibit=returned, action="submit", by=fresh(world.unit_editor))
    assert state(draft) == ExhibitState.AT_AREA


def test_only_the_units_area_approves(world):
    draft = unit_draft(world)
    services.exhibit_transition(exhibit=draft, action="submit", by=fresh(world.unit_editor))
    for who in ("other_area_admin", "unit_editor", "organizer_admin"):
        with pytest.raises(PermissionRefused):
            services.exhibit_transition(exhibit=draft, action="area_approve",
                                        by=fresh(world.users[who]))  # fmt: skip
    assert state(draft) == ExhibitState.AT_AREA


def test_the_confidentiality_check_is_still_needed_to_submit(world):
    draft = unit_draft(world, confidentiality_checked=False)
    with pytest.raises(ServiceError) as exc:
        services.exhibit_transition(exhibit=draft, action="submit", by=fresh(world.unit_editor))
    assert codes(exc) == {"confidentiality_unchecked"}
    assert state(draft) == ExhibitState.DRAFT


@pytest.mark.parametrize(("submitter", "who"), [("area", "area_admin"),
                                                ("city_dept", "city_dept_editor")])  # fmt: skip
def test_an_area_or_a_city_department_submits_straight_to_the_city(world, submitter, who):
    world.build(who)
    draft = exhibit_of(world, world.org(submitter), state=ExhibitState.DRAFT)
    services.exhibit_transition(exhibit=draft, action="submit", by=fresh(world.users[who]))
    assert state(draft) == ExhibitState.SUBMITTED
    assert not OutboxMessage.objects.filter(kind="exhibit.at_area").exists()


# --- forming the jury -------------------------------------------------------------------------


def test_the_organiser_forms_the_jury_with_the_default_criteria(world):
    by = fresh(world.organizer_admin)
    jury = jury_services.jury_save(ceremony=world.ceremony, by=by)
    assert [(c.name, c.weight) for c in jury.criteria.all()] == [
        ("创新性", 40), ("科普性", 30), ("展示效果", 30)
    ]  # fmt: skip
    assert (jury.scale_max, jury.per_exhibit) == (10, 3)
    assert last_entry("jury.save").actor == world.organizer_admin
    changed = jury_services.jury_save(
        ceremony=world.ceremony, by=by, criteria=[("创新性", 50), ("科普性", 50)],
        scale_max=100, per_exhibit=2,
    )  # fmt: skip
    assert [(c.name, c.weight) for c in changed.criteria.all()] == [("创新性", 50), ("科普性", 50)]
    assert (changed.pk, changed.scale_max, changed.per_exhibit) == (jury.pk, 100, 2)


@pytest.mark.parametrize(
    ("criteria", "extra"),
    [
        ([("创新性", 40), ("科普性", 30)], {}),  # 70, not 100
        ([("创新性", 50), ("创新性", 50)], {}),
        ([("创新性", 0), ("科普性", 100)], {}),
        ([("创新性", "x"), ("科普性", 60)], {}),
        ([], {}),
        ([("<script>", 100)], {"scale_max": 7}),
        ([("创新性", 100)], {"per_exhibit": 0}),
    ],
)
def test_jury_save_refuses_bad_criteria_and_settings(world, criteria, extra):
    with pytest.raises(ServiceError) as exc:
        jury_services.jury_save(ceremony=world.ceremony, by=fresh(world.organizer_admin),
                                criteria=criteria, **extra)  # fmt: skip
    assert codes(exc) <= {"invalid_criteria", "invalid_scale", "invalid_per_exhibit"}
    assert not Jury.objects.exists()


def test_only_the_organiser_forms_the_jury(world):
    for who in ("area_admin", "organizer_reviewer", "signed_in"):
        with pytest.raises(PermissionRefused):
            jury_services.jury_save(ceremony=world.ceremony, by=fresh(world.users[who]))


def test_criteria_are_fixed_once_scored(jw):
    by = fresh(jw.organizer_admin)
    score(jw, jw.assignment, [8, 7, 6])
    with pytest.raises(ServiceError) as exc:
        jury_services.jury_save(ceremony=jw.ceremony, by=by, criteria=[("创新性", 100)])
    assert codes(exc) == {"scores_exist"}
    # The number of jurors per exhibit may still change.
    jury = jury_services.jury_save(ceremony=jw.ceremony, by=by, per_exhibit=2)
    assert jury.per_exhibit == 2 and Score.objects.count() == 3


def test_a_juror_is_seated_with_their_area_once(jw):
    by = fresh(jw.organizer_admin)
    jw.build("unit_editor")
    juror = jury_services.juror_add(jury=jw.jury, user=jw.unit_editor, organization=jw.unit, by=by)
    assert (juror.organization, juror.area) == (jw.unit, jw.area)
    assert last_entry("jury.juror_add").changes == {
        "user": [None, jw.unit_editor.username], "organization": [None, jw.unit.name]
    }  # fmt: skip
    with pytest.raises(ServiceError) as exc:
        jury_services.juror_add(jury=jw.jury, user=jw.unit_editor, by=by)
    assert codes(exc) == {"juror_exists"}


def test_a_juror_who_scored_stays(jw):
    by = fresh(jw.organizer_admin)
    score(jw, jw.assignment, [8, 7, 6])
    with pytest.raises(ServiceError) as exc:
        jury_services.juror_remove(juror=jw.other_juror, by=by)
    assert codes(exc) == {"juror_has_scores"}
    jury_services.juror_remove(juror=jw.expert, by=by)
    assert list(jw.jury.jurors.values_list("pk", flat=True)) == [jw.juror.pk, jw.other_juror.pk]


# --- assignments ------------------------------------------------------------------------------


def test_an_exhibit_of_the_jurors_own_area_is_refused(jw):
    by = fresh(jw.organizer_admin)
    with pytest.raises(ServiceError) as exc:
        jury_services.assignment_add(juror=jw.juror, exhibit=jw.exhibit, by=by)
    assert codes(exc) == {"own_area"}
    # A unit of the same area counts as the area.
    units = exhibit_of(jw, jw.unit, title="科技馆展项")
    with pytest.raises(ServiceError) as exc:
        jury_services.assignment_add(juror=jw.juror, exhibit=units, by=by)
    assert codes(exc) == {"own_area"}
    assert not Assignment.objects.filter(juror=jw.juror).exists()
    done = jury_services.assignment_add(juror=jw.expert, exhibit=units, by=by)
    assert last_entry("jury.assign").changes == {"juror": [None, jw.expert_user.username]}
    assert done.exhibit == units


def test_a_city_departments_juror_never_scores_their_departments_exhibit(jw):
    from sciweek.exhibition.models import Juror

    dept_juror = Juror.objects.create(jury=jw.jury, user=jw.users["city_dept_editor"],
                                      organization=jw.city_dept)  # fmt: skip
    theirs = exhibit_of(jw, jw.city_dept, title="教育局展项")
    with pytest.raises(ServiceError) as exc:
        jury_services.assignment_add(juror=dept_juror, exhibit=theirs, by=fresh(jw.organizer_admin))
    assert codes(exc) == {"own_area"}


def test_assignment_refusals(jw):
    by = fresh(jw.organizer_admin)
    with pytest.raises(ServiceError) as exc:
        jury_services.assignment_add(juror=jw.other_juror, exhibit=jw.exhibit, by=by)
    assert codes(exc) == {"assigned_already"}
    with pytest.raises(ServiceError) as exc:
        jury_services.assignment_add(juror=jw.expert, exhibit=jw.draft, by=by)
    assert codes(exc) == {"not_at_city"}
    with pytest.raises(PermissionRefused):
        jury_services.assignment_add(juror=jw.expert, exhibit=jw.exhibit,
                                     by=fresh(jw.organizer_reviewer))  # fmt: skip
    jury_services.jury_close(jury=jw.jury, by=by)
    with pytest.raises(ServiceError) as exc:
        jury_services.assignment_add(juror=jw.expert, exhibit=jw.exhibit, by=by)
    assert codes(exc) == {"jury_closed"}


def test_assign_automatically_spreads_evenly_and_never_to_the_own_area(jw):
    from sciweek.exhibition.models import Juror
    from tests.factories import UserFactory

    for _n in range(2):
        Juror.objects.create(jury=jw.jury, user=UserFactory(), organization=None)
    for n in range(5):
        exhibit_of(jw, jw.area if n % 2 else jw.other_area, title=f"展项{n}")
    made = jury_services.assign_automatically(jury=jw.jury, by=fresh(jw.organizer_admin))
    submitted = Exhibit.objects.filter(state=ExhibitState.SUBMITTED)
    assert submitted.count() == 6 and made == 6 * 3 - 1  # one assignment was there already
    pairs = list(Assignment.objects.select_related("juror", "exhibit__submitter"))
    assert all(a.juror.area_id != a.exhibit.submitter.area_id for a in pairs)
    per_exhibit = {e.pk: e.assignments.count() for e in submitted}
    assert set(per_exhibit.values()) == {3}
    loads = sorted(Juror.objects.filter(jury=jw.jury).values_list("pk", flat=True))
    load = [Assignment.objects.filter(juror_id=pk).count() for pk in loads]
    assert sum(load) == 18 and max(load) - min(load) <= 1
    assert last_entry("jury.assign_automatically").changes == {
        "assignments": [None, 17], "exhibits_short_of_jurors": [None, []]
    }  # fmt: skip
    # Run again: nothing more to do.
    assert jury_services.assign_automatically(jury=jw.jury, by=fresh(jw.organizer_admin)) == 0


def test_assign_automatically_says_which_exhibits_lack_eligible_jurors(jw):
    made = jury_services.assign_automatically(jury=jw.jury, by=fresh(jw.organizer_admin))
    # 张店区's exhibit: only the 临淄区 juror and the expert may score it.
    assert made == 1
    assert last_entry("jury.assign_automatically").changes == {
        "assignments": [None, 1], "exhibits_short_of_jurors": [None, [jw.exhibit.title]]
    }  # fmt: skip


# --- scoring ----------------------------------------------------------------------------------


def score(w, assignment, values, comment="", by=None):
    return jury_services.scores_save(
        assignment=assignment, by=fresh(by or assignment.juror.user),
        values={c.pk: v for c, v in zip(w.criteria, values, strict=True)}, comment=comment,
    )  # fmt: skip


def test_a_juror_scores_each_criterion_and_may_change_until_the_jury_closes(jw):
    done = score(jw, jw.assignment, [9, 7, 8], comment="创新突出")
    assert done.is_scored and done.comment == "创新突出"
    assert sorted(done.scores.values_list("value", flat=True)) == [7, 8, 9]
    entry = last_entry("jury.score")
    assert (entry.actor, entry.object_id, entry.organization_id) == (
        jw.other_juror_user, str(jw.exhibit.pk), jw.area.pk
    )  # fmt: skip
    score(jw, jw.assignment, [6, 7, 8])
    first, second, third = (str(c.pk) for c in jw.criteria)
    assert last_entry("jury.score").changes["scores"] == [
        {first: 9, second: 7, third: 8},
        {first: 6, second: 7, third: 8},
    ]
    jury_services.jury_close(jury=jw.jury, by=fresh(jw.organizer_admin))
    with pytest.raises(ServiceError) as exc:
        score(jw, jw.assignment, [10, 10, 10])
    assert codes(exc) == {"jury_closed"}
    assert sorted(Score.objects.values_list("value", flat=True)) == [6, 7, 8]
    jury_services.jury_close(jury=jw.jury, by=fresh(jw.organizer_admin), reopen=True)
    score(jw, jw.assignment, [10, 10, 10])
    assert sorted(Score.objects.values_list("value", flat=True)) == [10, 10, 10]


@pytest.mark.parametrize("bad", [11, -1, "7.5", "x", None, True, "", 10**6])
def test_a_score_outside_the_scale_is_refused_and_nothing_saved(jw, bad):
    with pytest.raises(ServiceError) as exc:
        score(jw, jw.assignment, [8, bad, 8])
    assert exc.value.error_dict.keys() == {f"criterion_{jw.criteria[1].pk}"}
    assert codes(exc) == {"invalid_score"}
    assert not Score.objects.exists()
    assert Assignment.objects.get(pk=jw.assignment.pk).scored_at is None


def test_the_scale_of_100_takes_scores_up_to_100(jw):
    Jury.objects.filter(pk=jw.jury.pk).update(scale_max=100)
    score(jw, jw.assignment, [100, 0, "55"])
    assert sorted(Score.objects.values_list("value", flat=True)) == [0, 55, 100]


def test_a_missing_criterion_or_an_unknown_one_is_refused(jw):
    with pytest.raises(ServiceError) as exc:
        jury_services.scores_save(assignment=jw.assignment, by=fresh(jw.other_juror_user),
                                  values={jw.criteria[0].pk: 5, 99999: 5})  # fmt: skip
    assert codes(exc) == {"invalid_score", "unknown_criterion"}


def test_only_the_assigned_juror_scores(jw):
    for user in (jw.expert_user, jw.juror_user, jw.organizer_admin):
        with pytest.raises(PermissionRefused):
            score(jw, jw.assignment, [5, 5, 5], by=user)
    assert not Score.objects.exists()


# --- results and the city's decisions ---------------------------------------------------------


def test_results_weigh_average_and_spread_the_scores(jw):
    other = exhibit_of(jw, jw.other_area, title="临淄展项")
    expert_on_exhibit = Assignment.objects.create(juror=jw.expert, exhibit=jw.exhibit)
    Assignment.objects.create(juror=jw.juror, exhibit=other)  # not scored yet
    score(jw, jw.assignment, [10, 5, 5], comment="创新")  # 4 + 1.5 + 1.5 = 7.0
    score(jw, expert_on_exhibit, [5, 10, 10], comment="好看")  # 2 + 3 + 3 = 8.0
    rows = jury_selectors.results(jw.jury)
    assert [r.exhibit for r in rows] == [jw.exhibit, jw.selected, other]
    first = rows[0]
    assert (first.average, first.low, first.high, first.spread, first.stdev, first.count,
            first.assigned) == (7.5, 7.0, 8.0, 1.0, 0.5, 2, 2)  # fmt: skip
    assert first.comments == ["创新", "好看"]
    assert first.by_criterion(jw.criteria) == [7.5, 7.5, 7.5]
    assert (rows[2].average, rows[2].count, rows[2].assigned) == (None, 0, 1)
    assert [r.exhibit for r in jury_selectors.results(jw.jury, sort="title")] == sorted(
        [jw.exhibit, jw.selected, other], key=lambda e: e.title
    )


def test_the_city_selects_the_best_and_declines_the_rest_at_once(jw):
    by = fresh(jw.organizer_admin)
    second = exhibit_of(jw, jw.other_area, title="第二")
    jury_services.exhibits_decide(
        ceremony=jw.ceremony, by=by, reason="展位有限",
        decisions={jw.exhibit.pk: "select", second.pk: "decline"},
    )  # fmt: skip
    chosen, declined = Exhibit.objects.get(pk=jw.exhibit.pk), Exhibit.objects.get(pk=second.pk)
    assert (chosen.state, chosen.booth_number, chosen.last_reason) == ("selected", "A02", "")
    assert (declined.state, declined.last_reason) == ("declined", "展位有限")
    assert AuditEntry.objects.filter(action__in=["exhibit.select", "exhibit.decline"]).count() == 2


def test_deciding_more_than_the_booths_changes_nothing(jw):
    third = exhibit_of(jw, jw.other_area, title="第三")
    with pytest.raises(ServiceError) as exc:
        jury_services.exhibits_decide(ceremony=jw.ceremony, by=fresh(jw.organizer_admin),
                                      decisions={jw.exhibit.pk: "select", third.pk: "select"})  # fmt: skip
    assert codes(exc) == {"no_booth_left"}
    assert {state(jw.exhibit), state(third)} == {"submitted"}


def test_a_failed_decision_undoes_the_others(jw):
    third = exhibit_of(jw, jw.other_area, title="第三")
    with pytest.raises(ServiceError) as exc:  # a decline without a reason
        jury_services.exhibits_decide(ceremony=jw.ceremony, by=fresh(jw.organizer_admin),
                                      decisions={jw.exhibit.pk: "select", third.pk: "decline"})  # fmt: skip
    assert codes(exc) == {"reason_required"}
    assert {state(jw.exhibit), state(third)} == {"submitted"}
    assert not AuditEntry.objects.filter(action="exhibit.select").exists()
