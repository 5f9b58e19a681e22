"""Activity media through the API, as on the media pages: upload (checked by content), the
public and the office lists, hide / show again / feature / delete — every role. World:
tests/media/world.py (a published activity of 淄博市科技馆 in 张店区)."""

import pytest

from sciweek.audit.models import AuditEntry
from sciweek.media import services
from sciweek.media.models import MediaItem
from tests.api.clients import token_client
from tests.media import files
from tests.media.world import activity, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = make_world()
    w.act = activity(w)
    w.item = services.media_upload(
        activity=w.act, kind="photo", upload=files.upload("现场.jpg", files.jpeg((800, 600))),
        alt_text="观众在看机器人表演", by=w.host_editor,
    )  # fmt: skip
    w.url = f"/api/v1/activities/{w.act.pk}/media/"
    w.item_url = f"/api/v1/media/{w.item.key}/"
    return w


def test_the_host_uploads_a_photo_that_is_re_encoded(w):
    upload = files.upload("展台.jpg", files.jpeg((1200, 900)))
    response = token_client(w, Role.UNIT_EDITOR).post(
        w.url, {"kind": "photo", "file": upload, "alt_text": "展台全景", "title": "展台"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["title"], body["width"], body["content_type"]) == (
        "photo",
        "展台",
        1200,
        "image/jpeg",
    )
    assert body["file_url"].startswith("http://testserver/")
    assert AuditEntry.objects.filter(action="activity.media_add").count() == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"kind": "photo", "alt_text": ""}, "alt_text_required"),
        ({"kind": "photo", "alt_text": "x", "bad": True}, "file_type_refused"),
        ({"kind": "film", "alt_text": "x"}, "invalid"),
    ],
)
def test_bad_uploads_are_refused_with_their_code(w, data, code):
    data = dict(data)
    body = b"MZ\x90\x00not an image" if data.pop("bad", False) else files.jpeg()
    data["file"] = files.upload("a.jpg", body)
    response = token_client(w, Role.UNIT_EDITOR).post(w.url, data, format="multipart")
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert MediaItem.objects.count() == 1


def test_hidden_items_are_the_offices_only(w):
    services.media_hide(item=w.item, by=w.organiser, reason="不宜公开")
    assert token_client(w, Role.ANONYMOUS).get(w.url).json() == []
    assert token_client(w, Role.OTHER_UNIT_EDITOR).get(w.url).json() == []
    assert token_client(w, Role.ANONYMOUS).get(w.item_url).status_code == 404
    office = token_client(w, Role.AREA_REVIEWER).get(w.url).json()
    assert [(i["key"], i["is_hidden"], i["hidden_reason"]) for i in office] == [
        (str(w.item.key), True, "不宜公开")
    ]


def test_the_city_hides_shows_and_features_an_item(w):
    client = token_client(w, Role.ORGANIZER_ADMIN)
    refused = client.post(f"{w.item_url}hide/", {"reason": ""}, format="json")
    assert refused.status_code == 400
    hidden = client.post(f"{w.item_url}hide/", {"reason": "人像未授权"}, format="json")
    assert (hidden.status_code, hidden.json()["is_hidden"]) == (200, True)
    again = client.post(f"{w.item_url}hide/", {"reason": "再次"}, format="json")
    assert again.json()["code"] == "already_hidden"
    not_now = client.post(f"{w.item_url}feature/", {"featured": True}, format="json")
    assert not_now.json()["code"] == "not_featurable"
    shown = client.post(f"{w.item_url}unhide/")
    assert shown.json()["is_hidden"] is False
    featured = client.post(f"{w.item_url}feature/", {"featured": True}, format="json")
    assert featured.json()["is_featured"] is True


def test_the_host_deletes_its_item(w):
    assert token_client(w, Role.UNIT_EDITOR).delete(w.item_url).status_code == 204
    assert not MediaItem.objects.exists()


ROLES = [
    Role.ANONYMOUS,
    Role.UNIT_EDITOR,
    Role.AREA_REVIEWER,
    Role.ORGANIZER_ADMIN,
    Role.ORGANIZER_EDITOR,
    Role.OTHER_UNIT_EDITOR,
    Role.GATE_STAFF,
]
# The media pages' table (tests/media/test_views.py), as API answers: the activity is public,
# so everyone reads its visible media and a refusal is 403, not 404.
#                anon unit area org  orged ounit gate
TABLE = {
    "list": (200, 200, 200, 200, 200, 200, 200),
    "read": (200, 200, 200, 200, 200, 200, 200),
    "upload": (401, 201, 403, 403, 403, 403, 403),
    "hide": (401, 403, 403, 200, 200, 403, 403),
    "unhide": (401, 403, 403, 400, 400, 403, 403),
    "feature": (401, 403, 403, 200, 200, 403, 403),
    "delete": (401, 204, 403, 204, 403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what", TABLE)
def test_media_for_every_role(w, what, role):
    client = token_client(w, role)
    if what == "list":
        response = client.get(w.url)
    elif what == "read":
        response = client.get(w.item_url)
    elif what == "upload":
        upload = files.upload("a.jpg", files.jpeg())
        response = client.post(
            w.url, {"kind": "photo", "file": upload, "alt_text": "展台"}, format="multipart"
        )
    elif what == "hide":
        response = client.post(f"{w.item_url}hide/", {"reason": "不宜公开"}, format="json")
    elif what == "unhide":  # not hidden: the curators reach the service's refusal
        response = client.post(f"{w.item_url}unhide/")
    elif what == "feature":
        response = client.post(f"{w.item_url}feature/", {"featured": True}, format="json")
    else:
        response = client.delete(w.item_url)
    assert response.status_code == TABLE[what][ROLES.index(role)], response.content[:200]
