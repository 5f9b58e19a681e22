"""Pre-filled figures equal a hand count; the workflow, lateness, reasons, reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from sciweek.activities.enums import ActivityState
from sciweek.activities.models import MediaCoverage, Session
from sciweek.audit.models import AuditEntry
from sciweek.bookings.models import Booking
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations.enums import Role
from sciweek.reports.models import AreaSummary
from sciweek.reports.services import (
    figures_update,
    refresh_figures,
    remind_reports,
    remind_task,
    summary_for,
    summary_transition,
)
from tests.factories import ActivityFactory, AreaFactory, CategoryFactory, SessionFactory, member

from .conftest import complete

pytestmark = pytest.mark.django_db


def booking(session, n, *, size=1, status="confirmed", checked=False):
    if status == "confirmed":  # places taken, as the booking services keep them
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + size)
    return Booking.objects.create(
        session=session, status=status, name=f"访客{n}", phone=f"1380000{n:04d}",
        person_key=f"k{session.pk}-{n}", party_size=size,
        checked_in_at=timezone.now() if checked else None,
    )  # fmt: skip


def test_prefilled_figures_equal_a_hand_count(world):
    lecture = CategoryFactory(edition=world.edition, code="lecture", name="科普讲座")
    open_day = CategoryFactory(edition=world.edition, code="open_day", name="开放日")
    kw = {"edition": world.edition, "host": world.unit_a}
    held = ActivityFactory(
        **kw,
        category=lecture,
        state=ActivityState.HELD,
        onsite_participants=120,
        online_participants=300,
        st_workers=4,
        volunteers=6,
        budget=Decimal("5000"),
        actual_cost=Decimal("4321.00"),
    )
    opened = ActivityFactory(
        **kw,
        category=open_day,
        state=ActivityState.PUBLISHED,
        budget=Decimal("1200.50"),
        volunteers=2,
    )
    ActivityFactory(**kw, category=lecture, state=ActivityState.DRAFT, onsite_participants=999)
    other = ActivityFactory(edition=world.edition, host__parent=world.area_b, category=lecture,
                            state=ActivityState.HELD, onsite_participants=77)  # fmt: skip
    s1, s2 = SessionFactory(activity=held), SessionFactory(activity=opened)
    SessionFactory(activity=opened)
    booking(s1, 1, size=2, checked=True)
    booking(s2, 2, size=3, checked=True)
    booking(s2, 3, size=1)
    booking(s2, 4, size=5, status="cancelled")
    booking(SessionFactory(activity=other), 5, size=9, checked=True)
    MediaCoverage.objects.create(
        activity=held, outlet="淄博日报", title="科普讲座", published_on=world.edition.start_date
    )
    MediaCoverage.objects.create(
        activity=opened, outlet="淄博电视台", title="开放日", published_on=world.edition.start_date
    )

    refresh_figures(summary=world.summary_a)
    figures = {f.key: f.computed for f in world.summary_a.figures.all()}
    assert figures == {
        "activities": 2, "sessions": 3, "bookings": 6, "check_ins": 5,
        # held: its recorded 120; opened: no result, so its gate count (3)
        "onsite": 123, "online": 300, "units_open": 1, "st_workers": 4, "volunteers": 8,
        # 经费投入 is what was spent (the held activity's actual cost), not the budgets.
        "media_reports": 2, "budget": Decimal("6200.50"), "funds": Decimal("4321.00"),
        f"activities.{lecture.code}": 1, f"activities.{open_day.code}": 1,
    }  # fmt: skip
    sources = {f.key: f.source for f in world.summary_a.figures.all()}
    assert all(sources.values())


def test_changed_figure_needs_a_note_and_is_audited(world):
    with pytest.raises(ServiceError) as caught:
        figures_update(
            summary=world.summary_a, values={"activities": (Decimal(5), "")}, by=world.area_user_a
        )
    assert "activities" in caught.value.message_dict
    figures_update(
        summary=world.summary_a,
        values={"activities": (Decimal(5), "含线下补报")},
        by=world.area_user_a,
    )
    figure = world.summary_a.figures.get(key="activities")
    assert (figure.reported, figure.note, figure.is_changed) == (Decimal(5), "含线下补报", True)
    assert AuditEntry.objects.filter(action="summary.figures").count() == 1


def test_workflow_submit_return_needs_reason_resubmit_accept(world):
    summary = world.summary_a
    with pytest.raises(ServiceError) as caught:
        summary_transition(summary=summary, action="submit", by=world.area_user_a)
    assert caught.value.code == "incomplete"
    complete(summary, world.area_user_a)
    summary = summary_transition(summary=summary, action="submit", by=world.area_user_a)
    assert summary.state == "submitted"
    with pytest.raises(PermissionRefused):
        summary_transition(summary=summary, action="accept", by=world.area_user_a)
    with pytest.raises(ServiceError) as caught:
        summary_transition(summary=summary, action="return", by=world.organizer, reason="  ")
    assert caught.value.code == "reason_required"
    summary = summary_transition(
        summary=summary, action="return", by=world.organizer, reason="补充视频说明"
    )
    assert (summary.state, summary.last_reason) == ("returned", "补充视频说明")
    assert (
        OutboxMessage.objects.filter(kind="summary.return", recipient="a@example.test").count() == 1
    )
    summary = summary_transition(summary=summary, action="submit", by=world.area_user_a)
    summary = summary_transition(summary=summary, action="accept", by=world.organizer)
    assert summary.state == "accepted"
    actions = list(AuditEntry.objects.filter(object_id=str(summary.pk), action__in=[
        "summary.submit", "summary.return", "summary.accept"]).order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == ["summary.submit", "summary.return", "summary.submit", "summary.accept"]
    with pytest.raises(ServiceError) as caught:
        summary_transition(summary=summary, action="return", by=world.organizer, reason="x")
    assert caught.value.code == "transition_not_allowed"


def test_submission_after_the_deadline_is_accepted_and_marked_late(world):
    today = timezone.localdate()
    world.task.deadline = today
    world.task.save()
    on_time = summary_transition(summary=complete(world.summary_a, world.area_user_a),
                                 action="submit", by=world.area_user_a)  # fmt: skip
    world.task.deadline = today - timedelta(days=1)
    world.task.save()
    late = summary_transition(summary=complete(world.summary_b, world.area_user_b),
                              action="submit", by=world.area_user_b)  # fmt: skip
    assert (on_time.is_late, late.is_late) == (False, True)
    assert late.state == "submitted"


def test_reminders_only_to_those_who_owe_before_and_daily_after(world):
    area_c = AreaFactory(name="博山区", parent=world.city)
    member(Role.EDITOR, area_c, email="c@example.test")
    member(Role.GATE_STAFF, area_c, email="gate-c@example.test")  # gate staff get no office mail
    world.task.areas.add(area_c)
    summary_transition(summary=complete(world.summary_a, world.area_user_a), action="submit",
                       by=world.area_user_a)  # fmt: skip
    summary_for(task=world.task, area=area_c)  # a draft still owes
    deadline = world.task.deadline
    OutboxMessage.objects.all().delete()

    assert remind_reports(today=deadline - timedelta(days=4)) == {}
    assert remind_reports(today=deadline - timedelta(days=3)) == {world.task.pk: 2}
    assert sorted(OutboxMessage.objects.values_list("kind", "recipient")) == [
        ("summary.reminder", "b@example.test"), ("summary.reminder", "c@example.test")]  # fmt: skip
    assert remind_reports(today=deadline - timedelta(days=2)) == {}
    assert remind_reports(today=deadline) == {}
    OutboxMessage.objects.all().delete()
    for day in (1, 2):
        assert remind_reports(today=deadline + timedelta(days=day)) == {world.task.pk: 2}
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == [
        "b@example.test", "b@example.test", "c@example.test", "c@example.test"]  # fmt: skip
    assert set(OutboxMessage.objects.values_list("kind", flat=True)) == {"summary.overdue"}
    assert "/office/summary/" in OutboxMessage.objects.first().body


def test_remind_task_button_service_reminds_owing_now_and_audits(world):
    summary_transition(summary=complete(world.summary_a, world.area_user_a), action="submit",
                       by=world.area_user_a)  # fmt: skip
    OutboxMessage.objects.all().delete()
    assert remind_task(task=world.task, by=world.organizer) == 1
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["b@example.test"]
    entry = AuditEntry.objects.get(action="summary.remind")
    assert entry.actor == world.organizer


def test_narrative_only_while_editable(world):
    from sciweek.reports.services import narrative_update

    narrative_update(
        summary=world.summary_a, texts={"highlights_text": "科学之夜"}, by=world.area_user_a
    )
    AreaSummary.objects.filter(pk=world.summary_a.pk).update(state="accepted")
    with pytest.raises(ServiceError) as caught:
        narrative_update(
            summary=world.summary_a, texts={"highlights_text": "改"}, by=world.area_user_a
        )
    assert caught.value.code == "not_editable"


def test_figures_show_plain_numbers_never_exponents(client, world):
    from sciweek.reports.models import SummaryFigure, plain_number

    assert [plain_number(Decimal(v)) for v in ("540.00", "12.50", "0.00", "7")] == [
        "540",
        "12.5",
        "0",
        "7",
    ]
    SummaryFigure.objects.filter(summary=world.summary_a, key="activities").update(
        computed=Decimal("540.00")
    )
    client.force_login(world.area_user_a)
    body = client.get(f"/office/summaries/{world.summary_a.pk}/").content.decode()
    assert "E+" not in body
    assert 'name="value_activities" value="540"' in body


def test_duban_reaches_the_area_members_and_contacts_by_email_and_sms(world):
    """督办 goes out as a notice does (``notify_organization``): every member with an office
    role and every contact person of the area, on both channels, each address once."""
    from sciweek.organizations.models import Contact

    area_c = AreaFactory(name="博山区", parent=world.city)
    user = member(Role.EDITOR, area_c, email="c@example.test")
    user.phone = "13900000031"
    user.save(update_fields=["phone"])
    Contact.objects.create(organization=area_c, name="联络员", post="科员",
                           mobile="13900000032", email="liaison@example.test")  # fmt: skip
    Contact.objects.create(organization=area_c, name="同号", mobile="13900000031")  # once only
    world.task.areas.set([area_c])
    OutboxMessage.objects.all().delete()

    assert remind_reports(today=world.task.deadline + timedelta(days=1)) == {world.task.pk: 1}

    assert sorted(OutboxMessage.objects.values_list("kind", "channel", "recipient")) == [
        ("summary.overdue", "email", "c@example.test"),
        ("summary.overdue", "email", "liaison@example.test"),
        ("summary.overdue", "sms", "13900000031"),
        ("summary.overdue", "sms", "13900000032"),
    ]


def test_a_returned_summary_reaches_the_area_contacts_by_sms(world):
    from sciweek.organizations.models import Contact

    Contact.objects.create(organization=world.area, name="联络员", mobile="13900000041")
    summary_transition(summary=complete(world.summary_a, world.area_user_a), action="submit",
                       by=world.area_user_a)  # fmt: skip
    OutboxMessage.objects.all().delete()
    summary_transition(summary=world.summary_a, action="return", reason="照片不足",
                       by=world.organizer)  # fmt: skip
    assert sorted(OutboxMessage.objects.values_list("kind", "channel", "recipient")) == [
        ("summary.return", "email", "a@example.test"),
        ("summary.return", "sms", "13900000041"),
    ]
