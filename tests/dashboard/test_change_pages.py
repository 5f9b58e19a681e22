"""The pages of a published activity's life: who may open and post to each (every role), the edit
that corrects at once and proposes the rest, sessions and series, the replay link, the reviewers'
queue and decisions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sciweek.activities import changes
from sciweek.activities.models import ActivityChange
from sciweek.audit.models import AuditEntry
from sciweek.bookings.services import book
from sciweek.bookings.validation import BookingRequest
from sciweek.notifications.models import OutboxMessage
from tests.activities.world import activity_in, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
EVERY_ROLE = list(Role)
HOST = {Role.UNIT_EDITOR, Role.UNIT_ADMIN, Role.AREA_ADMIN, Role.PLATFORM_ADMIN}
REVIEWERS = {
    Role.AREA_ADMIN, Role.AREA_REVIEWER, Role.OTHER_AREA_ADMIN, Role.OTHER_AREA_REVIEWER,
    Role.ORGANIZER_REVIEWER, Role.ORGANIZER_ADMIN, Role.PLATFORM_ADMIN,
}  # fmt: skip


@pytest.fixture
def w():
    world = make_world()
    world.published = activity_in(world, "published", booking_required=True)
    world.session = world.published.sessions.get()
    world.held = activity_in(world, "held")
    world.change = changes.change_propose(
        activity=activity_in(world, "published"),
        fields={"venue_name": "科技馆二号厅"},
        by=world.user(Role.UNIT_EDITOR),
    )
    return world


def table(allowed, ok, *, hidden=frozenset()):
    """{role: status}: ``allowed`` get ``ok``, ``hidden`` 404, anonymous the login page, the
    rest 403."""
    result = {}
    for role in EVERY_ROLE:
        if role == Role.ANONYMOUS:
            result[role] = 302
        elif role in allowed:
            result[role] = ok
        elif role in hidden:
            result[role] = 404
        else:
            result[role] = 403
    return result


def edit_data(activity, **changes):
    data = {
        "title": activity.title, "summary": activity.summary, "description": activity.description,
        "mode": activity.mode, "venue_name": activity.venue_name, "address": activity.address,
        "latitude": "", "longitude": "", "max_group_size": str(activity.max_group_size),
        "note": "",
    }  # fmt: skip
    for name in (
        "booking_required",
        "real_name_required",
        "id_number_required",
        "waitlist_enabled",
    ):
        if getattr(activity, name):
            data[name] = "on"
    for session in activity.sessions.all():
        data[f"session_{session.pk}_starts"] = f"{session.starts_at.astimezone():%Y-%m-%dT%H:%M}"
        data[f"session_{session.pk}_ends"] = f"{session.ends_at.astimezone():%Y-%m-%dT%H:%M}"
    data.update(changes)
    return data


def series_data(**changes):
    data = {"first_day": "2031-05-26", "last_day": "2031-05-31", "weekdays": ["0", "2"],
            "times": "9:30, 14:30", "minutes": "60", "capacity": "40"}  # fmt: skip
    data.update(changes)
    return data


# (url name, object, method, data, {role: status})
TABLE = [
    ("published-edit", "published", "get", None, table(HOST, 200)),
    ("published-edit", "held", "get", None, table({Role.PLATFORM_ADMIN}, 200)),
    ("published-session-add", "published", "get", None, table(HOST, 200)),
    ("published-series", "published", "get", None, table(HOST, 200)),
    ("published-series", "published", "post", "series", table(HOST, 302)),
    ("published-replay", "held", "post", {"replay_url": "https://v.example.test/1"},
     table(HOST, 302)),
    ("change-queue", None, "get", None, table(REVIEWERS, 200)),
    ("change-decide", "change", "post", {"action": "approve"},
     table({Role.AREA_ADMIN, Role.AREA_REVIEWER}, 302, hidden=REVIEWERS)),
]  # fmt: skip


def test_table_covers_every_change_url():
    from sciweek.dashboard.changes import urls

    assert {p.name for p in urls.urlpatterns} == {row[0] for row in TABLE}


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize(("name", "obj", "method", "data", "expected"), TABLE,
                         ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in TABLE])  # fmt: skip
def test_page_access(client, w, name, obj, method, data, expected, role):
    url = reverse(f"dashboard:{name}", args=[getattr(w, obj).pk] if obj else [])
    w.login(client, role)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, series_data() if data == "series" else data)
    assert response.status_code == expected[role], (role, response.status_code)
    if role == Role.ANONYMOUS:
        assert response["Location"] == f"{LOGIN}?next={url}"
    if name == "change-decide":
        w.change.refresh_from_db()
        assert w.change.state == (
            "approved" if expected[role] == 302 and role != Role.ANONYMOUS else "proposed"
        )


def test_the_edit_corrects_at_once_and_proposes_the_time(client, w):
    w.login(client, Role.UNIT_EDITOR)
    day = w.edition.start_date + timedelta(days=3)
    data = edit_data(
        w.published, title="科技馆开放日·更正",
        **{f"session_{w.session.pk}_starts": f"{day}T14:30", f"session_{w.session.pk}_ends": f"{day}T16:00"},
    )  # fmt: skip
    response = client.post(reverse("dashboard:published-edit", args=[w.published.pk]), data)
    assert response.status_code == 302
    w.published.refresh_from_db()
    assert w.published.title == "科技馆开放日·更正"
    change = w.published.changes.get()
    assert change.sessions == {
        str(w.session.pk): {"starts_at": f"{day}T14:30+08:00", "ends_at": f"{day}T16:00+08:00"}
    }
    assert change.fields == {}


def test_an_edit_that_changes_nothing_is_refused_with_400(client, w):
    w.login(client, Role.UNIT_EDITOR)
    url = reverse("dashboard:published-edit", args=[w.published.pk])
    response = client.post(url, edit_data(w.published), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Nothing was changed." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"max_group_size": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"latitude": "北纬"}, "Enter a number."),
    ],
)
def test_bad_edits_answer_400_and_change_nothing(client, w, data, message):
    w.login(client, Role.UNIT_EDITOR)
    url = reverse("dashboard:published-edit", args=[w.published.pk])
    response = client.post(url, edit_data(w.published, **data), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not w.published.changes.exists()


def test_a_time_proposed_outside_the_week_keeps_the_typo_fix_unsaved(client, w):
    w.login(client, Role.UNIT_EDITOR)
    day = w.edition.end_date + timedelta(days=10)
    data = edit_data(
        w.published, title="改了标题",
        **{f"session_{w.session.pk}_starts": f"{day}T09:00", f"session_{w.session.pk}_ends": f"{day}T10:00"},
    )  # fmt: skip
    response = client.post(reverse("dashboard:published-edit", args=[w.published.pk]), data)
    assert response.status_code == 400
    w.published.refresh_from_db()
    assert w.published.title != "改了标题"
    assert not AuditEntry.objects.filter(action="activity.correct").exists()


def test_a_session_is_added_from_its_page(client, w):
    w.login(client, Role.UNIT_ADMIN)
    day = w.edition.start_date + timedelta(days=1)
    response = client.post(
        reverse("dashboard:published-session-add", args=[w.published.pk]),
        {"session-starts_at": f"{day}T09:30", "session-ends_at": f"{day}T11:00",
         "session-capacity": "30", "session-booking_opens_at": "", "session-booking_closes_at": "",
         "session-note": "加场"},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(w.published.sessions.values_list("note", "capacity")) == [("", 100), ("加场", 30)]


@pytest.mark.parametrize(
    ("changes_", "message"),
    [
        ({"times": "9点半"}, "Write times as HH:MM, separated by commas (9:30, 14:30)."),
        ({"last_day": "2031-07-31"}, "Sessions must fall within the week"),
        ({"weekdays": []}, "This field is required."),
    ],
)
def test_bad_series_answer_400_and_add_nothing(client, w, changes_, message):
    w.login(client, Role.UNIT_EDITOR)
    url = reverse("dashboard:published-series", args=[w.published.pk])
    response = client.post(url, series_data(**changes_), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert w.published.sessions.count() == 1


def test_the_area_queue_shows_the_waiting_change_and_approving_tells_the_booker(client, w):
    book(session=w.session, data=BookingRequest(
        name="张三", phone="13800000001", email="zhang@example.test", consent=True))  # fmt: skip
    OutboxMessage.objects.all().delete()
    day = w.edition.start_date + timedelta(days=2)
    start = w.session.starts_at.replace(day=day.day)
    change = changes.change_propose(
        activity=w.published, sessions={w.session.pk: (start, start + timedelta(hours=1))},
        by=w.user(Role.UNIT_EDITOR),
    )  # fmt: skip
    w.login(client, Role.AREA_REVIEWER)
    queue = client.get(reverse("dashboard:review-area"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 changes of published activities await your decision." in queue
    page = client.get(reverse("dashboard:change-queue")).content.decode()
    assert f'data-change="{change.pk}"' in page
    assert f"{day} 09:00–10:00" in page
    response = client.post(
        reverse("dashboard:change-decide", args=[change.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    assert list(OutboxMessage.objects.order_by("id").values_list("kind", "recipient")) == [
        ("booking.changed", "zhang@example.test"),
        ("booking.changed", "13800000001"),
    ]


def test_a_reject_without_a_reason_is_refused_and_kept(client, w):
    w.login(client, Role.AREA_REVIEWER)
    url = reverse("dashboard:change-decide", args=[w.change.pk])
    response = client.post(url, {"action": "reject"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Give a reason." in response.content.decode()
    w.change.refresh_from_db()
    assert w.change.state == "proposed"
    client.post(url, {"action": "reject", "reason": "场地未备案"})
    w.change.refresh_from_db()
    assert (w.change.state, w.change.reason) == ("rejected", "场地未备案")


def test_an_unknown_decision_is_refused_without_a_500(client, w):
    w.login(client, Role.AREA_REVIEWER)
    response = client.post(reverse("dashboard:change-decide", args=[w.change.pk]), {"action": "x"})
    assert response.status_code == 302
    assert ActivityChange.objects.get(pk=w.change.pk).state == "proposed"


def test_the_detail_page_offers_the_edit_to_the_host_only(client, w):
    url = reverse("dashboard:activity-detail", args=[w.published.pk])
    w.login(client, Role.UNIT_EDITOR)
    assert 'id="published-edit"' in client.get(url).content.decode()
    w.login(client, Role.AREA_REVIEWER)
    assert 'id="published-edit"' not in client.get(url).content.decode()


def test_a_replay_link_shows_on_the_held_activity(client, w):
    w.login(client, Role.UNIT_EDITOR)
    url = reverse("dashboard:published-replay", args=[w.held.pk])
    assert client.post(url, {"replay_url": "not a link"}).status_code == 400
    client.post(url, {"replay_url": "https://v.example.test/replay"})
    page = client.get(reverse("dashboard:activity-detail", args=[w.held.pk])).content.decode()
    assert 'href="https://v.example.test/replay"' in page


def test_a_session_of_a_published_activity_is_cancelled_from_the_edit_page_and_bookers_told(
    client, w
):
    for n, email in enumerate(["a@example.test", "b@example.test"]):
        book(session=w.session, data=BookingRequest(
            name="张三", phone=f"1380000000{n}", email=email, consent=True))  # fmt: skip
    OutboxMessage.objects.all().delete()
    w.login(client, Role.UNIT_EDITOR)
    page = client.get(reverse("dashboard:published-edit", args=[w.published.pk])).content.decode()
    cancel = reverse("dashboard:session-cancel-bookings", args=[w.session.pk])
    assert f'action="{cancel}"' in page
    assert client.post(cancel, {"reason": "暴雨停课"}).status_code == 302
    rows = list(OutboxMessage.objects.order_by("id").values_list("kind", "recipient"))
    assert rows == [
        ("booking.cancelled", "a@example.test"),
        ("booking.cancelled", "13800000000"),
        ("booking.cancelled", "b@example.test"),
        ("booking.cancelled", "13800000001"),
    ]
    assert "暴雨停课" in OutboxMessage.objects.get(recipient="a@example.test").body
    sms = OutboxMessage.objects.get(recipient="13800000001").body
    assert "已取消" in sms and "暴雨停课" in sms
