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
