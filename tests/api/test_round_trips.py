"""Round trips: an activity read from the API can be written back unchanged (PUT → 200), PATCH
changes only what it names, and ``ETag``/``If-Match`` refuse a write over someone else's newer
change with 412. Built on ``activity_world`` (tests/api/test_activities.py)."""

import threading

import pytest
from django.db import connection

from sciweek.activities.models import Activity, AudienceTag
from sciweek.audit.models import AuditEntry
from tests.api.test_activities import activity_world, detail
from tests.roles import Role

pytestmark = pytest.mark.django_db


def with_audiences(w):
    # Filed through the form or the API an activity always has an audience; the factory's don't.
    for obj in (w.draft, w.returned):
        AudienceTag.objects.create(activity=obj, audience="students")
    return w


@pytest.fixture
def aw(world):
    return with_audiences(activity_world(world))


def read(client, obj):
    response = client.get(detail(obj))
    assert response.status_code == 200, response.content
    return response


def test_an_activity_read_is_written_back_unchanged(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    before = read(client, aw.draft)
    body = before.json()
    assert body["edition"] == {"id": aw.current.pk, "year": 2040}  # read as an object …
    response = client.put(detail(aw.draft), body, format="json")  # … and written back as one
    assert response.status_code == 200, response.content
    after = response.json()
    changed = {k for k in body if body[k] != after[k]} - {"updated_at"}
    assert changed == set()
    audit = AuditEntry.objects.filter(object_id=str(aw.draft.pk), action="activity.update").get()
    assert audit.changes == {}


def test_a_round_trip_with_a_change_changes_that_field_only(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    body = read(client, aw.returned).json()
    body["title"] = "补好地址后的活动"
    body["audiences"] = [{"code": "seniors", "label": "老年人"}]
    response = client.put(detail(aw.returned), body, format="json")
    assert response.status_code == 200, response.content
    aw.returned.refresh_from_db()
    assert aw.returned.title == "补好地址后的活动"
    assert list(aw.returned.audience_tags.values_list("audience", flat=True)) == ["seniors"]
    entry = AuditEntry.objects.get(object_id=str(aw.returned.pk), action="activity.update")
    assert set(entry.changes) == {"title", "audiences"}


def test_references_are_accepted_as_ids_or_objects_but_not_objects_without_an_id(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    for category in (aw.open_day.pk, {"id": aw.open_day.pk, "code": "x", "name": "y"}):
        response = client.patch(detail(aw.draft), {"category": category}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["category"]["id"] == aw.open_day.pk
    response = client.patch(detail(aw.draft), {"category": {"code": "lecture"}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["category"]


def test_changed_sessions_and_a_changed_host_are_still_refused_by_put(aw, client_for):
    client = client_for(Role.AREA_ADMIN)
    body = read(client, aw.draft).json()
    moved = {**body, "sessions": [{**body["sessions"][0], "capacity": 999}]}
    response = client.put(detail(aw.draft), moved, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sessions"]
    response = client.put(detail(aw.draft), {**body, "host": {"id": aw.dept.pk}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["host"]


def test_put_leaves_nothing_out_it_requires(aw, client_for):
    response = client_for(Role.UNIT_EDITOR).put(
        detail(aw.draft), {"title": "只有标题"}, format="json"
    )
    assert response.status_code == 400
    assert {"edition", "host", "category", "audiences"} <= set(response.json()["errors"])
    aw.draft.refresh_from_db()
    assert aw.draft.title == "草稿活动"


def test_put_by_roles_that_may_not_edit(aw, client_for, api):
    body = read(client_for(Role.UNIT_EDITOR), aw.draft).json()
    assert api.put(detail(aw.draft), body, format="json").status_code == 401
    assert (
        client_for(Role.OTHER_AREA_ADMIN).put(detail(aw.draft), body, format="json").status_code
        == 404
    )
    assert (
        client_for(Role.ORGANIZER_ADMIN).put(detail(aw.pending), body, format="json").status_code
        == 403
    )


def test_the_etag_changes_with_every_saved_change(aw, client_for):
    client = client_for(Role.UNIT_EDITOR)
    first = read(client, aw.draft)["ETag"]
    assert first.startswith('"') and read(client, aw.draft)["ETag"] == first  # stable
    response = client.patch(detail(aw.draft), {"title": "改一次"}, format="json")
    assert response["ETag"] != first
    assert read(client, aw.draft)["ETag"] == response["ETag"]


def test_a_write_over_someone_elses_newer_change_is_412(aw, client_for):
    mine, theirs = client_for(Role.UNIT_EDITOR), client_for(Role.AREA_ADMIN)
    seen = read(mine, aw.draft)
    body = seen.json()
    assert theirs.patch(detail(aw.draft), {"title": "他们的修改"}, format="json").status_code == 200
    body["summary"] = "我的修改"
    for write in (mine.put, mine.patch):
        response = write(detail(aw.draft), body, format="json", HTTP_IF_MATCH=seen["ETag"])
        assert response.status_code == 412
        assert response.json()["code"] == "precondition_failed"
    aw.draft.refresh_from_db()
    assert (aw.draft.title, aw.draft.summary) == (
        "他们的修改",
        Activity.objects.get(pk=aw.draft.pk).summary,
    )
    assert aw.draft.summary != "我的修改"
    fresh = read(mine, aw.draft)
    response = mine.patch(
        detail(aw.draft), {"summary": "我的修改"}, format="json", HTTP_IF_MATCH=fresh["ETag"]
    )
    assert response.status_code == 200
    assert response.json()["title"] == "他们的修改"  # their change kept, mine added
    star = mine.patch(detail(aw.draft), {"summary": "再改"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_writers_holding_the_same_version_exactly_one_wins(world, client_for):
    aw = with_audiences(activity_world(world))
    tag = read(client_for(Role.UNIT_EDITOR), aw.draft)["ETag"]
    clients = [client_for(Role.UNIT_EDITOR), client_for(Role.AREA_ADMIN)]
    barrier, answers = threading.Barrier(2), []

    def write(client, title):
        barrier.wait()
        try:
            response = client.patch(
                detail(aw.draft), {"title": title}, format="json", HTTP_IF_MATCH=tag
            )
            answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(c, f"写者{n}")) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 412]
