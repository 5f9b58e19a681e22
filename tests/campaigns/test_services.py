"""Every campaigns service: the happy path, each refusal (by its stable code) and its audit entry."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sciweek.audit.models import AuditEntry
from sciweek.campaigns import services
from sciweek.campaigns.enums import EDITION_TRANSITIONS, EditionStatus, NoticeStatus
from sciweek.campaigns.models import (
    BasisDocument,
    Edition,
    FocusArea,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
)
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations.enums import Role as MemberRole
from tests.factories import (
    AreaDepartmentFactory,
    AreaFactory,
    CityBureauFactory,
    EditionFactory,
    FocusAreaFactory,
    HostUnitFactory,
    NoticeFactory,
    NoticeRecipientFactory,
    PublishedNoticeFactory,
    UserFactory,
    member,
)
from tests.roles import Role

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def bureau(world):
    return world.bureau


@pytest.fixture
def organizer(world):
    return world.users[Role.ORGANIZER_ADMIN]


def last_audit(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def code_of(excinfo) -> str:
    return excinfo.value.code


# Editions ------------------------------------------------------------------------------------


def test_edition_save_creates_and_audits(bureau, organizer):
    edition = Edition(
        organizer=bureau,
        year=2031,
        title="2031年科技活动周",
        theme="主题",
        start_date=date(2031, 5, 20),
        end_date=date(2031, 5, 31),
        summary_deadline=date(2031, 6, 12),
        receiving_section="人才与成果科",
        receiving_email="a@example.test",
    )
    services.edition_save(edition=edition, by=organizer)
    entry = last_audit("edition.create")
    assert entry.actor == organizer
    assert entry.object_id == str(edition.pk)
    assert entry.organization_id == bureau.pk
    assert entry.changes["year"] == [None, 2031]
    assert entry.changes["status"] == [None, "draft"]


def test_edition_save_update_audits_only_changes(organizer):
    edition = EditionFactory(year=2032, theme="旧主题")
    edition.theme = "新主题"
    services.edition_save(edition=edition, by=organizer)
    entry = last_audit("edition.update")
    assert entry.changes == {"theme": ["旧主题", "新主题"]}


def test_edition_save_refuses_deadline_before_end(organizer):
    edition = EditionFactory.build(
        organizer=CityBureauFactory(), year=2033, summary_deadline=date(2033, 5, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.edition_save(edition=edition, by=organizer)
    assert "summary_deadline" in excinfo.value.message_dict
    assert not Edition.objects.filter(year=2033).exists()
    assert not AuditEntry.objects.filter(action="edition.create").exists()


def test_edition_copy_shifts_dates_and_copies_documents_and_focus_areas(organizer):
    source = EditionFactory(
        year=2023,
        title="2023年淄博市科技活动周",
        start_date=date(2023, 5, 20),
        end_date=date(2023, 5, 31),
        summary_deadline=date(2023, 6, 12),
    )
    BasisDocument.objects.create(
        edition=source, number="国科函才〔2023〕65号", title="甲", position=0
    )
    BasisDocument.objects.create(
        edition=source, number="鲁科字〔2023〕27号", title="乙", position=1
    )
    FocusAreaFactory(edition=source, title="一", position=0, description="说明一")
    FocusAreaFactory(edition=source, title="二", position=1)
    NoticeFactory(edition=source)

    copy = services.edition_copy(source=source, year=2026, by=organizer)

    assert copy.year == 2026
    assert copy.title == "2026年淄博市科技活动周"
    assert copy.status == EditionStatus.DRAFT
    assert copy.copied_from == source
    assert (copy.start_date, copy.end_date, copy.summary_deadline) == (
        date(2026, 5, 20),
        date(2026, 5, 31),
        date(2026, 6, 12),
    )
    assert list(copy.basis_documents.values_list("number", "title", "position")) == [
        ("国科函才〔2023〕65号", "甲", 0),
        ("鲁科字〔2023〕27号", "乙", 1),
    ]
    assert list(copy.focus_areas.values_list("title", "description", "position")) == [
        ("一", "说明一", 0),
        ("二", "", 1),
    ]
    assert copy.notices.count() == 0
    # The source keeps its own rows.
    assert source.basis_documents.count() == 2
    assert source.focus_areas.count() == 2
    entry = last_audit("edition.copy")
    assert entry.actor == organizer
    assert entry.object_id == str(copy.pk)
    assert entry.changes == {"copied_from": [None, 2023], "year": [None, 2026]}


def test_edition_copy_moves_29_february_to_28(organizer):
    source = EditionFactory(
        year=2024,
        start_date=date(2024, 2, 20),
        end_date=date(2024, 2, 29),
        summary_deadline=date(2024, 2, 29),
    )
    copy = services.edition_copy(source=source, year=2025, by=organizer)
    assert copy.end_date == date(2025, 2, 28)


def test_edition_copy_refuses_a_year_taken(organizer):
    source = EditionFactory(year=2023)
    EditionFactory(year=2024)
    with pytest.raises(ServiceError) as excinfo:
        services.edition_copy(source=source, year=2024, by=organizer)
    assert code_of(excinfo) == "year_taken"
    assert Edition.objects.filter(year=2024).count() == 1
    assert not AuditEntry.objects.filter(action="edition.copy").exists()


ALL_MOVES = [(a, b) for a in EditionStatus.values for b in EditionStatus.values]


@pytest.mark.parametrize(("start", "to"), ALL_MOVES)
def test_edition_transition_follows_the_table(organizer, start, to):
    edition = EditionFactory(status=start)
    if to in EDITION_TRANSITIONS[start]:
        services.edition_transition(edition=edition, to=to, by=organizer)
        edition.refresh_from_db()
        assert edition.status == to
        entry = last_audit(f"edition.{to}")
        assert entry.actor == organizer
        assert entry.changes == {"status": [start, to]}
    else:
        with pytest.raises(ServiceError) as excinfo:
            services.edition_transition(edition=edition, to=to, by=organizer)
        assert code_of(excinfo) == "transition_not_allowed"
        edition.refresh_from_db()
        assert edition.status == start
        assert not AuditEntry.objects.filter(action__startswith="edition.").exists()


def test_edition_transition_refuses_an_unknown_status(organizer):
    edition = EditionFactory(status=EditionStatus.DRAFT)
    with pytest.raises(ServiceError) as excinfo:
        services.edition_transition(edition=edition, to="deleted", by=organizer)
    assert code_of(excinfo) == "unknown_status"
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.sampled_from(EditionStatus.values),
    to=st.one_of(st.sampled_from(EditionStatus.values), st.text(max_size=12)),
)
def test_edition_transition_property_refuses_every_move_outside_the_table(organizer, start, to):
    with transaction.atomic():
        edition = EditionFactory(status=start)
        allowed = to in EDITION_TRANSITIONS[start]
        try:
            services.edition_transition(edition=edition, to=to, by=organizer)
        except ServiceError as exc:
            assert not allowed
            assert exc.code in {"transition_not_allowed", "unknown_status"}
            edition.refresh_from_db()
            assert edition.status == start
        else:
            assert allowed
            edition.refresh_from_db()
            assert edition.status == to
        transaction.set_rollback(True)


# Notices: save, attach, detach ----------------------------------------------------------------


def test_notice_save_creates_with_recipients_and_audits(organizer):
    edition = EditionFactory()
    a, b = AreaDepartmentFactory(), AreaDepartmentFactory()
    notice = Notice(edition=edition, title="通知", body="正文")
    services.notice_save(notice=notice, recipients=[b, a], by=organizer)
    assert set(notice.deliveries.values_list("organization_id", flat=True)) == {a.pk, b.pk}
    entry = last_audit("notice.create")
    assert entry.actor == organizer
    assert entry.changes["title"] == [None, "通知"]
    assert entry.changes["recipients"] == [None, sorted([a.pk, b.pk])]
    assert entry.organization_id == edition.organizer_id


def test_notice_save_replaces_recipients(organizer):
    notice = NoticeFactory()
    a, b, c = AreaDepartmentFactory(), AreaDepartmentFactory(), AreaDepartmentFactory()
    services.notice_save(notice=notice, recipients=[a, b], by=organizer)
    kept = notice.deliveries.get(organization=b)
    notice.title = "改过的标题"
    services.notice_save(notice=notice, recipients=[b, c], by=organizer)
    assert set(notice.deliveries.values_list("organization_id", flat=True)) == {b.pk, c.pk}
    # The unchanged recipient keeps its row.
    assert notice.deliveries.get(organization=b).pk == kept.pk
    entry = last_audit("notice.update")
    assert entry.changes["recipients"] == [sorted([a.pk, b.pk]), sorted([b.pk, c.pk])]
    assert entry.changes["title"][1] == "改过的标题"


def test_notice_save_without_recipients_keeps_them(organizer):
    notice = NoticeFactory()
    a = AreaDepartmentFactory()
    services.notice_save(notice=notice, recipients=[a], by=organizer)
    notice.body = "新正文"
    services.notice_save(notice=notice, recipients=None, by=organizer)
    assert list(notice.deliveries.values_list("organization_id", flat=True)) == [a.pk]


def test_notice_save_refuses_a_published_notice(organizer):
    notice = PublishedNoticeFactory(title="原标题")
    notice.title = "篡改"
    with pytest.raises(ServiceError) as excinfo:
        services.notice_save(notice=notice, recipients=None, by=organizer)
    assert code_of(excinfo) == "notice_published"
    assert Notice.objects.get(pk=notice.pk).title == "原标题"
    assert not AuditEntry.objects.filter(action="notice.update").exists()


def test_notice_attach_accepts_a_pdf(organizer, settings):
    notice = NoticeFactory()
    upload = SimpleUploadedFile("附件1.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = services.notice_attach(notice=notice, upload=upload, by=organizer)
    assert attachment.original_name == "附件1.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.file.name == f"notices/{notice.pk}/{attachment.storage_key}"
    assert attachment.storage_key.endswith(".pdf")
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    entry = last_audit("notice.attach")
    assert entry.actor == organizer
    assert entry.changes == {"attachment": [None, "附件1.pdf"], "size": [None, len(PDF_BYTES)]}


@pytest.mark.parametrize(
    ("name", "content"),
    [("setup.pdf", EXE_BYTES), ("readme.pdf", b"just some text, not a pdf\n" * 10)],
)
def test_notice_attach_refuses_wrong_content_behind_pdf_name(organizer, name, content):
    notice = NoticeFactory()
    with pytest.raises(ServiceError) as excinfo:
        services.notice_attach(
            notice=notice, upload=SimpleUploadedFile(name, content), by=organizer
        )
    assert code_of(excinfo) == "file_type_refused"
    assert not NoticeAttachment.objects.exists()
    assert not AuditEntry.objects.filter(action="notice.attach").exists()


def test_notice_attach_refuses_an_oversized_file(organizer, settings):
    settings.NOTICE_ATTACHMENT_MAX_BYTES = 64
    notice = NoticeFactory()
    with pytest.raises(ServiceError) as excinfo:
        services.notice_attach(
            notice=notice, upload=SimpleUploadedFile("big.pdf", PDF_BYTES), by=organizer
        )
    assert code_of(excinfo) == "file_too_large"
    assert not NoticeAttachment.objects.exists()


def test_notice_attach_stores_a_traversal_name_safely(organizer, settings):
    notice = NoticeFactory()
    upload = SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES)
    attachment = services.notice_attach(notice=notice, upload=upload, by=organizer)
    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert attachment.file.path.startswith(root)


def test_notice_attach_refuses_a_published_notice(organizer):
    notice = PublishedNoticeFactory()
    with pytest.raises(ServiceError) as excinfo:
        services.notice_attach(
            notice=notice, upload=SimpleUploadedFile("a.pdf", PDF_BYTES), by=organizer
        )
    assert code_of(excinfo) == "notice_published"


def test_notice_detach_removes_file_and_audits(organizer):
    notice = NoticeFactory()
    attachment = services.notice_attach(
        notice=notice, upload=SimpleUploadedFile("a.pdf", PDF_BYTES), by=organizer
    )
    storage, name = attachment.file.storage, attachment.file.name
    services.notice_detach(attachment=attachment, by=organizer)
    assert not NoticeAttachment.objects.exists()
    assert not storage.exists(name)
    assert last_audit("notice.detach").changes == {"attachment": ["a.pdf", None]}


def test_notice_detach_refuses_on_a_published_notice(organizer):
    notice = NoticeFactory()
    attachment = services.notice_attach(
        notice=notice, upload=SimpleUploadedFile("a.pdf", PDF_BYTES), by=organizer
    )
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.PUBLISHED)
    attachment.refresh_from_db()
    with pytest.raises(ServiceError) as excinfo:
        services.notice_detach(attachment=attachment, by=organizer)
    assert code_of(excinfo) == "notice_published"
    assert NoticeAttachment.objects.count() == 1


# Notices: publish --------------------------------------------------------------------------


def test_notice_publish_emails_every_office_member_of_every_recipient(organizer):
    notice = NoticeFactory()
    dept_a, dept_b = AreaDepartmentFactory(), AreaDepartmentFactory()
    a1 = member(MemberRole.ADMIN, dept_a, email="a1@example.test")
    member(MemberRole.EDITOR, dept_a, email="a2@example.test")
    member(MemberRole.REVIEWER, dept_b, email="b1@example.test")
    member(MemberRole.GATE_STAFF, dept_b, email="gate@example.test")  # gate staff get no notices
    member(MemberRole.ADMIN, AreaDepartmentFactory(), email="other@example.test")  # not a recipient
    a1.memberships.create(organization=dept_b, role=MemberRole.REVIEWER)  # one mail, not two
    services.notice_save(notice=notice, recipients=[dept_a, dept_b], by=organizer)

    services.notice_publish(notice=notice, by=organizer)

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.published_by == organizer
    assert notice.published_at is not None
    messages = OutboxMessage.objects.filter(kind="notice.published")
    assert sorted(messages.values_list("recipient", flat=True)) == [
        "a1@example.test",
        "a2@example.test",
        "b1@example.test",
    ]
    assert all(notice.title in m.subject or notice.title in m.body for m in messages)
    entry = last_audit("notice.publish")
    assert entry.actor == organizer
    assert entry.changes == {"status": ["draft", "published"], "recipients": [None, 2]}


def test_notice_publish_sends_the_mail_after_commit(organizer, django_capture_on_commit_callbacks):
    notice = NoticeFactory()
    dept = AreaDepartmentFactory()
    member(MemberRole.ADMIN, dept, email="dept@example.test")
    services.notice_save(notice=notice, recipients=[dept], by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_publish(notice=notice, by=organizer)
    assert [m.to for m in mail.outbox] == [["dept@example.test"]]
    assert OutboxMessage.objects.get(kind="notice.published").status == "sent"


def test_notice_publish_refuses_without_recipients(organizer):
    notice = NoticeFactory()
    with pytest.raises(ServiceError) as excinfo:
        services.notice_publish(notice=notice, by=organizer)
    assert code_of(excinfo) == "no_recipients"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert not OutboxMessage.objects.exists()
    assert not AuditEntry.objects.filter(action="notice.publish").exists()


def test_notice_publish_refuses_twice(organizer):
    notice = NoticeFactory()
    dept = AreaDepartmentFactory()
    member(MemberRole.ADMIN, dept)
    services.notice_save(notice=notice, recipients=[dept], by=organizer)
    services.notice_publish(notice=notice, by=organizer)
    with pytest.raises(ServiceError) as excinfo:
        services.notice_publish(notice=notice, by=organizer)
    assert code_of(excinfo) == "already_published"
    assert OutboxMessage.objects.count() == 1
    assert AuditEntry.objects.filter(action="notice.publish").count() == 1


# Notices: acknowledge ----------------------------------------------------------------------


@pytest.fixture
def delivery():
    return NoticeRecipientFactory()


def test_notice_acknowledge_records_who_and_when_and_audits(delivery):
    user = member(MemberRole.EDITOR, delivery.organization)
    before = timezone.now()
    result = services.notice_acknowledge(
        notice=delivery.notice, organization=delivery.organization, by=user
    )
    delivery.refresh_from_db()
    assert result.pk == delivery.pk
    assert delivery.acknowledged_by == user
    assert before <= delivery.acknowledged_at <= timezone.now()
    entry = last_audit("notice.acknowledge")
    assert entry.actor == user
    assert entry.object_id == str(delivery.notice.pk)
    assert entry.organization_id == delivery.organization.pk
    assert entry.changes == {"organization": [None, delivery.organization.name]}


def test_notice_acknowledge_only_once(delivery):
    first = member(MemberRole.ADMIN, delivery.organization)
    second = member(MemberRole.EDITOR, delivery.organization)
    services.notice_acknowledge(
        notice=delivery.notice, organization=delivery.organization, by=first
    )
    with pytest.raises(ServiceError) as excinfo:
        services.notice_acknowledge(
            notice=delivery.notice, organization=delivery.organization, by=second
        )
    assert code_of(excinfo) == "already_acknowledged"
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == first
    assert AuditEntry.objects.filter(action="notice.acknowledge").count() == 1


def test_notice_acknowledge_refuses_an_organisation_not_addressed(delivery):
    other = AreaDepartmentFactory()
    user = member(MemberRole.ADMIN, other)
    with pytest.raises(ServiceError) as excinfo:
        services.notice_acknowledge(notice=delivery.notice, organization=other, by=user)
    assert code_of(excinfo) == "not_a_recipient"


def test_notice_acknowledge_refuses_a_draft_notice():
    draft_delivery = NoticeRecipientFactory(notice=NoticeFactory())
    user = member(MemberRole.ADMIN, draft_delivery.organization)
    with pytest.raises(ServiceError) as excinfo:
        services.notice_acknowledge(
            notice=draft_delivery.notice, organization=draft_delivery.organization, by=user
        )
    assert code_of(excinfo) == "not_a_recipient"
    draft_delivery.refresh_from_db()
    assert draft_delivery.acknowledged_at is None


@pytest.mark.parametrize("role", [MemberRole.GATE_STAFF, None])
def test_notice_acknowledge_refuses_a_user_who_cannot_act_for_the_organisation(delivery, role):
    user = member(role, delivery.organization) if role else UserFactory()
    with pytest.raises(PermissionRefused) as excinfo:
        services.notice_acknowledge(
            notice=delivery.notice, organization=delivery.organization, by=user
        )
    assert code_of(excinfo) == "permission_denied"
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None
    assert not AuditEntry.objects.filter(action="notice.acknowledge").exists()


def test_notice_acknowledge_by_the_area_admin_for_a_department_in_its_area():
    area = AreaFactory()
    dept = AreaDepartmentFactory(parent=area)
    delivery = NoticeRecipientFactory(organization=dept)
    area_admin = member(MemberRole.ADMIN, area)
    services.notice_acknowledge(notice=delivery.notice, organization=dept, by=area_admin)
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == area_admin


def test_notice_acknowledge_refuses_the_admin_of_another_area():
    dept = AreaDepartmentFactory(parent=AreaFactory())
    delivery = NoticeRecipientFactory(organization=dept)
    other_admin = member(MemberRole.ADMIN, AreaFactory())
    with pytest.raises(PermissionRefused):
        services.notice_acknowledge(notice=delivery.notice, organization=dept, by=other_admin)


def test_notice_acknowledge_refuses_an_area_reviewer_for_its_departments():
    # Only the area's admin speaks for the departments below it; a reviewer does not.
    area = AreaFactory()
    dept = AreaDepartmentFactory(parent=area)
    delivery = NoticeRecipientFactory(organization=dept)
    reviewer = member(MemberRole.REVIEWER, area)
    with pytest.raises(PermissionRefused):
        services.notice_acknowledge(notice=delivery.notice, organization=dept, by=reviewer)


# Notices: reminders --------------------------------------------------------------------------


def published_notice_with(*orgs, published_days_ago=5):
    notice = PublishedNoticeFactory(
        published_at=timezone.now() - timedelta(days=published_days_ago)
    )
    return notice, [NoticeRecipient.objects.create(notice=notice, organization=o) for o in orgs]


def test_notice_remind_emails_only_unacknowledged_recipients(organizer):
    done_org, pending_org = AreaDepartmentFactory(), AreaDepartmentFactory()
    done_user = member(MemberRole.ADMIN, done_org, email="done@example.test")
    member(MemberRole.ADMIN, pending_org, email="pending@example.test")
    notice, (done, pending) = published_notice_with(done_org, pending_org)
    services.notice_acknowledge(notice=notice, organization=done_org, by=done_user)

    assert services.notice_remind(notice=notice, by=organizer) == 1

    assert list(
        OutboxMessage.objects.filter(kind="notice.reminder").values_list("recipient", flat=True)
    ) == ["pending@example.test"]
    pending.refresh_from_db()
    done.refresh_from_db()
    assert pending.reminder_count == 1
    assert pending.last_reminded_at is not None
    assert done.reminder_count == 0
    entry = last_audit("notice.remind")
    assert entry.actor == organizer
    assert entry.changes == {"reminded": [None, [pending_org.name]]}


def test_notice_remind_not_twice_within_20_hours(organizer):
    org = AreaDepartmentFactory()
    member(MemberRole.ADMIN, org, email="x@example.test")
    notice, (delivery,) = published_notice_with(org)
    assert services.notice_remind(notice=notice, by=organizer) == 1
    assert services.notice_remind(notice=notice, by=organizer) == 0
    assert OutboxMessage.objects.filter(kind="notice.reminder").count() == 1
    assert AuditEntry.objects.filter(action="notice.remind").count() == 1

    NoticeRecipient.objects.filter(pk=delivery.pk).update(
        last_reminded_at=timezone.now() - timedelta(hours=19)
    )
    assert services.notice_remind(notice=notice, by=organizer) == 0
    NoticeRecipient.objects.filter(pk=delivery.pk).update(
        last_reminded_at=timezone.now() - timedelta(hours=21)
    )
    assert services.notice_remind(notice=notice, by=organizer) == 1
    delivery.refresh_from_db()
    assert delivery.reminder_count == 2
    assert OutboxMessage.objects.filter(kind="notice.reminder").count() == 2


def test_remind_unacknowledged_respects_the_days_threshold():
    old_org, new_org = AreaDepartmentFactory(), AreaDepartmentFactory()
    member(MemberRole.ADMIN, old_org, email="old@example.test")
    member(MemberRole.ADMIN, new_org, email="new@example.test")
    old_notice, _ = published_notice_with(old_org, published_days_ago=4)
    published_notice_with(new_org, published_days_ago=2)
    NoticeFactory()  # a draft is never reminded

    assert services.remind_unacknowledged(after_days=3) == {old_notice.pk: 1}
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["old@example.test"]
    entry = last_audit("notice.remind")
    assert entry.actor is None
    # Run again the same day: nothing more.
    assert services.remind_unacknowledged(after_days=3) == {}
    assert OutboxMessage.objects.count() == 1


def test_remind_unacknowledged_skips_fully_acknowledged_notices():
    org = AreaDepartmentFactory()
    user = member(MemberRole.ADMIN, org)
    notice, _ = published_notice_with(org, published_days_ago=10)
    services.notice_acknowledge(notice=notice, organization=org, by=user)
    assert services.remind_unacknowledged(after_days=3) == {}
    assert not OutboxMessage.objects.exists()


def test_remind_unacknowledged_command(settings):
    org = AreaDepartmentFactory()
    member(MemberRole.ADMIN, org, email="cmd@example.test")
    published_notice_with(org, published_days_ago=2)

    out = StringIO()
    call_command("remind_unacknowledged", "--after-days", "3", stdout=out)
    assert out.getvalue().strip() == "reminded 0 organisations across 0 notices"
    assert not OutboxMessage.objects.exists()

    out = StringIO()
    call_command("remind_unacknowledged", "--after-days", "1", stdout=out)
    assert out.getvalue().strip() == "reminded 1 organisations across 1 notices"
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["cmd@example.test"]


def test_remind_unacknowledged_command_default_uses_the_setting(settings):
    org = AreaDepartmentFactory()
    member(MemberRole.ADMIN, org, email="cmd@example.test")
    published_notice_with(org, published_days_ago=2)
    # The default is read when the command's parser is built, i.e. at each call.
    settings.NOTICE_REMINDER_AFTER_DAYS = 1
    out = StringIO()
    call_command("remind_unacknowledged", stdout=out)
    assert out.getvalue().strip() == "reminded 1 organisations across 1 notices"


def test_host_unit_is_a_possible_recipient(organizer):
    # A host unit's editor acts for it: the same rule as departments.
    unit = HostUnitFactory()
    delivery = NoticeRecipientFactory(organization=unit)
    editor = member(MemberRole.EDITOR, unit)
    services.notice_acknowledge(notice=delivery.notice, organization=unit, by=editor)
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == editor


def test_focus_area_order_is_kept():
    edition = EditionFactory()
    FocusArea.objects.create(edition=edition, title="二", position=1)
    FocusArea.objects.create(edition=edition, title="一", position=0)
    assert list(edition.focus_areas.values_list("title", flat=True)) == ["一", "二"]


def test_copied_basis_documents_are_flagged_until_edited(organizer, client):
    source = EditionFactory(year=2023, title="2023年淄博市科技活动周")
    for n, number in enumerate(("国科函才〔2023〕65号", "鲁科字〔2023〕27号")):
        BasisDocument.objects.create(edition=source, number=number, title=f"文{n}", position=n)
    copy = services.edition_copy(source=source, year=2026, by=organizer)
    assert list(copy.basis_documents.values_list("needs_update", flat=True)) == [True, True]
    assert list(source.basis_documents.values_list("needs_update", flat=True)) == [False, False]

    client.force_login(organizer)
    body = client.get(f"/office/editions/{copy.pk}/").content.decode()
    assert "2份依据文件沿用自上一年度，请更新为本年度文号。" in body
    assert body.count('name="docs-0-needs_update"') == 1

    first, second = copy.basis_documents.all()
    first.number = "国科函才〔2026〕12号"
    second.position = 5  # moving a row says nothing about its number
    services.basis_documents_save(edition=copy, saved=[first, second], deleted=[], by=organizer)
    assert list(copy.basis_documents.values_list("number", "needs_update")) == [
        ("国科函才〔2026〕12号", False),
        ("鲁科字〔2023〕27号", True),
    ]
    body = client.get(f"/office/editions/{copy.pk}/").content.decode()
    assert "1份依据文件沿用自上一年度，请更新为本年度文号。" in body
    # The organiser says the second still holds: the flag goes, and so does the warning.
    second.needs_update = False
    services.basis_documents_save(edition=copy, saved=[second], deleted=[], by=organizer)
    assert not copy.basis_documents.filter(needs_update=True).exists()
    assert 'id="stale-documents"' not in client.get(f"/office/editions/{copy.pk}/").content.decode()
