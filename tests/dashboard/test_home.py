"""The office home: a user whose only role is at the gate lands on the gate; one who also has
other work sees the gate as a button on the home."""

import pytest

from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Membership
from tests.roles import Role

pytestmark = pytest.mark.django_db


def test_gate_only_volunteer_is_sent_to_the_gate(client, world):
    client.force_login(world.users[Role.GATE_STAFF])
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"] == "/office/gate/"
    assert client.get("/office/gate/").status_code == 200


@pytest.mark.parametrize(
    ("role", "status", "gate_button"),
    [
        (Role.UNIT_EDITOR, 200, False),
        (Role.ORGANIZER_ADMIN, 200, False),
        (Role.AREA_ADMIN, 200, False),
        (Role.PLATFORM_ADMIN, 200, False),
        (Role.SIGNED_IN, 200, False),
    ],
)
def test_home_for_other_roles_stays_the_home(client, world, role, status, gate_button):
    client.force_login(world.users[role])
    response = client.get("/office/")
    assert response.status_code == status
    assert ('id="home-gate"' in response.content.decode()) is gate_button


def test_gate_staff_with_other_work_gets_a_gate_button(client, world):
    user = world.users[Role.UNIT_EDITOR]
    Membership.objects.create(user=user, organization=world.unit, role=MemberRole.GATE_STAFF)
    client.force_login(user)
    response = client.get("/office/")
    assert response.status_code == 200
    assert 'id="home-gate" href="/office/gate/"' in response.content.decode()


def test_an_area_home_groups_what_to_sign_by_notice_and_signs_all_at_once(client, world):
    """One row per notice with the organisations it still awaits, and one 全部签收 for them."""
    from sciweek.campaigns.models import NoticeRecipient
    from tests.factories import AreaDepartmentFactory, EditionFactory, PublishedNoticeFactory

    edition = EditionFactory(organizer=world.bureau)
    second_dept = AreaDepartmentFactory(parent=world.area, name="张店区科协")
    notices = [
        PublishedNoticeFactory(edition=edition, title=t) for t in ("第一号通知", "第二号通知")
    ]
    for notice in notices:
        for org in (world.area, world.dept, second_dept):
            NoticeRecipient.objects.create(notice=notice, organization=org)
    client.force_login(world.users[Role.AREA_ADMIN])
    page = client.get("/office/").content.decode()
    assert page.count("data-notice=") == 2
    assert page.count("data-delivery=") == 6
    assert page.count("data-ack-all") == 2

    response = client.post(
        f"/office/notices/{notices[0].pk}/acknowledge-all/", {"next": "/office/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/office/")
    signed = NoticeRecipient.objects.filter(acknowledged_at__isnull=False)
    assert sorted(signed.values_list("notice__title", flat=True)) == ["第一号通知"] * 3
    page = client.get("/office/").content.decode()
    assert page.count("data-notice=") == 1 and f'data-notice="{notices[1].pk}"' in page
