"""Every activity service: the happy path, each refusal (by its code, with nothing changed) and
the audit entry it writes."""

import io
import zipfile
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from sciweek.activities import services
from sciweek.activities.models import (
    Activity,
    ActivityDocument,
    AudienceTag,
    Category,
    MediaCoverage,
    Session,
)
from sciweek.activities.signals import activity_cancelled
from sciweek.audit.models import AuditEntry
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.demo.activities import tiny_pdf
from tests.activities.world import activity_in, fresh, make_world
from tests.factories import EditionFactory, SessionFactory
from tests.roles import Role

pytestmark = pytest.mark.django_db

PDF = tiny_pdf("plan")


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def w():
    return make_world()


def at(w, day: int, hour: int) -> datetime:
    """A time in the world's edition: ``day`` days after its first day."""
    return timezone.make_aware(
        datetime.combine(w.edition.start_date + timedelta(days=day), time(hour))
    )


def codes(exc_info) -> str:
    return exc_info.value.code


def new_activity(w, host=None, **kwargs) -> Activity:
    host = host or w.unit_a
    fields = {
        "edition": w.edition, "host": host, "title": "科普进社区：垃圾分类小课堂",
        "category": w.category, "venue_name": "和平社区广场", "address": "张店区和平街道",
        "contact_name": "李老师", "contact_phone": "13800138000",
        "confidentiality_checked": True, **kwargs,
    }  # fmt: skip
    return Activity(**fields)


# activity_save ----------------------------------------------------------------------------


def test_activity_save_creates_a_draft_in_the_host_units_area(w):
    user = fresh(w.host_editor)
    # A host unit files in its own area, whatever area the form sent.
    activity = services.activity_save(
        activity=new_activity(w, area=w.linzi), by=user,
        audiences=["students", "residents"], co_hosts=[w.unit_b],
    )  # fmt: skip
    activity.refresh_from_db()
    assert activity.state == "draft"
    assert activity.area == w.zhangdian
    assert activity.created_by == user
    assert sorted(activity.audience_tags.values_list("audience", flat=True)) == [
        "residents",
        "students",
    ]
    assert list(activity.co_hosts.all()) == [w.unit_b]
    entry = AuditEntry.objects.get()
    assert entry.action == "activity.create"
    assert entry.actor == user
    assert entry.organization_id == w.unit_a.pk
    assert entry.changes["title"] == [None, "科普进社区：垃圾分类小课堂"]
    assert entry.changes["area"] == [None, w.zhangdian.pk]
    assert entry.changes["audiences"] == [None, ["residents", "students"]]
    assert entry.changes["co_hosts"] == [None, [w.unit_b.pk]]


def test_activity_save_lets_a_city_department_choose_the_area(w):
    activity = services.activity_save(
        activity=new_activity(w, host=w.dept, area=w.linzi), by=fresh(w.dept_editor)
    )
    assert Activity.objects.get(pk=activity.pk).area == w.linzi


def test_activity_save_updates_audiences_and_records_only_the_changes(w):
    user = fresh(w.host_editor)
    activity = services.activity_save(activity=new_activity(w), by=user, audiences=["students"])
    activity.title = "科普进社区：节水小课堂"
    services.activity_save(activity=activity, by=user, audiences=["seniors", "students"])
    assert sorted(AudienceTag.objects.values_list("audience", flat=True)) == [
        "seniors",
        "students",
    ]
    services.activity_save(activity=activity, by=user, audiences=["seniors"])
    assert list(AudienceTag.objects.values_list("audience", flat=True)) == ["seniors"]
    update = AuditEntry.objects.filter(action="activity.update").order_by("id").first()
    assert update.changes == {
        "title": ["科普进社区：垃圾分类小课堂", "科普进社区：节水小课堂"],
        "audiences": [["students"], ["seniors", "students"]],
    }


@pytest.mark.parametrize("state", ["pending_area", "pending_city", "published", "held"])
def test_activity_save_refuses_an_activity_that_is_not_editable(w, state):
    activity = activity_in(w, state, title="原标题")
    activity.title = "新标题"
    with pytest.raises(ServiceError) as refused:
        services.activity_save(activity=activity, by=fresh(w.host_editor))
    assert codes(refused) == "not_editable"
    assert Activity.objects.get(pk=activity.pk).title == "原标题"
    assert not AuditEntry.objects.exists()


def test_activity_save_allows_editing_a_returned_activity(w):
    activity = activity_in(w, "returned")
    activity.title = "修改后的标题"
    services.activity_save(activity=activity, by=fresh(w.host_editor))
    assert Activity.objects.get(pk=activity.pk).title == "修改后的标题"


def test_activity_save_refuses_the_area_itself_as_host(w):
    with pytest.raises(ServiceError) as refused:
        services.activity_save(activity=new_activity(w, host=w.zhangdian), by=fresh(w.area_admin))
    assert codes(refused) == "bad_host"
    assert not Activity.objects.exists()


def test_activity_save_refuses_a_category_of_another_edition(w):
    other = Category.objects.create(edition=EditionFactory(), code="x", name="其他届类别")
    with pytest.raises(ServiceError) as refused:
        services.activity_save(activity=new_activity(w, category=other), by=fresh(w.host_editor))
    assert codes(refused) == "bad_category"
    assert not Activity.objects.exists()


# session_save / session_delete ------------------------------------------------------------


def test_session_save_adds_and_updates_with_audit(w):
    activity = activity_in(w, sessions=0)
    user = fresh(w.host_editor)
    session = services.session_save(
        session=Session(activity=activity, starts_at=at(w, 1, 9), ends_at=at(w, 1, 11),
                        capacity=80, booking_opens_at=at(w, -10, 9),
                        booking_closes_at=at(w, 0, 18)),
        by=user,
    )  # fmt: skip
    session.capacity = 120
    services.session_save(session=session, by=user)
    add, update = AuditEntry.objects.order_by("id")
    assert add.action == "activity.session_add"
    assert add.changes["capacity"] == [None, 80]
    assert update.action == "activity.session_update"
    assert update.changes == {"capacity": [80, 120]}
    assert Session.objects.get().capacity == 120


@pytest.mark.parametrize(
    ("start", "end", "opens", "closes", "code"),
    [
        ((1, 11), (1, 9), None, None, "session_order"),
        ((1, 9), (1, 9), None, None, "session_order"),
        ((1, 9), (1, 11), (0, 12), (0, 9), "booking_window"),
        ((-1, 9), (-1, 11), None, None, "session_outside_week"),
        ((11, 20), (12, 9), None, None, "session_outside_week"),
    ],
)
def test_session_save_refusals(w, start, end, opens, closes, code):
    activity = activity_in(w, sessions=0)
    session = Session(
        activity=activity,
        starts_at=at(w, *start),
        ends_at=at(w, *end),
        capacity=10,
        booking_opens_at=at(w, *opens) if opens else None,
        booking_closes_at=at(w, *closes) if closes else None,
    )
    with pytest.raises(ServiceError) as refused:
        services.session_save(session=session, by=fresh(w.host_editor))
    assert codes(refused) == code
    assert not Session.objects.exists()
    assert not AuditEntry.objects.exists()


def test_session_outside_the_week_is_allowed_for_a_series(w):
    activity = activity_in(w, sessions=0, is_series=True)
    services.session_save(
        session=Session(activity=activity, starts_at=at(w, 40, 9), ends_at=at(w, 40, 11),
                        capacity=10),
        by=fresh(w.host_editor),
    )  # fmt: skip
    assert Session.objects.count() == 1


def test_session_outside_week_message_names_the_dates(w):
    activity = activity_in(w, sessions=0)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        services.session_save(
            session=Session(activity=activity, starts_at=at(w, -1, 9), ends_at=at(w, -1, 10),
                            capacity=1),
            by=fresh(w.host_editor),
        )  # fmt: skip
    assert refused.value.messages == [
        "Sessions must fall within the week (2031-05-20 to 2031-05-31), unless the activity is "
        "marked as a regular or series activity."
    ]


def test_session_save_and_delete_refuse_a_published_activity(w):
    activity = activity_in(w, "published")
    session = activity.sessions.get()
    session.capacity = 999
    with pytest.raises(ServiceError) as refused:
        services.session_save(session=session, by=fresh(w.host_editor))
    assert codes(refused) == "not_editable"
    with pytest.raises(ServiceError) as refused:
        services.session_delete(session=session, by=fresh(w.host_editor))
    assert codes(refused) == "not_editable"
    assert Session.objects.get().capacity == 100


def test_session_delete_writes_its_audit_entry(w):
    activity = activity_in(w)
    services.session_delete(session=activity.sessions.get(), by=fresh(w.host_editor))
    assert not Session.objects.exists()
    entry = AuditEntry.objects.get()
    assert entry.action == "activity.session_delete"
    assert entry.changes["capacity"] == [100, None]


# document_attach / document_remove --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension", "mime"),
    [
        ("安全工作方案.pdf", PDF, "pdf", "application/pdf"),
        (
            "../../应急预案.docx",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_document_attach_accepts_pdf_and_docx(w, name, content, extension, mime):
    activity = activity_in(w)
    user = fresh(w.host_editor)
    document = services.document_attach(
        activity=activity, kind="safety_plan", upload=SimpleUploadedFile(name, content), by=user
    )
    assert document.original_name == name.split("/")[-1]
    assert document.content_type == mime
    assert document.size == len(content)
    assert document.storage_key.endswith(f".{extension}")
    assert document.file.name == f"activities/{activity.pk}/{document.storage_key}"
    with document.file.open("rb") as stored:
        assert stored.read() == content
    entry = AuditEntry.objects.get()
    assert entry.action == "activity.document_add"
    assert entry.changes == {"kind": [None, "safety_plan"], "file": [None, name.split("/")[-1]]}


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200), "file_type_refused"),
        (SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script>"), "file_type_refused"),
        (
            SimpleUploadedFile("plan.pdf", PDF + b"\x00" * (20 * 1024 * 1024 + 1 - len(PDF))),
            "file_too_large",
        ),
    ],
    ids=["renamed-exe", "html", "over-20mb"],
)
def test_document_attach_refusals(w, upload, code):
    activity = activity_in(w)
    with pytest.raises(ServiceError) as refused:
        services.document_attach(
            activity=activity, kind="safety_plan", upload=upload, by=fresh(w.host_editor)
        )
    assert codes(refused) == code
    assert not ActivityDocument.objects.exists()
    assert not AuditEntry.objects.exists()


def test_document_attach_refuses_a_bad_kind_and_a_published_activity(w):
    with pytest.raises(ServiceError) as refused:
        services.document_attach(activity=activity_in(w), kind="photo",
                                 upload=SimpleUploadedFile("a.pdf", PDF), by=fresh(w.host_editor))  # fmt: skip
    assert codes(refused) == "bad_kind"
    with pytest.raises(ServiceError) as refused:
        services.document_attach(activity=activity_in(w, "published"), kind="safety_plan",
                                 upload=SimpleUploadedFile("a.pdf", PDF), by=fresh(w.host_editor))  # fmt: skip
    assert codes(refused) == "not_editable"
    assert not ActivityDocument.objects.exists()


def test_document_remove_deletes_the_file_and_records_it(w):
    activity = activity_in(w)
    user = fresh(w.host_editor)
    document = services.document_attach(
        activity=activity,
        kind="emergency_plan",
        upload=SimpleUploadedFile("预案.pdf", PDF),
        by=user,
    )
    storage, name = document.file.storage, document.file.name
    services.document_remove(document=document, by=user)
    assert not ActivityDocument.objects.exists()
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(action="activity.document_remove")
    assert entry.changes == {"kind": ["emergency_plan", None], "file": ["预案.pdf", None]}


# activity_transition ----------------------------------------------------------------------


def test_submit_names_everything_missing(w):
    activity = activity_in(w, sessions=0, confidentiality_checked=False, venue_name="",
                           address="")  # fmt: skip
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        services.activity_transition(activity=activity, action="submit", by=fresh(w.host_editor))
    assert codes(refused) == "not_ready"
    assert refused.value.messages == [
        "Complete the confidentiality self-check (科技保密自查). Add at least one session (date, "
        "time and capacity). Give the venue. Give the address."
    ]
    assert Activity.objects.get(pk=activity.pk).state == "draft"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"confidentiality_checked": False},
            "Complete the confidentiality self-check (科技保密自查).",
        ),
        ({"venue_name": ""}, "Give the venue."),
        ({"mode": "online"}, "Give the livestream or online link."),
    ],
)
def test_submit_refuses_each_missing_item(w, change, message):
    activity = activity_in(w, **change)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        services.activity_transition(activity=activity, action="submit", by=fresh(w.host_editor))
    assert refused.value.messages == [message]


def test_submit_routes_a_host_unit_to_its_area_and_a_city_department_to_the_city(w):
    unit_activity = activity_in(w)
    dept_activity = activity_in(w, host=w.dept)
    services.activity_transition(activity=unit_activity, action="submit", by=fresh(w.host_editor))
    services.activity_transition(activity=dept_activity, action="submit", by=fresh(w.dept_editor))
    unit_activity.refresh_from_db()
    dept_activity.refresh_from_db()
    assert unit_activity.state == "pending_area"
    assert dept_activity.state == "pending_city"
    assert unit_activity.submitted_at is not None
    assert unit_activity.state_changed_at == unit_activity.submitted_at
    changes = sorted(
        AuditEntry.objects.filter(action="activity.submit").values_list("changes", flat=True),
        key=str,
    )
    assert changes == [
        {"state": ["draft", "pending_area"]},
        {"state": ["draft", "pending_city"]},
    ]


def test_approve_by_the_area_then_by_the_city_publishes(w):
    activity = activity_in(w, "pending_area")
    services.activity_transition(activity=activity, action="approve", by=fresh(w.area_reviewer))
    assert Activity.objects.get(pk=activity.pk).state == "pending_city"
    services.activity_transition(activity=activity, action="approve", by=fresh(w.city_reviewer))
    activity.refresh_from_db()
    assert activity.state == "published"
    assert activity.published_at == activity.state_changed_at
    assert list(
        AuditEntry.objects.order_by("id").values_list("action", "actor__username", "changes")
    ) == [
        ("activity.approve", "area-reviewer", {"state": ["pending_area", "pending_city"]}),
        ("activity.approve", "organizer-reviewer", {"state": ["pending_city", "published"]}),
    ]


@pytest.mark.parametrize(
    ("state", "role"),
    [
        ("pending_area", Role.ORGANIZER_REVIEWER),
        ("pending_area", Role.OTHER_AREA_REVIEWER),
        ("pending_area", Role.UNIT_ADMIN),
        ("pending_city", Role.AREA_REVIEWER),
        ("pending_city", Role.AREA_ADMIN),
        ("pending_city", Role.UNIT_EDITOR),
    ],
)
def test_approve_by_the_wrong_level_is_refused(w, state, role):
    activity = activity_in(w, state)
    with pytest.raises(PermissionRefused) as refused:
        services.activity_transition(activity=activity, action="approve", by=fresh(w.users[role]))
    assert refused.value.code == "permission_denied"
    assert Activity.objects.get(pk=activity.pk).state == state
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("action", "state", "role"),
    [("return", "pending_area", Role.AREA_REVIEWER), ("cancel", "published", Role.UNIT_ADMIN)],
)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_return_and_cancel_need_a_reason(w, action, state, role, reason):
    activity = activity_in(w, state)
    with pytest.raises(ServiceError) as refused:
        services.activity_transition(activity=activity, action=action, by=fresh(w.users[role]),
                                     reason=reason)  # fmt: skip
    assert codes(refused) == "reason_required"
    assert Activity.objects.get(pk=activity.pk).state == state


def test_return_records_the_reason(w):
    activity = activity_in(w, "pending_area")
    services.activity_transition(activity=activity, action="return", by=fresh(w.area_reviewer),
                                 reason="  请补充活动地址。 ")  # fmt: skip
    activity.refresh_from_db()
    assert activity.state == "returned"
    assert activity.last_reason == "请补充活动地址。"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason, entry.changes) == (
        "activity.return",
        "请补充活动地址。",
        {"state": ["pending_area", "returned"]},
    )


def test_cancel_sends_the_signal_once_with_the_reason(w):
    activity = activity_in(w, "published")
    calls = []

    def receiver(sender, activity, reason, by, **kwargs):
        calls.append((sender, activity.pk, activity.state, reason, by.username))

    activity_cancelled.connect(receiver)
    try:
        services.activity_transition(activity=activity, action="cancel", by=fresh(w.city_admin),
                                     reason="场馆检修")  # fmt: skip
    finally:
        activity_cancelled.disconnect(receiver)
    assert calls == [(Activity, activity.pk, "cancelled", "场馆检修", "organizer-admin")]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason) == ("activity.cancel", "场馆检修")


def test_other_actions_send_no_cancel_signal(w):
    calls = []
    activity_cancelled.connect(lambda **kw: calls.append(kw), weak=False, dispatch_uid="t")
    try:
        services.activity_transition(activity=activity_in(w, "pending_area"), action="return",
                                     by=fresh(w.area_reviewer), reason="x")  # fmt: skip
    finally:
        activity_cancelled.disconnect(dispatch_uid="t")
    assert calls == []


LARGE_PREFIX = (
    "This is a large mass event (1,000 or more people in a session, expected, or over a day at "
    "the venue); before it can be approved it needs "
)
COUNTY = " The permit should come from the county (district) public security bureau."


def _approve_message(w, activity, role):
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        services.activity_transition(activity=activity, action="approve", by=fresh(w.users[role]))
    assert codes(refused) == "large_event_incomplete"
    return refused.value.messages[0]


def test_large_event_can_be_submitted_but_not_approved_until_complete(w):
    activity = activity_in(w, sessions=0)
    SessionFactory(activity=activity, capacity=1200)
    services.activity_transition(activity=activity, action="submit", by=fresh(w.host_editor))
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"

    assert _approve_message(w, activity, Role.AREA_REVIEWER) == (
        LARGE_PREFIX + "the safety plan (安全工作方案), the emergency plan (应急预案), the police "
        "permit document (a scan: pdf or image), the police permit number, the authority that "
        "issued the permit, the person responsible for safety." + COUNTY
    )
    # Plans are attached while editable; the rest is filled in on the record.
    ActivityDocument.objects.create(activity=activity, kind="safety_plan", original_name="a.pdf",
                                    content_type="application/pdf", size=1)  # fmt: skip
    Activity.objects.filter(pk=activity.pk).update(police_permit_number="淄公许字〔2031〕1号")
    assert _approve_message(w, activity, Role.AREA_REVIEWER) == (
        LARGE_PREFIX + "the emergency plan (应急预案), the police permit document (a scan: pdf or "
        "image), the authority that issued the permit, the person responsible for safety." + COUNTY
    )
    ActivityDocument.objects.create(activity=activity, kind="emergency_plan", original_name="b.pdf",
                                    content_type="application/pdf", size=1)  # fmt: skip
    ActivityDocument.objects.create(activity=activity, kind="police_permit", original_name="c.jpg",
                                    content_type="image/jpeg", size=1)  # fmt: skip
    Activity.objects.filter(pk=activity.pk).update(
        police_permit_authority="淄博市公安局张店分局", police_permit_level="county"
    )
    assert _approve_message(w, activity, Role.AREA_REVIEWER) == (
        LARGE_PREFIX + "the person responsible for safety." + COUNTY
    )
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"
    assert not AuditEntry.objects.filter(action="activity.approve").exists()

    Activity.objects.filter(pk=activity.pk).update(safety_officer_name="韩立新")
    services.activity_transition(activity=activity, action="approve", by=fresh(w.area_reviewer))
    services.activity_transition(activity=activity, action="approve", by=fresh(w.city_reviewer))
    assert Activity.objects.get(pk=activity.pk).state == "published"


def test_large_event_is_refused_at_the_city_level_too(w):
    activity = activity_in(w, "pending_city", host=w.dept, sessions=0,
                           police_permit_number="1", police_permit_authority="公安局")  # fmt: skip
    SessionFactory(activity=activity, capacity=6000)
    assert _approve_message(w, activity, Role.ORGANIZER_REVIEWER) == (
        LARGE_PREFIX + "the safety plan (安全工作方案), the emergency plan (应急预案), the police "
        "permit document (a scan: pdf or image), the authority that issued the permit, the "
        "person responsible for safety. "
        "The permit should come from the city public security bureau."
    )
    assert Activity.objects.get(pk=activity.pk).state == "pending_city"


def test_a_999_person_session_is_not_a_large_event(w):
    activity = activity_in(w, "pending_area", sessions=0)
    SessionFactory(activity=activity, capacity=999)
    services.activity_transition(activity=activity, action="approve", by=fresh(w.area_reviewer))
    assert Activity.objects.get(pk=activity.pk).state == "pending_city"


def test_mark_held_only_after_the_last_session_ended(w):
    activity = activity_in(w, "published", sessions=0)
    now = timezone.now()
    SessionFactory(activity=activity, starts_at=now - timedelta(days=2),
                   ends_at=now - timedelta(days=2) + timedelta(hours=1))  # fmt: skip
    last = SessionFactory(activity=activity, starts_at=now - timedelta(hours=1),
                          ends_at=now + timedelta(hours=1))  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        services.activity_transition(activity=activity, action="mark_held", by=fresh(w.host_admin))
    assert codes(refused) == "not_ended"
    assert Activity.objects.get(pk=activity.pk).state == "published"
    Session.objects.filter(pk=last.pk).update(ends_at=now - timedelta(minutes=1))
    services.activity_transition(activity=activity, action="mark_held", by=fresh(w.host_admin))
    assert Activity.objects.get(pk=activity.pk).state == "held"
    assert AuditEntry.objects.get().changes == {"state": ["published", "held"]}


def test_withdraw_and_resubmit_after_return(w):
    activity = activity_in(w, "returned")
    services.activity_transition(activity=activity, action="submit", by=fresh(w.host_editor))
    assert Activity.objects.get(pk=activity.pk).state == "pending_area"
    services.activity_transition(activity=activity, action="withdraw", by=fresh(w.host_editor))
    assert Activity.objects.get(pk=activity.pk).state == "withdrawn"


# activity_duplicate ------------------------------------------------------------------------


def test_activity_duplicate_copies_content_and_sessions_but_not_results(w):
    source = activity_in(w, "held", sessions=2, onsite_participants=90, st_workers=3)
    AudienceTag.objects.create(activity=source, audience="students")
    source.co_hosts.set([w.unit_b])
    with translation.override("en"):
        copy = services.activity_duplicate(activity=source, by=fresh(w.host_editor))
    copy.refresh_from_db()
    assert copy.pk != source.pk
    assert copy.title == f"{source.title} (copy)"
    assert (copy.state, copy.submitted_at, copy.published_at) == ("draft", None, None)
    assert (copy.onsite_participants, copy.st_workers) == (None, None)
    assert copy.confidentiality_checked is False
    assert copy.duplicated_from == source
    assert copy.created_by.username == "unit-editor"
    assert list(copy.audience_tags.values_list("audience", flat=True)) == ["students"]
    assert list(copy.co_hosts.all()) == [w.unit_b]
    assert sorted(copy.sessions.values_list("starts_at", "capacity")) == sorted(
        source.sessions.values_list("starts_at", "capacity")
    )
    assert source.sessions.count() == 2
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.changes) == (
        "activity.duplicate",
        str(copy.pk),
        {"from": [None, source.pk]},
    )


def test_activity_duplicate_into_another_edition_leaves_sessions_behind(w):
    source = activity_in(w, "held")
    other = EditionFactory(year=2032)
    copy = services.activity_duplicate(activity=source, by=fresh(w.host_editor), edition=other)
    assert copy.edition == other
    assert copy.sessions.count() == 0


# results_save / coverage -------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "published", "cancelled"])
def test_results_save_refuses_before_held(w, state):
    activity = activity_in(w, state)
    with pytest.raises(ServiceError) as refused:
        services.results_save(activity=activity, values={"onsite_participants": 5},
                              by=fresh(w.host_editor))  # fmt: skip
    assert codes(refused) == "not_held"
    assert Activity.objects.get(pk=activity.pk).onsite_participants is None


def test_results_save_records_figures_with_audit(w):
    activity = activity_in(w, "held", volunteers=2)
    services.results_save(
        activity=activity,
        values={"onsite_participants": 180, "online_participants": 5200, "volunteers": 12},
        by=fresh(w.city_reviewer),
    )
    activity.refresh_from_db()
    assert (activity.onsite_participants, activity.online_participants, activity.st_workers,
            activity.volunteers) == (180, 5200, None, 12)  # fmt: skip
    entry = AuditEntry.objects.get()
    assert entry.action == "activity.results"
    assert entry.changes == {
        "onsite_participants": [None, 180],
        "online_participants": [None, 5200],
        "volunteers": [2, 12],
    }


def test_results_save_records_the_actual_cost_with_audit(w):
    activity = activity_in(w, "held", budget=Decimal("5000"))
    services.results_save(
        activity=activity, values={"actual_cost": Decimal("4680.50")}, by=fresh(w.host_editor)
    )
    activity.refresh_from_db()
    assert (activity.budget, activity.actual_cost) == (Decimal("5000"), Decimal("4680.50"))
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "activity.results",
        {"actual_cost": [None, "4680.5"]},
    )


def test_coverage_add_and_remove(w):
    activity = activity_in(w, "held")
    user = fresh(w.host_editor)
    coverage = services.coverage_add(
        activity=activity,
        coverage=MediaCoverage(outlet="淄博日报", title="科技周活动成功举办",
                               url="https://example.org/a", published_on=w.edition.end_date),
        by=user,
    )  # fmt: skip
    assert MediaCoverage.objects.get().activity == activity
    services.coverage_remove(coverage=coverage, by=user)
    assert not MediaCoverage.objects.exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", "changes")) == [
        (
            "activity.coverage_add",
            {"outlet": [None, "淄博日报"], "title": [None, "科技周活动成功举办"]},
        ),
        (
            "activity.coverage_remove",
            {"outlet": ["淄博日报", None], "title": ["科技周活动成功举办", None]},
        ),
    ]


def test_coverage_add_refuses_an_unpublished_activity_and_a_bad_link(w):
    with pytest.raises(ServiceError) as refused:
        services.coverage_add(activity=activity_in(w, "pending_area"),
                              coverage=MediaCoverage(outlet="a", title="b",
                                                     published_on=w.edition.end_date),
                              by=fresh(w.host_editor))  # fmt: skip
    assert codes(refused) == "not_public"
    # The model's own validation refuses a link that is not http(s).
    with pytest.raises(ValidationError) as invalid:
        services.coverage_add(activity=activity_in(w, "held"),
                              coverage=MediaCoverage(outlet="a", title="b", url="javascript:alert(1)",
                                                     published_on=w.edition.end_date),
                              by=fresh(w.host_editor))  # fmt: skip
    assert list(invalid.value.message_dict) == ["url"]
    assert not MediaCoverage.objects.exists()
