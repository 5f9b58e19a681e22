"""The ceremony's services: each happy path, each refusal, the audit entry and the messages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.bookings import services as gate
from sciweek.bookings.enums import CheckInResult
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.exhibition import selectors, services
from sciweek.exhibition.enums import ExhibitState, GuestState
from sciweek.exhibition.models import Ceremony, Exhibit, Guest
from sciweek.notifications.models import OutboxMessage
from tests.world import fresh

from .conftest import guest_of

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    if hasattr(exc.value, "error_dict"):
        return {e.code for errors in exc.value.error_dict.values() for e in errors}
    return {exc.value.code}


def last_entry(action):
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


def add(w, by, **over):
    data = {
        "ceremony": w.ceremony, "category": w.categories["student"], "area": w.area,
        "name": "李子涵", "organization_name": "张店实验中学", "mobile": "13800000009",
        "teacher": "王老师", "by": by,
    }  # fmt: skip
    return services.guest_add(**{**data, **over})


# --- delegation -------------------------------------------------------------------------------


def test_area_names_a_delegate_within_its_quota_and_the_invitation_goes_by_sms(world):
    guest = add(world, fresh(world.area_admin))
    assert (guest.area, guest.state, guest.teacher) == (world.area, GuestState.INVITED, "王老师")
    sms = OutboxMessage.objects.get(kind="guest.invitation")
    assert sms.recipient == "13800000009" and f"/ceremony/rsvp/{guest.token}/" in sms.body
    entry = last_entry("guest.add")
    assert (entry.actor, entry.organization_id, entry.object_repr) == (
        world.area_admin,
        world.area.pk,
        "李*涵",
    )


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"name": ""}, "required"),
        ({"mobile": "123"}, "invalid_mobile"),
        ({"teacher": ""}, "teacher_required"),
        ({"category": "city_leader"}, "organiser_only"),
        ({"category": "enterprise"}, "no_quota"),
    ],
)
def test_area_delegate_refusals(world, over, code):
    if "category" in over:
        over = {"category": world.categories[over["category"]]}
    with pytest.raises(ServiceError) as exc:
        add(world, fresh(world.area_admin), **over)
    assert code in codes(exc)
    assert Guest.objects.filter(name="李子涵").count() == 0


def test_quota_full_is_refused(world):
    by = fresh(world.area_admin)
    add(world, by, mobile="13800000010")
    add(world, by, mobile="13800000011")  # with the fixture's guest: 3 of 3
    with pytest.raises(ServiceError) as exc:
        add(world, by)
    assert codes(exc) == {"quota_full"}


def test_another_area_and_the_city_may_not_fill_a_delegation(world):
    for user in (world.other_area_admin, world.organizer_admin, world.unit_editor):
        with pytest.raises(PermissionRefused):
            add(world, fresh(user))


def test_area_may_not_name_after_the_deadline(world):
    Ceremony.objects.filter(pk=world.ceremony.pk).update(
        rsvp_deadline=timezone.now() - timedelta(minutes=1)
    )
    world.ceremony.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        add(world, fresh(world.area_admin))
    assert codes(exc) == {"rsvp_closed"}


def test_organiser_invites_a_leader(world):
    guest = add(world, fresh(world.organizer_admin), area=None, category=world.categories["city_leader"],
                name="王建华", teacher="")  # fmt: skip
    assert guest.area is None and last_entry("guest.add").actor == world.organizer_admin


def test_remove_a_delegate_and_refused_once_arrived(world):
    services.guest_remove(guest=world.guest, by=fresh(world.area_admin))
    assert not Guest.objects.filter(pk=world.guest.pk).exists()
    assert last_entry("guest.remove").organization_id == world.area.pk
    arrived = guest_of(world, area=world.area, state=GuestState.CHECKED_IN, n=5)
    with pytest.raises(ServiceError) as exc:
        services.guest_remove(guest=arrived, by=fresh(world.area_admin))
    assert codes(exc) == {"already_arrived"}


# --- quotas -----------------------------------------------------------------------------------


def test_quota_set_and_its_refusals(world):
    by = fresh(world.organizer_admin)
    quota = services.quota_set(ceremony=world.ceremony, area=world.other_area,
                               category=world.categories["student"], places=20, by=by)  # fmt: skip
    assert quota.places == 20
    assert last_entry("ceremony.quota").changes["places"] == [None, 20]
    with pytest.raises(ServiceError) as exc:  # 3 + 48 > 50 places
        services.quota_set(ceremony=world.ceremony, area=world.other_area,
                           category=world.categories["student"], places=48, by=by)  # fmt: skip
    assert codes(exc) == {"over_category"}
    with pytest.raises(ServiceError) as exc:  # 张店区 has named one already
        services.quota_set(ceremony=world.ceremony, area=world.area,
                           category=world.categories["student"], places=0, by=by)  # fmt: skip
    assert codes(exc) == {"below_named"}
    with pytest.raises(ServiceError) as exc:
        services.quota_set(ceremony=world.ceremony, area=world.area,
                           category=world.categories["city_leader"], places=1, by=by)  # fmt: skip
    assert codes(exc) == {"organiser_only"}
    with pytest.raises(PermissionRefused):
        services.quota_set(ceremony=world.ceremony, area=world.area,
                           category=world.categories["student"], places=5,
                           by=fresh(world.area_admin))  # fmt: skip


# --- RSVP -------------------------------------------------------------------------------------


def test_guest_attends_by_the_link_and_gets_a_confirmation(world):
    guest = services.guest_answer(guest=world.guest, action="attend")
    assert guest.state == GuestState.ATTENDING and guest.answered_at is not None
    assert (
        OutboxMessage.objects.filter(kind="guest.attend", recipient=world.guest.mobile).count() == 1
    )
    entry = last_entry("guest.attend")
    assert (entry.actor, entry.changes) == (None, {"state": ["invited", "attending"]})


def test_guest_sends_a_named_substitute(world):
    guest = services.guest_answer(guest=world.guest, action="substitute", substitute_name="周代表",
                                  substitute_mobile="13900000001")  # fmt: skip
    assert (guest.state, guest.attendee_name) == (GuestState.SUBSTITUTED, "周代表")
    assert OutboxMessage.objects.filter(kind="guest.substitute", recipient="13900000001").exists()


def test_substitute_needs_a_name_and_mobile(world):
    with pytest.raises(ServiceError) as exc:
        services.guest_answer(guest=world.guest, action="substitute")
    assert codes(exc) == {"required", "invalid_mobile"}
    assert Guest.objects.get(pk=world.guest.pk).state == GuestState.INVITED


def test_answer_after_the_deadline_is_refused(world):
    Ceremony.objects.filter(pk=world.ceremony.pk).update(
        rsvp_deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ServiceError) as exc:
        services.guest_answer(guest=world.guest, action="decline")
    assert codes(exc) == {"rsvp_closed"}


def test_answer_may_not_check_in(world):
    with pytest.raises(ServiceError) as exc:
        services.guest_answer(guest=world.guest, action="check_in")
    assert codes(exc) == {"unknown_action"}


def test_remind_those_who_have_not_answered(world):
    services.guest_answer(guest=world.leader, action="decline")
    n = services.guests_remind(ceremony=world.ceremony, by=fresh(world.organizer_admin))
    assert n == 1
    assert list(
        OutboxMessage.objects.filter(kind="guest.reminder").values_list("recipient", flat=True)
    ) == [world.guest.mobile]
    assert last_entry("ceremony.remind").changes == {"reminded": [None, 1]}
    with pytest.raises(PermissionRefused):
        services.guests_remind(ceremony=world.ceremony, by=fresh(world.area_admin))


def test_remind_areas_behind_with_their_quota(world):
    n = services.quotas_remind(ceremony=world.ceremony, by=fresh(world.organizer_admin))
    assert n == 1
    mail = OutboxMessage.objects.get(kind="ceremony.quota_reminder")
    assert mail.recipient == "a@example.test" and "1" in mail.body
    assert last_entry("ceremony.quota_remind").changes == {"areas": [None, [world.area.name]]}


def test_board_counts_and_what_to_prepare(world):
    services.guest_answer(guest=world.guest, action="attend")
    services.guest_answer(guest=world.leader, action="decline")
    board = selectors.board(world.ceremony)
    students = next(r for r in board["categories"] if r.category.kind == "student")
    assert (students.quota, students.named, students.coming) == (3, 1, 1)
    assert (board["named"], board["answered"], board["coming"], board["meals"], board["buses"]) == (
        2,
        2,
        1,
        1,
        1,
    )
    (area,) = board["areas"]
    assert (area.area, area.quota, area.named, area.filled) == (world.area, 3, 1, False)


# --- the gate ---------------------------------------------------------------------------------


def test_confirmed_guest_is_checked_in_at_the_gate_once(world):
    services.guest_answer(guest=world.guest, action="attend")
    by = fresh(world.gate_staff)
    outcome = gate.check_in(session=world.session, code=world.guest.code, by=by)
    assert outcome.result == CheckInResult.OK and outcome.booking.masked_name == "张*丰"
    guest = Guest.objects.get(pk=world.guest.pk)
    assert (guest.state, guest.checked_in_by) == (GuestState.CHECKED_IN, world.gate_staff)
    assert last_entry("guest.check_in").actor == world.gate_staff
    again = gate.check_in(session=world.session, code=world.guest.code.lower(), by=by)
    assert again.result == CheckInResult.ALREADY


def test_unconfirmed_guest_and_another_gate_are_refused(world):
    from tests.factories import ActivityFactory, SessionFactory

    assert (
        gate.check_in(session=world.session, code=world.guest.code, by=world.gate_staff).result
        == CheckInResult.NOT_CONFIRMED
    )
    services.guest_answer(guest=world.guest, action="attend")
    other = SessionFactory(
        activity=ActivityFactory(edition=world.edition, host=world.unit, state="published")
    )
    assert (
        gate.check_in(session=other, code=world.guest.code, by=world.gate_staff).result
        == CheckInResult.WRONG_SESSION
    )
    assert Guest.objects.get(pk=world.guest.pk).state == GuestState.ATTENDING


def test_guest_outside_the_check_in_time(world):
    services.guest_answer(guest=world.guest, action="attend")
    later = world.session.starts_at - timedelta(days=1)
    outcome = gate.check_in(
        session=world.session, code=world.guest.code, by=world.gate_staff, now=later
    )
    assert outcome.result == CheckInResult.OUTSIDE_WINDOW


# --- exhibits ---------------------------------------------------------------------------------


def exhibit_data(**over):
    return {
        "title": "储能电池梯次利用", "unit_name": "淄博市科技馆", "field": "新能源",
        "strategy": "green_low_carbon", "description": "简介", "confidentiality_checked": True, **over,
    }  # fmt: skip


def test_area_creates_edits_and_submits_an_exhibit(world):
    by = fresh(world.area_admin)
    exhibit = services.exhibit_create(
        ceremony=world.ceremony, submitter=world.area, by=by, **exhibit_data()
    )
    assert (
        exhibit.state == ExhibitState.DRAFT
        and last_entry("exhibit.create").organization_id == world.area.pk
    )
    services.exhibit_update(exhibit=exhibit, by=by, title="储能电池")
    assert last_entry("exhibit.update").changes == {"title": ["储能电池梯次利用", "储能电池"]}
    services.exhibit_transition(exhibit=exhibit, action="submit", by=by)
    assert Exhibit.objects.get(pk=exhibit.pk).state == ExhibitState.SUBMITTED
    assert last_entry("exhibit.submit").actor == world.area_admin
    with pytest.raises(ServiceError) as exc:
        services.exhibit_update(exhibit=exhibit, by=by, title="x")
    assert codes(exc) == {"not_editable"}


def test_exhibit_refusals(world):
    by = fresh(world.area_admin)
    with pytest.raises(PermissionRefused):
        services.exhibit_create(
            ceremony=world.ceremony, submitter=world.other_area, by=by, **exhibit_data()
        )
    with pytest.raises(ServiceError) as exc:
        services.exhibit_create(
            ceremony=world.ceremony, submitter=world.area, by=by, **exhibit_data(title=" ")
        )
    assert codes(exc) == {"required"}
    unchecked = services.exhibit_create(ceremony=world.ceremony, submitter=world.area, by=by,
                                        **exhibit_data(confidentiality_checked=False))  # fmt: skip
    with pytest.raises(ServiceError) as exc:
        services.exhibit_transition(exhibit=unchecked, action="submit", by=by)
    assert codes(exc) == {"confidentiality_unchecked"}
    with pytest.raises(PermissionRefused):
        services.exhibit_transition(exhibit=world.exhibit, action="select", by=by)
    Ceremony.objects.filter(pk=world.ceremony.pk).update(
        exhibit_deadline=timezone.now() - timedelta(minutes=1)
    )
    world.ceremony.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.exhibit_create(
            ceremony=world.ceremony, submitter=world.area, by=by, **exhibit_data()
        )
    assert codes(exc) == {"exhibits_closed"}


def test_city_selects_with_a_booth_returns_and_declines_with_a_reason(world):
    by = fresh(world.organizer_admin)
    chosen = services.exhibit_transition(exhibit=world.exhibit, action="select", by=by)
    assert (chosen.state, chosen.booth_number) == (ExhibitState.SELECTED, "A02")  # A01 is taken
    assert OutboxMessage.objects.filter(kind="exhibit.select", recipient="a@example.test").exists()
    other = Exhibit.objects.create(ceremony=world.ceremony, submitter=world.area, title="x", unit_name="u",
                                   field="f", strategy="other", description="d", state="submitted")  # fmt: skip
    with pytest.raises(ServiceError) as exc:  # two booths, both taken
        services.exhibit_transition(exhibit=other, action="select", by=by)
    assert codes(exc) == {"no_booth_left"}
    with pytest.raises(ServiceError) as exc:
        services.exhibit_transition(exhibit=other, action="decline", by=by)
    assert codes(exc) == {"reason_required"}
    declined = services.exhibit_transition(
        exhibit=other, action="decline", by=by, reason="展位有限"
    )
    assert (declined.state, declined.last_reason) == (ExhibitState.DECLINED, "展位有限")
    assert last_entry("exhibit.decline").reason == "展位有限"


def test_public_exhibits_are_only_the_selected(world):
    assert list(selectors.public_exhibits()) == [world.selected]
