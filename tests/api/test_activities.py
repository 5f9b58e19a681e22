"""The activities API: the public list and its filters, filing, editing, sessions, the review
workflow, the history, what is hidden from whom, and query counts.

Built on the shared ``world`` (conftest): 张店区 (``area``) with its host unit 淄博市科技馆
(``unit``), 临淄区 (``other_area``) with 临淄化工新材料研究院 (``other_unit``), the 2023 edition (public) and
a 2024 draft edition. ``activity_world`` adds a current edition (2040, sessions in the future),
categories, reviewers and one activity per state.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciweek.activities.enums import ActivityState, Audience, DocumentKind, Mode
from sciweek.activities.models import Activity, ActivityDocument, AudienceTag, Session
from sciweek.audit.models import AuditEntry
from tests.factories import (
    ActivityFactory,
    CategoryFactory,
    EditionFactory,
    SessionFactory,
)
from tests.roles import Role

URL = "/api/v1/activities/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
INTERNAL = {
    "budget",
    "expected_participants",
    "lead_name",
    "contact_name",
    "contact_phone",
    "police_permit_number",
    "police_permit_authority",
    "police_permit_level",
    "safety_officer_name",
    "safety_officer_phone",
    "confidentiality_checked",
    "submitted_at",
    "state_changed_at",
    "last_reason",
    "created_at",
    "updated_at",
}


def at(year, month, day, hour=9, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def activity(*, state=ActivityState.DRAFT, start=None, audiences=(), capacity=100, **kwargs):
    """An activity with one two-hour session at ``start`` (and the given audiences)."""
    if state not in (ActivityState.DRAFT,):
        kwargs.setdefault("submitted_at", timezone.now())
    if state in (ActivityState.PUBLISHED, ActivityState.HELD, ActivityState.CANCELLED):
        kwargs.setdefault("published_at", timezone.now())
    obj = ActivityFactory(state=state, **kwargs)
    if start is not None:
        SessionFactory(
            activity=obj, starts_at=start, ends_at=start + timedelta(hours=2), capacity=capacity
        )
    AudienceTag.objects.bulk_create(AudienceTag(activity=obj, audience=a) for a in audiences)
    return obj


def activity_world(world):
    """Adds to ``world``: users, categories, a current edition and activities in every state."""
    w = world
    for role in (
        Role.AREA_REVIEWER,
        Role.ORGANIZER_REVIEWER,
        Role.OTHER_AREA_ADMIN,
        Role.OTHER_AREA_REVIEWER,
        "city_dept",
        Role.CITY_DEPT_EDITOR,
    ):
        w.build(role)

    current = EditionFactory(organizer=w.bureau, year=2040)
    lecture = CategoryFactory(edition=current, code="lecture", name="讲座")
    open_day = CategoryFactory(edition=current, code="open_day", name="开放日")
    old_category = CategoryFactory(edition=w.edition, code="exhibition", name="展览")

    def mine(**kwargs):
        kwargs.setdefault("edition", current)
        kwargs.setdefault("category", lecture)
        kwargs.setdefault("host", w.unit)
        kwargs.setdefault("start", at(2040, 5, 22))
        return activity(**kwargs)

    lecture_pub = mine(
        state=ActivityState.PUBLISHED,
        title="张店科普讲座",
        venue_name="张店区图书馆",
        address="张店区人民西路1号",
        start=at(2040, 5, 21),
        audiences=[Audience.STUDENTS],
        booking_required=True,
        is_key=True,
        budget=Decimal("5000.00"),
        contact_phone="13800138000",
        police_permit_number="淄公安许字001",
    )
    open_day_pub = mine(
        state=ActivityState.PUBLISHED,
        title="科技馆开放日",
        host=w.other_unit,
        category=open_day,
        mode=Mode.ONLINE,
        livestream_url="https://live.example.test/1",
        venue_name="文化广场",
        address="临淄区松龄路8号",
        start=at(2040, 5, 25),
        audiences=[Audience.PUBLIC, Audience.SENIORS],
    )
    held = mine(
        state=ActivityState.HELD,
        title="往年展览",
        edition=w.edition,
        category=old_category,
        venue_name="会展中心",
        address="张店区会展路2号",
        start=at(2023, 5, 22),
    )
    draft = mine(title="草稿活动")
    pending = mine(state=ActivityState.PENDING_AREA, title="待区县审核")
    pending_city = mine(state=ActivityState.PENDING_CITY, title="待市级审核")
    returned = mine(state=ActivityState.RETURNED, title="退回修改", last_reason="补充地址")
    withdrawn = mine(state=ActivityState.WITHDRAWN, title="已撤回")
    cancelled = mine(state=ActivityState.CANCELLED, title="已取消")
    other_draft = mine(host=w.other_unit, title="淄川草稿")
    # The notices' ``draft`` of the shared world gives way to the draft activity here.
    for name, value in {
        "current": current,
        "lecture": lecture,
        "open_day": open_day,
        "old_category": old_category,
        "lecture_pub": lecture_pub,
        "open_day_pub": open_day_pub,
        "held": held,
        "draft": draft,
        "pending": pending,
        "pending_city": pending_city,
        "returned": returned,
        "withdrawn": withdrawn,
        "cancelled": cancelled,
        "other_draft": other_draft,
    }.items():
        setattr(w, name, value)
    return w


@pytest.fixture
def aw(world):
    return activity_world(world)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def pks(*objs) -> set[int]:
    return {o.pk for o in objs}


def detail(obj) -> str:
    return f"{URL}{obj.pk}/"


def payload(aw, **overrides) -> dict:
    data = {
        "edition": aw.current.pk,
        "host": aw.unit.pk,
        "title": "社区里的化学实验",
        "summary": "动手做实验",
        "description": "**亲手**做实验",
        "category": aw.lecture.pk,
        "audiences": ["students", "residents"],
        "mode": "offline",
        "venue_name": "社区文化中心",
        "address": "张店区共青团路3号",
        "contact_name": "王老师",
        "contact_phone": "0533-2186000",
        "budget": "1200.50",
        "confidentiality_checked": True,
        "booking_required": True,
        "id_number_required": True,
        "waitlist_enabled": False,
        "sessions": [
            {
                "starts_at": "2040-05-23T09:00:00+08:00",
                "ends_at": "2040-05-23T11:00:00+08:00",
                "capacity": 40,
                "note": "上午场",
            }
        ],
    }
    data.update(overrides)
    return data


# --- the public list ---------------------------------------------------------------------------


def test_anonymous_sees_only_published_and_held(aw, api):
    assert ids(api.get(URL)) == pks(aw.lecture_pub, aw.open_day_pub, aw.held)
    for hidden in [aw.draft, aw.pending, aw.pending_city, aw.returned, aw.withdrawn, aw.cancelled]:
        assert api.get(detail(hidden)).status_code == 404, hidden.title
        assert api.get(f"{detail(hidden)}sessions/").status_code == 404


def test_anonymous_does_not_see_public_activities_of_a_draft_edition(aw, api):
    hidden = activity(
        state=ActivityState.PUBLISHED,
        edition=aw.draft_edition,
        category=CategoryFactory(edition=aw.draft_edition),
        host=aw.unit,
    )
    assert hidden.pk not in ids(api.get(URL))
    assert api.get(detail(hidden)).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area": "{area}"}, ["lecture_pub", "held"]),
        ({"area": "{other_area}"}, ["open_day_pub"]),
        ({"category": "{open_day}"}, ["open_day_pub"]),
        ({"date_from": "2040-05-24"}, ["open_day_pub"]),
        ({"date_to": "2040-05-22"}, ["lecture_pub", "held"]),
        ({"date_from": "2040-05-20", "date_to": "2040-05-21"}, ["lecture_pub"]),
        ({"audience": "seniors"}, ["open_day_pub"]),
        ({"audience": "students"}, ["lecture_pub"]),
        ({"mode": "online"}, ["open_day_pub"]),
        ({"mode": "offline"}, ["lecture_pub", "held"]),
        ({"q": "讲座"}, ["lecture_pub"]),  # title
        ({"q": "临淄化工新材料研究院"}, ["open_day_pub"]),  # host name
        ({"q": "图书馆"}, ["lecture_pub"]),  # venue
        ({"q": "会展"}, ["held"]),  # venue and address
        ({"q": "没有这个"}, []),
        ({"bookable": "true"}, ["lecture_pub"]),
        ({"bookable": "false"}, ["lecture_pub", "open_day_pub", "held"]),
        ({"edition": "{current}"}, ["lecture_pub", "open_day_pub"]),
        ({"year": "2023"}, ["held"]),
        ({"year": "2040", "mode": "offline"}, ["lecture_pub"]),
        ({"is_key": "true"}, ["lecture_pub"]),
        ({"state": "held"}, ["held"]),
        ({"state": "draft"}, []),
    ],
)
def test_public_filters(aw, api, query, expected):
    refs = {
        "area": aw.area.pk,
        "other_area": aw.other_area.pk,
        "open_day": aw.open_day.pk,
        "current": aw.current.pk,
    }
    params = {k: v.format(**refs) for k, v in query.items()}
    assert ids(api.get(URL, params)) == {getattr(aw, name).pk for name in expected}


def test_list_is_ordered_by_first_session(aw, api):
    rows = api.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [aw.held.pk, aw.lecture_pub.pk, aw.open_day_pub.pk]


def test_bookable_respects_the_booking_window(aw, api):
    session = aw.lecture_pub.sessions.get()
    session.booking_opens_at = timezone.now() + timedelta(days=1)
    session.save()
    assert ids(api.get(URL, {"bookable": "true"})) == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"area": "abc"}, "area"),
        ({"category": "1.5"}, "category"),
        ({"edition": "x"}, "edition"),
        ({"year": "twenty"}, "year"),
        ({"date_from": "2024-13-01"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2040-05-25", "date_to": "2040-05-20"}, "date_to"),
        ({"audience": "aliens"}, "audience"),
        ({"mode": "boat"}, "mode"),
        ({"state": "nope"}, "state"),
        ({"bookable": "maybe"}, "bookable"),
        ({"is_key": "2"}, "is_key"),
        ({"q": "字" * 61}, "q"),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(aw, api, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["detail"]) == ("invalid", body["errors"][field][0])
    body = body["errors"]
    assert list(body) == [field]
    assert body[field] and isinstance(body[field][0], str)


def test_signed_in_user_sees_what_memberships_allow(aw, client_for):
    public = pks(aw.lecture_pub, aw.open_day_pub, aw.held)
    own = pks(
        aw.draft,
        aw.pending,
        aw.pending_city,
        aw.returned,
        aw.withdrawn,
        aw.cancelled,
    )
    assert ids(client_for(Role.UNIT_EDITOR).get(URL, {"page_size": 50})) == public | own
    # The area reviewer: everything submitted in the area, not drafts never submitted.
    assert ids(client_for(Role.AREA_REVIEWER).get(URL, {"page_size": 50})) == public | own - pks(
        aw.draft
    )
    # The city: everything submitted anywhere.
    assert ids(
        client_for(Role.ORGANIZER_REVIEWER).get(URL, {"page_size": 50})
    ) == public | own - pks(aw.draft)
    # Another area's admin: the public ones and its own unit's draft, nothing of 张店区.
    assert ids(client_for(Role.OTHER_AREA_ADMIN).get(URL, {"page_size": 50})) == public | pks(
        aw.other_draft
    )
    for role in [Role.GATE_STAFF, Role.SIGNED_IN]:
        assert ids(client_for(role).get(URL, {"page_size": 50})) == public, role


def test_signed_in_user_filters_by_state(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    assert ids(client.get(URL, {"state": "draft"})) == pks(aw.draft)
    assert ids(client.get(URL, {"state": "pending_area"})) == pks(aw.pending)
    assert ids(client.get(URL, {"state": "returned", "q": "退回"})) == pks(aw.returned)


# --- what an activity looks like ---------------------------------------------------------------


def test_public_representation(aw, api):
    aw.lecture_pub.description = "**重点** <script>alert(1)</script>"
    aw.lecture_pub.save()
    aw.lecture_pub.co_hosts.add(aw.other_unit)
    body = api.get(detail(aw.lecture_pub)).json()
    assert INTERNAL.isdisjoint(body)
    assert body["edition"] == {"id": aw.current.pk, "year": 2040}
    assert body["category"] == {"id": aw.lecture.pk, "code": "lecture", "name": "讲座"}
    assert body["host"] == {"id": aw.unit.pk, "name": "淄博市科技馆"}
    assert body["co_hosts"] == [{"id": aw.other_unit.pk, "name": "临淄化工新材料研究院"}]
    assert body["area"] == {"id": aw.area.pk, "name": "张店区", "slug": aw.area.slug}
    assert body["audiences"][0]["code"] == "students"
    assert body["state"] == "published"
    assert body["is_key"] is True
    assert body["booking_required"] is True
    assert body["url"] == f"http://testserver/activities/{aw.lecture_pub.pk}/"
    assert "<strong>重点</strong>" in body["description_html"]
    assert "<script" not in body["description_html"]
    assert body["description"].startswith("**重点**")
    [session] = body["sessions"]
    assert session["capacity"] == 100
    assert session["places_left"] == 100
    assert body["waitlist_enabled"] is True
    assert session["starts_at"] == "2040-05-21T09:00:00+08:00"
    assert "13800138000" not in str(body)
    assert "5000" not in str(body)


@pytest.mark.parametrize("role", [Role.GATE_STAFF, Role.SIGNED_IN, Role.OTHER_AREA_ADMIN])
def test_internal_fields_hidden_from_users_who_only_see_it_because_it_is_public(
    aw, client_for, role
):
    client = client_for(role)
    assert INTERNAL.isdisjoint(client.get(detail(aw.lecture_pub)).json())
    rows = {row["id"]: row for row in client.get(URL).json()["results"]}
    assert INTERNAL.isdisjoint(rows[aw.lecture_pub.pk])
    assert INTERNAL.isdisjoint(rows[aw.open_day_pub.pk]) == (role != Role.OTHER_AREA_ADMIN)


@pytest.mark.parametrize(
    "role", [Role.UNIT_EDITOR, Role.AREA_ADMIN, Role.AREA_REVIEWER, Role.ORGANIZER_ADMIN]
)
def test_internal_fields_shown_to_host_area_and_city(aw, client_for, role):
    body = client_for(role).get(detail(aw.lecture_pub)).json()
    assert set(body) >= INTERNAL
    assert body["contact_phone"] == "13800138000"
    assert body["budget"] == "5000.00"
    assert body["police_permit_number"] == "淄公安许字001"


def test_draft_has_no_public_url(aw, client_for):
    assert client_for(Role.UNIT_EDITOR).get(detail(aw.draft)).json()["url"] is None


# --- filing ------------------------------------------------------------------------------------


def test_host_unit_editor_files_a_draft_with_sessions(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).post(URL, payload(aw), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    created = Activity.objects.get(pk=body["id"])
    assert created.state == ActivityState.DRAFT
    assert created.host == aw.unit
    assert created.area == aw.area  # from the host unit
    assert created.created_by == aw.users[Role.UNIT_EDITOR]
    assert created.contact_phone == "0533-2186000"
    assert created.budget == Decimal("1200.50")
    assert created.real_name_required is True  # implied by id_number_required
    assert created.waitlist_enabled is False
    assert set(created.audience_tags.values_list("audience", flat=True)) == {
        "students",
        "residents",
    }
    [session] = created.sessions.all()
    assert (session.capacity, session.note) == (40, "上午场")
    assert session.starts_at == at(2040, 5, 23)
    actions = list(
        AuditEntry.objects.filter(object_id=str(created.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["activity.create", "activity.session_add"]
    assert body["state"] == "draft"
    assert body["contact_phone"] == "0533-2186000"
    assert len(body["sessions"]) == 1


def test_area_admin_files_for_a_unit_of_its_area(aw, client_for):
    response = client_for(Role.AREA_ADMIN).post(URL, payload(aw), format="json")
    assert response.status_code == 201, response.content


def test_filing_for_a_host_the_user_does_not_act_for_is_400(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).post(
        URL, payload(aw, host=aw.other_unit.pk), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["host"]
    assert not Activity.objects.filter(title="社区里的化学实验").exists()


@pytest.mark.parametrize(("role", "expected"), [(Role.GATE_STAFF, 403), (Role.SIGNED_IN, 403)])
def test_filing_without_the_right_is_403(aw, client_for, role, expected):
    response = client_for(role).post(URL, payload(aw), format="json")
    assert response.status_code == expected


def test_filing_anonymously_is_401(aw, api):
    assert api.post(URL, payload(aw), format="json").status_code == 401


def test_bad_phone_is_a_field_error(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).post(
        URL, payload(aw, contact_phone="12345"), format="json", **EN
    )
    assert response.status_code == 400
    assert "landline" in response.json()["errors"]["contact_phone"][0]


def test_category_of_another_edition_is_a_field_error(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).post(
        URL, payload(aw, category=aw.old_category.pk), format="json", **EN
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "The category belongs to another edition.",
        "errors": {"category": ["The category belongs to another edition."]},
    }


def test_missing_and_invalid_fields(aw, client_for):
    data = payload(aw, audiences=["aliens"], mode="boat")
    del data["title"]
    response = client_for(Role.UNIT_EDITOR).post(URL, data, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert {"title", "audiences.0", "mode"} <= set(response.json()["errors"])


def test_inline_session_outside_the_week_creates_nothing(aw, client_for):
    data = payload(aw)
    data["sessions"][0].update(
        starts_at="2040-06-02T09:00:00+08:00", ends_at="2040-06-02T11:00:00+08:00"
    )
    response = client_for(Role.UNIT_EDITOR).post(URL, data, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "session_outside_week"
    assert not Activity.objects.filter(title="社区里的化学实验").exists()
    assert not AuditEntry.objects.filter(action="activity.create").exists()


def test_series_activity_may_have_sessions_outside_the_week(aw, client_for):
    data = payload(aw, is_series=True)
    data["sessions"][0].update(
        starts_at="2040-09-02T09:00:00+08:00", ends_at="2040-09-02T11:00:00+08:00"
    )
    assert client_for(Role.UNIT_EDITOR).post(URL, data, format="json").status_code == 201


def test_city_department_chooses_the_area(aw, client_for):
    client = client_for(Role.CITY_DEPT_EDITOR)
    response = client.post(URL, payload(aw, host=aw.city_dept.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["area"]
    response = client.post(
        URL, payload(aw, host=aw.city_dept.pk, area=aw.other_area.pk), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["area"]["id"] == aw.other_area.pk


# --- editing -----------------------------------------------------------------------------------


def test_host_edits_a_draft(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).patch(
        detail(aw.draft),
        {"title": "新标题", "audiences": ["seniors"], "contact_phone": "13900139000"},
        format="json",
    )
    assert response.status_code == 200, response.content
    aw.draft.refresh_from_db()
    assert aw.draft.title == "新标题"
    assert aw.draft.contact_phone == "13900139000"
    assert list(aw.draft.audience_tags.values_list("audience", flat=True)) == ["seniors"]
    entry = AuditEntry.objects.get(object_id=str(aw.draft.pk), action="activity.update")
    assert entry.changes["title"][1] == "新标题"
    assert response.json()["title"] == "新标题"


def test_host_edits_a_returned_activity(aw, client_for):
    response = client_for(Role.AREA_ADMIN).patch(
        detail(aw.returned), {"address": "张店区新地址"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_edit_by_someone_who_cannot_see_it_is_404(aw, client_for):
    response = client_for(Role.OTHER_AREA_ADMIN).patch(
        detail(aw.draft), {"title": "x"}, format="json"
    )
    assert response.status_code == 404


def test_edit_by_someone_who_sees_it_but_is_not_the_host_is_403(aw, client_for):
    for role, obj in [(Role.ORGANIZER_ADMIN, aw.pending), (Role.AREA_REVIEWER, aw.pending)]:
        response = client_for(role).patch(detail(obj), {"title": "x"}, format="json")
        assert response.status_code == 403, role
    response = client_for(Role.OTHER_AREA_ADMIN).patch(
        detail(aw.lecture_pub), {"title": "x"}, format="json"
    )
    assert response.status_code == 403


def test_host_editing_a_pending_activity_is_400_not_editable(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).patch(detail(aw.pending), {"title": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_editable"
    aw.pending.refresh_from_db()
    assert aw.pending.title == "待区县审核"


def test_edition_host_and_sessions_do_not_change_by_patch(aw, client_for):
    client = client_for(Role.AREA_ADMIN)
    response = client.patch(detail(aw.draft), {"host": aw.dept.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["host"]
    response = client.patch(detail(aw.draft), {"sessions": []}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sessions"]
    response = client.patch(detail(aw.draft), {"category": aw.old_category.pk}, format="json")
    assert list(response.json()["errors"]) == ["category"]


def test_delete_is_not_offered(aw, client_for):
    # PUT is (tests/api/test_round_trips.py): an activity is withdrawn, never deleted.
    assert client_for(Role.UNIT_EDITOR).delete(detail(aw.draft)).status_code == 405


# --- sessions ----------------------------------------------------------------------------------


def sessions_url(obj, session=None) -> str:
    return f"{detail(obj)}sessions/" + (f"{session.pk}/" if session else "")


def test_sessions_list_is_public_for_public_activities(aw, api):
    response = api.get(sessions_url(aw.lecture_pub))
    assert response.status_code == 200
    assert [s["capacity"] for s in response.json()] == [100]


def test_host_adds_changes_and_removes_a_session(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    response = client.post(
        sessions_url(aw.draft),
        {
            "starts_at": "2040-05-30T14:00:00+08:00",
            "ends_at": "2040-05-30T16:00:00+08:00",
            "capacity": 30,
            "booking_opens_at": "2040-05-01T09:00:00+08:00",
            "booking_closes_at": "2040-05-29T18:00:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    session = Session.objects.get(pk=response.json()["id"])
    assert session.activity == aw.draft

    response = client.patch(sessions_url(aw.draft, session), {"capacity": 45}, format="json")
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert session.capacity == 45

    assert client.delete(sessions_url(aw.draft, session)).status_code == 204
    assert not Session.objects.filter(pk=session.pk).exists()
    actions = (
        AuditEntry.objects.filter(object_id=str(aw.draft.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert list(actions) == [
        "activity.session_add",
        "activity.session_update",
        "activity.session_delete",
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            {"starts_at": "2040-06-05T09:00:00+08:00", "ends_at": "2040-06-05T10:00:00+08:00"},
            "session_outside_week",
        ),
        ({"ends_at": "2040-05-22T08:00:00+08:00"}, "session_order"),
        (
            {
                "booking_opens_at": "2040-05-10T09:00:00+08:00",
                "booking_closes_at": "2040-05-01T09:00:00+08:00",
            },
            "booking_window",
        ),
    ],
)
def test_session_refusals_carry_the_service_code(aw, client_for, change, code):
    session = aw.draft.sessions.get()
    response = client_for(Role.UNIT_EDITOR).patch(
        sessions_url(aw.draft, session), change, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    session.refresh_from_db()
    assert session.starts_at == at(2040, 5, 22)


def test_new_session_outside_the_week_is_400(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).post(
        sessions_url(aw.draft),
        {
            "starts_at": "2040-05-19T23:00:00+08:00",
            "ends_at": "2040-05-20T01:00:00+08:00",
            "capacity": 10,
        },
        format="json",
        **EN,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "session_outside_week"
    assert "2040-05-20" in response.json()["detail"]


def test_sessions_of_a_pending_activity_are_not_editable(aw, client_for):
    session = aw.pending.sessions.get()
    client = client_for(Role.UNIT_EDITOR)
    response = client.patch(sessions_url(aw.pending, session), {"capacity": 1}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "not_editable")
    response = client.delete(sessions_url(aw.pending, session))
    assert (response.status_code, response.json()["code"]) == (400, "not_editable")


def test_sessions_are_changed_only_by_the_host(aw, client_for):
    session = aw.lecture_pub.sessions.get()
    client = client_for(Role.OTHER_AREA_ADMIN)
    assert (
        client.patch(
            sessions_url(aw.lecture_pub, session), {"capacity": 1}, format="json"
        ).status_code
        == 403
    )
    assert client.patch(sessions_url(aw.draft, aw.draft.sessions.get()), {}).status_code == 404


def test_session_of_another_activity_is_404(aw, client_for):
    other = aw.pending.sessions.get()
    response = client_for(Role.UNIT_EDITOR).patch(
        sessions_url(aw.draft, other), {"capacity": 1}, format="json"
    )
    assert response.status_code == 404


def test_negative_capacity_is_a_field_error(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).patch(
        sessions_url(aw.draft, aw.draft.sessions.get()), {"capacity": -1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["capacity"]


# --- workflow ----------------------------------------------------------------------------------


def transition(client, obj, action, reason=None, **extra):
    data = {"action": action}
    if reason is not None:
        data["reason"] = reason
    return client.post(f"{detail(obj)}transitions/", data, format="json", **extra)


def test_full_review_flow_publishes_and_history_lists_every_step(aw, client_for):
    host = client_for(Role.UNIT_EDITOR)
    created = host.post(URL, payload(aw), format="json").json()
    obj = Activity.objects.get(pk=created["id"])

    response = transition(host, obj, "submit")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "pending_area"

    # Another area's reviewer cannot even see it.
    assert transition(client_for(Role.OTHER_AREA_REVIEWER), obj, "approve").status_code == 404
    assert client_for(Role.OTHER_AREA_REVIEWER).get(detail(obj)).status_code == 404

    response = transition(client_for(Role.AREA_REVIEWER), obj, "approve")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "pending_city"

    response = transition(client_for(Role.ORGANIZER_REVIEWER), obj, "approve")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "published"
    assert body["published_at"] is not None
    assert body["url"].endswith(f"/activities/{obj.pk}/")

    # Now the public sees it.
    assert client_for(None).get(detail(obj)).status_code == 200

    history = host.get(f"{detail(obj)}history/").json()["results"]
    steps = [
        (
            h["action"],
            h["actor"]["username"] if h["actor"] else None,
            h["from_state"],
            h["to_state"],
        )
        for h in history
    ]
    assert steps == [
        ("activity.create", "unit-editor", None, None),
        ("activity.session_add", "unit-editor", None, None),
        ("activity.submit", "unit-editor", "draft", "pending_area"),
        ("activity.approve", "area-reviewer", "pending_area", "pending_city"),
        ("activity.approve", "organizer-reviewer", "pending_city", "published"),
    ]
    assert all(h["time"] for h in history)


def test_city_department_goes_straight_to_city_review(aw, client_for):
    obj = activity(
        host=aw.city_dept,
        area=aw.other_area,
        edition=aw.current,
        category=aw.lecture,
        start=at(2040, 5, 22),
    )
    response = transition(client_for(Role.CITY_DEPT_EDITOR), obj, "submit")
    assert response.json()["state"] == "pending_city"


def test_return_needs_a_reason(aw, client_for):
    client = client_for(Role.AREA_REVIEWER)
    response = transition(client, aw.pending, "return")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    response = transition(client, aw.pending, "return", reason="请补充安全方案")
    assert response.status_code == 200
    assert response.json()["state"] == "returned"
    assert response.json()["last_reason"] == "请补充安全方案"
    entry = client.get(f"{detail(aw.pending)}history/").json()["results"][-1]
    assert entry["reason"] == "请补充安全方案"
    assert entry["actor"] == {
        "username": "area-reviewer",
        "name": str(aw.users[Role.AREA_REVIEWER]),
    }


def test_host_may_not_approve(aw, client_for):
    response = transition(client_for(Role.UNIT_EDITOR), aw.pending, "approve")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_city_reviewer_may_not_approve_at_area_level(aw, client_for):
    response = transition(client_for(Role.ORGANIZER_REVIEWER), aw.pending, "approve")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("obj", "action", "code"),
    [
        ("draft", "approve", "transition_not_allowed"),
        ("lecture_pub", "submit", "transition_not_allowed"),
        ("draft", "fly", "unknown_action"),
        ("lecture_pub", "mark_held", "not_ended"),
        ("lecture_pub", "cancel", "reason_required"),
    ],
)
def test_refused_actions_say_why(aw, client_for, obj, action, code):
    response = transition(client_for(Role.UNIT_EDITOR), getattr(aw, obj), action)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_submit_not_ready_lists_the_problems(aw, client_for):
    bare = activity(host=aw.unit, edition=aw.current, category=aw.lecture, venue_name="")
    response = transition(client_for(Role.UNIT_EDITOR), bare, "submit", **EN)
    assert response.status_code == 400
    assert response.json()["code"] == "not_ready"
    assert "session" in response.json()["detail"]
    assert "venue" in response.json()["detail"]


def test_transition_requires_sign_in_and_body(aw, client_for):
    assert transition(client_for(None), aw.lecture_pub, "cancel", reason="x").status_code == 401
    response = client_for(Role.UNIT_EDITOR).post(
        f"{detail(aw.draft)}transitions/", {}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["action"]


def test_withdraw_and_cancel_by_the_host(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    assert transition(client, aw.pending, "withdraw").json()["state"] == "withdrawn"
    response = transition(client, aw.lecture_pub, "cancel", reason="天气原因")
    assert response.json()["state"] == "cancelled"


def test_mark_held_after_the_last_session(aw, client_for):
    past = activity(
        state=ActivityState.PUBLISHED,
        host=aw.unit,
        edition=aw.edition,
        category=aw.old_category,
        start=at(2023, 5, 23),
    )
    response = transition(client_for(Role.ORGANIZER_ADMIN), past, "mark_held")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "held"


def test_large_event_cannot_be_approved_until_complete(aw, client_for):
    big = activity(
        state=ActivityState.PENDING_AREA,
        host=aw.unit,
        edition=aw.current,
        category=aw.lecture,
        start=at(2040, 5, 24),
        capacity=1200,
    )
    reviewer = client_for(Role.AREA_REVIEWER)
    response = transition(reviewer, big, "approve", **EN)
    assert response.status_code == 400
    assert response.json()["code"] == "large_event_incomplete"
    detail_text = response.json()["detail"]
    for missing in [
        "safety plan",
        "emergency plan",
        "police permit document (a scan: pdf or image)",
        "police permit number",
        "authority that issued the permit",
        "person responsible for safety",
    ]:
        assert missing in detail_text, missing
    assert "county (district) public security bureau" in detail_text

    big.police_permit_number = "淄公安许字2040-9"
    big.police_permit_authority = "张店区公安分局"
    big.police_permit_level = "county"
    big.safety_officer_name = "李安全"
    big.save()
    ActivityDocument.objects.create(
        activity=big,
        kind=DocumentKind.SAFETY_PLAN,
        original_name="a.pdf",
        content_type="application/pdf",
        size=1,
    )
    response = transition(reviewer, big, "approve", **EN)
    assert response.json()["code"] == "large_event_incomplete"
    detail_text = response.json()["detail"]
    assert "emergency plan" in detail_text
    assert "safety plan (" not in detail_text.replace("emergency plan", "")
    assert "permit number" not in detail_text

    ActivityDocument.objects.create(
        activity=big,
        kind=DocumentKind.EMERGENCY_PLAN,
        original_name="b.docx",
        content_type="application/pdf",
        size=1,
    )
    response = transition(reviewer, big, "approve", **EN)
    assert response.json()["code"] == "large_event_incomplete"
    assert "police permit document" in response.json()["detail"]
    ActivityDocument.objects.create(
        activity=big,
        kind=DocumentKind.POLICE_PERMIT,
        original_name="c.png",
        content_type="image/png",
        size=1,
    )
    response = transition(reviewer, big, "approve")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "pending_city"


# --- history -----------------------------------------------------------------------------------


def test_history_is_internal(aw, client_for):
    url = f"{detail(aw.lecture_pub)}history/"
    assert client_for(None).get(url).status_code == 401
    for role in [Role.SIGNED_IN, Role.GATE_STAFF, Role.OTHER_AREA_ADMIN]:
        assert client_for(role).get(url).status_code == 403, role
    for role in [Role.UNIT_EDITOR, Role.AREA_REVIEWER, Role.ORGANIZER_ADMIN]:
        assert client_for(role).get(url).status_code == 200, role
    assert client_for(Role.OTHER_AREA_ADMIN).get(f"{detail(aw.draft)}history/").status_code == 404


# --- query counts ------------------------------------------------------------------------------


def _fill(aw, n):
    for i in range(n):
        obj = activity(
            state=ActivityState.PUBLISHED,
            host=aw.unit if i % 2 else aw.other_unit,
            edition=aw.current,
            category=aw.lecture,
            start=at(2040, 5, 21 + i % 5),
            audiences=[Audience.PUBLIC, Audience.STUDENTS],
        )
        SessionFactory(activity=obj, starts_at=at(2040, 5, 28), ends_at=at(2040, 5, 28, 11))
        obj.co_hosts.add(aw.dept)


@pytest.mark.parametrize("role", [None, Role.UNIT_EDITOR, Role.ORGANIZER_ADMIN])
def test_list_query_count_does_not_grow_with_rows(aw, client_for, role):
    client = client_for(role)
    params = {"edition": aw.current.pk, "page_size": 50}
    Activity.objects.filter(edition=aw.current).delete()
    _fill(aw, 1)
    client.get(URL, params)  # warm up caches (content types, etc.)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(URL, params).json()["results"]) == 1
    _fill(aw, 19)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(URL, params).json()["results"]) == 20
    assert len(one) == len(twenty), [q["sql"] for q in twenty.captured_queries]
