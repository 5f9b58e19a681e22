"""The API of a published activity's life: its changes (list, corrections and a proposal) and a
reviewer's decision, for every role; bookers told of a new time through the API's approval."""

import pytest

from sciweek.activities import changes
from sciweek.activities.models import ActivityChange
from sciweek.bookings.services import book
from sciweek.bookings.validation import BookingRequest
from sciweek.notifications.models import OutboxMessage
from tests.roles import Role

from .test_activities import activity_world

pytestmark = pytest.mark.django_db

EVERY_ROLE = list(Role)
HOST = {Role.UNIT_ADMIN, Role.UNIT_EDITOR, Role.AREA_ADMIN, Role.PLATFORM_ADMIN}
INSIDE = HOST | {Role.AREA_REVIEWER, Role.ORGANIZER_ADMIN, Role.ORGANIZER_REVIEWER,
                 Role.ORGANIZER_EDITOR}  # fmt: skip
DECIDE = {Role.AREA_ADMIN, Role.AREA_REVIEWER, Role.PLATFORM_ADMIN}


@pytest.fixture
def objs(world):
    w = activity_world(world)
    w.pub = w.lecture_pub
    w.session = w.pub.sessions.first()
    return w


def expected(allowed, ok):
    table = {}
    for role in EVERY_ROLE:
        if role == Role.ANONYMOUS:
            table[role] = 401
        else:
            table[role] = ok if role in allowed else 403
    return table


TABLE = [
    ("get", "changes", None, expected(INSIDE, 200)),
    ("post", "changes", {"fields": {"venue_name": "张店区科技馆"}}, expected(HOST, 201)),
    ("post", "decision", {"action": "approve"}, expected(DECIDE, 200)),
]


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize(("method", "what", "body", "statuses"), TABLE,
                         ids=[f"{r[0]}-{r[1]}" for r in TABLE])  # fmt: skip
def test_change_endpoints_for_every_role(objs, client_for, role, method, what, body, statuses):
    client = client_for(None if role == Role.ANONYMOUS else role)
    url = f"/api/v1/activities/{objs.pub.pk}/changes/"
    if what == "decision":
        change = changes.change_propose(
            activity=objs.pub, fields={"venue_name": "别处"}, by=objs.user(Role.UNIT_EDITOR)
        )
        url = f"{url}{change.pk}/decision/"
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == statuses[role], response.content[:300]


def test_a_time_change_through_the_api_reaches_the_booker(objs, client_for):
    book(session=objs.session, data=BookingRequest(
        name="张三", phone="13800000001", email="zhang@example.test", consent=True))  # fmt: skip
    OutboxMessage.objects.all().delete()
    response = client_for(Role.UNIT_EDITOR).post(
        f"/api/v1/activities/{objs.pub.pk}/changes/",
        {"corrections": {"title": "张店科普讲座（更正）"},
         "sessions": {str(objs.session.pk): {"starts_at": "2040-05-23T14:30:00+08:00",
                                             "ends_at": "2040-05-23T16:00:00+08:00"}}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "proposed"
    assert body["sessions"] == {
        str(objs.session.pk): {
            "starts_at": "2040-05-23T14:30+08:00",
            "ends_at": "2040-05-23T16:00+08:00",
        }
    }
    objs.pub.refresh_from_db()
    assert objs.pub.title == "张店科普讲座（更正）"
    decided = client_for(Role.AREA_REVIEWER).post(
        f"/api/v1/activities/{objs.pub.pk}/changes/{body['id']}/decision/", {"action": "approve"},
        format="json",
    )  # fmt: skip
    assert decided.json()["state"] == "approved"
    assert list(OutboxMessage.objects.order_by("id").values_list("kind", "recipient")) == [
        ("booking.changed", "zhang@example.test"),
        ("booking.changed", "13800000001"),
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "no_change"),
        ({"fields": {"title": "x"}}, "bad_field"),
        ({"fields": {"max_group_size": 0}}, "bad_value"),
        ({"sessions": {"abc": {"starts_at": "2040-05-23T14:30:00+08:00",
                               "ends_at": "2040-05-23T16:00:00+08:00"}}}, "bad_session"),
        ({"sessions": {"999999": {"starts_at": "2040-05-23T14:30:00+08:00",
                                  "ends_at": "2040-05-23T16:00:00+08:00"}}}, "bad_session"),
    ],
)  # fmt: skip
def test_refused_proposals_answer_400_with_a_code(objs, client_for, body, code):
    response = client_for(Role.UNIT_EDITOR).post(
        f"/api/v1/activities/{objs.pub.pk}/changes/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not ActivityChange.objects.exists()


def test_a_reject_without_a_reason_is_400(objs, client_for):
    change = changes.change_propose(
        activity=objs.pub, fields={"venue_name": "别处"}, by=objs.user(Role.UNIT_EDITOR)
    )
    response = client_for(Role.AREA_REVIEWER).post(
        f"/api/v1/activities/{objs.pub.pk}/changes/{change.pk}/decision/", {"action": "reject"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
