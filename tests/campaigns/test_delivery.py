"""A notice reaches every member and contact of each recipient on every channel; each recipient
row records when it was reached, read and acknowledged (issue 11, item 2)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sciweek.campaigns import services
from sciweek.campaigns.models import NoticeRecipient
from sciweek.notifications.models import Channel, OutboxMessage
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Contact
from tests.factories import AreaDepartmentFactory, NoticeFactory, member
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(world):
    return world.users[Role.ORGANIZER_ADMIN]


def test_publish_reaches_members_and_contacts_on_email_and_sms(world, organizer):
    notice = NoticeFactory()
    with_member, with_contact, nobody = (AreaDepartmentFactory(parent=world.area) for _ in "abc")
    member(MemberRole.ADMIN, with_member, email="m@dept.test", phone="13900000010")
    Contact.objects.create(organization=with_contact, name="王", mobile="13900000011")
    services.notice_save(
        notice=notice, recipients=[with_member, with_contact, nobody], by=organizer
    )

    services.notice_publish(notice=notice, by=organizer)

    assert sorted(
        OutboxMessage.objects.filter(kind="notice.published").values_list("channel", "recipient")
    ) == [
        (Channel.EMAIL, "m@dept.test"),
        (Channel.SMS, "13900000010"),
        (Channel.SMS, "13900000011"),
    ]
    rows = {d.organization_id: d for d in NoticeRecipient.objects.filter(notice=notice)}
    assert rows[with_member.pk].reached_at is not None
    assert rows[with_contact.pk].reached_at is not None
    assert rows[nobody.pk].reached_at is None


def test_reminder_reaches_contacts_too(world, organizer):
    notice = NoticeFactory()
    dept = AreaDepartmentFactory(parent=world.area)
    Contact.objects.create(organization=dept, name="李", mobile="13900000012", email="l@d.test")
    services.notice_save(notice=notice, recipients=[dept], by=organizer)
    services.notice_publish(notice=notice, by=organizer)

    assert services.notice_remind(notice=notice, by=organizer, min_interval=timedelta(0)) == 1
    assert sorted(
        OutboxMessage.objects.filter(kind="notice.reminder").values_list("channel", "recipient")
    ) == [(Channel.EMAIL, "l@d.test"), (Channel.SMS, "13900000012")]


def test_acknowledge_all_signs_each_department_once_and_skips_units_with_members(world, organizer):
    notice = NoticeFactory()
    depts = [AreaDepartmentFactory(parent=world.area) for _ in range(3)]
    assert world.users[Role.UNIT_ADMIN]  # the unit has a member of its own
    services.notice_save(notice=notice, recipients=[*depts, world.unit], by=organizer)
    services.notice_publish(notice=notice, by=organizer)
    area_admin = world.users[Role.AREA_ADMIN]

    signed = services.notice_acknowledge_all(notice=notice, by=area_admin)

    assert sorted(d.organization_id for d in signed) == sorted(d.pk for d in depts)
    assert (
        NoticeRecipient.objects.get(notice=notice, organization=world.unit).acknowledged_at is None
    )
    assert services.notice_acknowledge_all(notice=notice, by=area_admin) == []


@pytest.mark.parametrize(
    ("role", "signed"),
    [
        (Role.AREA_ADMIN, 2),
        (Role.AREA_REVIEWER, 0),
        (Role.OTHER_AREA_ADMIN, 0),
        (Role.UNIT_ADMIN, 1),
        (Role.ORGANIZER_ADMIN, 0),
    ],
)
def test_acknowledge_all_page_per_role(world, client, organizer, role, signed):
    notice = NoticeFactory()
    depts = [AreaDepartmentFactory(parent=world.area) for _ in range(2)]
    recipients = [world.unit] if role == Role.UNIT_ADMIN else depts
    services.notice_save(notice=notice, recipients=recipients, by=organizer)
    services.notice_publish(notice=notice, by=organizer)
    client.force_login(world.users[role])

    response = client.post(reverse("dashboard:notice-acknowledge-all", args=[notice.pk]))

    assert response.status_code in (302, 403, 404)
    assert (
        NoticeRecipient.objects.filter(notice=notice, acknowledged_at__isnull=False).count()
        == signed
    )


def test_board_shows_reached_and_read(world, client, organizer):
    notice = NoticeFactory()
    unit_admin = world.users[Role.UNIT_ADMIN]
    dept = AreaDepartmentFactory(parent=world.area)
    services.notice_save(notice=notice, recipients=[dept, world.unit], by=organizer)
    services.notice_publish(notice=notice, by=organizer)
    client.force_login(unit_admin)
    assert client.get(reverse("dashboard:notice-detail", args=[notice.pk])).status_code == 200
    unit_row = NoticeRecipient.objects.get(notice=notice, organization=world.unit)
    assert unit_row.reached_at is not None and unit_row.read_at is not None
    assert NoticeRecipient.objects.get(notice=notice, organization=dept).read_at is None

    client.force_login(organizer)
    html = client.get(reverse("dashboard:notice-board", args=[notice.pk])).content.decode()
    assert html.count("未送达") == 1  # the department: nobody to reach


def test_draft_page_warns_of_recipients_nobody_can_reach(world, client, organizer):
    notice = NoticeFactory()
    dept = AreaDepartmentFactory(parent=world.area, name="无人部门")
    services.notice_save(notice=notice, recipients=[dept, world.unit], by=organizer)
    client.force_login(organizer)
    html = client.get(reverse("dashboard:notice-detail", args=[notice.pk])).content.decode()
    assert 'id="unreachable"' in html and "无人部门" in html
