"""Every review decision writes a message to the host unit's members and contacts, on email and
SMS, in the move's transaction (issue 11, item 3)."""

import pytest

from sciweek.activities.services import activity_transition
from sciweek.activities.workflow import Action
from sciweek.notifications.models import Channel, OutboxMessage
from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Contact
from tests.activities.world import activity_in, make_world
from tests.factories import HostUnitFactory, member
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = make_world()
    # A host of our own, so the counts below are exact: one editor, one contact, one gate.
    w.host = HostUnitFactory(parent=w.area)
    member(MemberRole.EDITOR, w.host, email="editor@host.test", phone="13900000001")
    member(MemberRole.GATE_STAFF, w.host, email="gate@host.test")  # gate staff are not told
    Contact.objects.create(organization=w.host, name="联络员", mobile="13900000002",
                           email="contact@host.test")  # fmt: skip
    return w


def sent(kind: str) -> list[tuple[str, str]]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("channel", "recipient"))


EVERYONE = [
    (Channel.EMAIL, "contact@host.test"),
    (Channel.EMAIL, "editor@host.test"),
    (Channel.SMS, "13900000001"),
    (Channel.SMS, "13900000002"),
]


def test_area_approval_tells_the_host_it_went_to_the_city(w):
    activity = activity_in(w, "pending_area", host=w.host)
    activity_transition(activity=activity, action=Action.APPROVE, by=w.users[Role.AREA_REVIEWER])
    assert sent("activity.approved_area") == EVERYONE
    assert OutboxMessage.objects.count() == 4


def test_city_approval_tells_the_host_it_is_published(w):
    activity = activity_in(w, "pending_city", host=w.host)
    activity_transition(
        activity=activity, action=Action.APPROVE, by=w.users[Role.ORGANIZER_REVIEWER]
    )
    assert sent("activity.published") == EVERYONE
    assert OutboxMessage.objects.count() == 4


def test_return_tells_the_host_the_reason(w):
    activity = activity_in(w, "pending_area", host=w.host)
    activity_transition(
        activity=activity,
        action=Action.RETURN,
        by=w.users[Role.AREA_REVIEWER],
        reason="请补充安全预案",
    )
    assert sent("activity.returned") == EVERYONE
    email = OutboxMessage.objects.get(kind="activity.returned", recipient="editor@host.test")
    assert "请补充安全预案" in email.body
    assert email.subject == f"退回修改：{activity.title}"


def test_cancel_tells_the_host(w):
    activity = activity_in(w, "published", host=w.host)
    activity_transition(
        activity=activity, action=Action.CANCEL, by=w.users[Role.AREA_ADMIN], reason="天气"
    )
    assert sent("activity.cancelled") == EVERYONE


def test_a_refused_move_writes_no_message(w):
    activity = activity_in(w, "draft", host=w.host)
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        activity_transition(
            activity=activity, action=Action.APPROVE, by=w.users[Role.AREA_REVIEWER]
        )
    assert OutboxMessage.objects.count() == 0
