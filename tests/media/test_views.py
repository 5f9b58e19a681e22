"""Back-office media pages per role, public media serving (visibility, Range, caching), the
gallery on the activity page and the page cache."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sciweek.media import services
from sciweek.media.models import MediaItem
from tests.roles import Role

from . import files
from .world import activity, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def photo(w, act, **kwargs) -> MediaItem:
    return services.media_upload(
        activity=act,
        kind="photo",
        upload=files.upload("现场.jpg", files.jpeg((800, 600))),
        alt_text="观众在看机器人表演",
        by=w.host_editor,
        **kwargs,
    )


def clip(w, act, seconds=1.0) -> MediaItem:
    return services.media_upload(
        activity=act,
        kind="video",
        upload=files.upload("clip.mp4", files.video(seconds)),
        title="微视频",
        by=w.host_editor,
    )


# Back office: one table of (action, role, expected status) -----------------------------------

LOGIN = "login"

EXPECTED = {
    # upload a photo to unit A's published activity
    "upload": {Role.UNIT_EDITOR: 302, Role.AREA_REVIEWER: 403, Role.ORGANIZER_ADMIN: 403,
               Role.ORGANIZER_EDITOR: 403, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "hide": {Role.UNIT_EDITOR: 403, Role.AREA_REVIEWER: 403, Role.ORGANIZER_ADMIN: 302,
             Role.ORGANIZER_EDITOR: 302, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "feature": {Role.UNIT_EDITOR: 403, Role.AREA_REVIEWER: 403, Role.ORGANIZER_ADMIN: 302,
                Role.ORGANIZER_EDITOR: 302, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "delete": {Role.UNIT_EDITOR: 302, Role.AREA_REVIEWER: 403, Role.ORGANIZER_ADMIN: 302,
               Role.ORGANIZER_EDITOR: 403, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "office_file": {Role.UNIT_EDITOR: 200, Role.AREA_REVIEWER: 200, Role.ORGANIZER_ADMIN: 200,
                    Role.ORGANIZER_EDITOR: 200, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "office_thumbnail": {Role.UNIT_EDITOR: 200, Role.AREA_REVIEWER: 200, Role.ORGANIZER_ADMIN: 200,
                         Role.ORGANIZER_EDITOR: 200, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "unhide": {Role.UNIT_EDITOR: 403, Role.AREA_REVIEWER: 403, Role.ORGANIZER_ADMIN: 302,
               Role.ORGANIZER_EDITOR: 302, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
    "curation": {Role.UNIT_EDITOR: 403, Role.AREA_REVIEWER: 403, Role.ORGANIZER_ADMIN: 200,
                 Role.ORGANIZER_EDITOR: 200, Role.OTHER_UNIT_EDITOR: 403, Role.GATE_STAFF: 403, Role.ANONYMOUS: LOGIN},
}  # fmt: skip

# Every row names the same roles: those are the roles this table checks.
ROLES = tuple(EXPECTED["upload"])
CASES = [(action, role) for action in EXPECTED for role in ROLES]


def test_every_row_names_the_same_roles():
    assert [set(row) for row in EXPECTED.values()] == [set(ROLES)] * len(EXPECTED)


def _request(w, action, client):
    act = activity(w)
    item = photo(w, act)
    if action == "upload":
        url = reverse("dashboard:media-upload", args=[act.pk])
        data = {"kind": "photo", "alt_text": "展台", "file": files.upload("a.jpg", files.jpeg())}
        return client.post(url, data), item
    if action == "hide":
        return client.post(
            reverse("dashboard:media-hide", args=[item.pk]), {"reason": "不宜公开"}
        ), item
    if action == "feature":
        return client.post(
            reverse("dashboard:media-feature", args=[item.pk]), {"featured": "1"}
        ), item
    if action == "delete":
        return client.post(reverse("dashboard:media-delete", args=[item.pk])), item
    if action == "office_file":
        services.media_hide(item=item, by=w.organiser, reason="隐藏后后台仍可查看")
        return client.get(reverse("dashboard:media-file", args=[item.pk])), item
    if action == "office_thumbnail":
        services.media_hide(item=item, by=w.organiser, reason="隐藏后后台仍可查看")
        return client.get(reverse("dashboard:media-thumbnail", args=[item.pk])), item
    if action == "unhide":
        services.media_hide(item=item, by=w.organiser, reason="暂时隐藏")
        return client.post(reverse("dashboard:media-unhide", args=[item.pk])), item
    return client.get(reverse("dashboard:hall-curation")), item


@pytest.mark.parametrize(("action", "role"), CASES)
def test_office_media_permissions(w, action, role):
    response, item = _request(w, action, client_for(w.users[role]))
    expected = EXPECTED[action][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected
    # What a refused request did not change:
    if expected != 302:
        assert MediaItem.objects.filter(pk=item.pk).exists()
        if action == "upload":
            assert MediaItem.objects.count() == 1
    elif action == "upload":
        assert MediaItem.objects.count() == 2
    elif action == "hide":
        item.refresh_from_db()
        assert (item.is_hidden, item.hidden_reason) == (True, "不宜公开")
    elif action == "feature":
        item.refresh_from_db()
        assert item.is_featured is True
    elif action == "delete":
        assert not MediaItem.objects.filter(pk=item.pk).exists()
    elif action == "unhide":
        item.refresh_from_db()
        assert item.is_hidden is False


def test_office_item_of_activity_user_cannot_see_is_404(w):
    item = photo(w, activity(w, "draft"))
    response = client_for(w.other_unit_editor).get(reverse("dashboard:media-file", args=[item.pk]))
    assert response.status_code == 404


def test_upload_refusal_shows_activity_page_with_message(w):
    act = activity(w)
    response = client_for(w.host_editor).post(
        reverse("dashboard:media-upload", args=[act.pk]),
        {
            "kind": "photo",
            "alt_text": "x",
            "file": files.upload("evil.jpg", b"<?php system($_GET['c']);"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "evil.jpg is not a JPEG, PNG or WebP picture" in response.content.decode()
    assert MediaItem.objects.count() == 0


def test_activity_page_shows_upload_card_to_host(w):
    act = activity(w)
    photo(w, act)
    page = client_for(w.host_editor).get(reverse("dashboard:activity-detail", args=[act.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("dashboard:media-upload", args=[act.pk]) in html
    assert 'alt="观众在看机器人表演"' in html


# Public serving -------------------------------------------------------------------------------


def _public_url(item):
    return reverse("showcase:media-file", args=[item.key, item.original_name])


def test_public_media_visible_item_served_with_type_and_cache(w):
    item = photo(w, activity(w))
    response = Client().get(_public_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert "max-age=31536000" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == item.file.open("rb").read()
    thumb = Client().get(reverse("showcase:media-thumbnail", args=[item.key]))
    assert (thumb.status_code, thumb["Content-Type"]) == (200, "image/jpeg")


@pytest.mark.parametrize("state", ["draft", "pending_area", "returned", "withdrawn", "cancelled"])
def test_public_media_of_non_public_activity_is_404(w, state):
    act = activity(w, "draft")
    item = photo(w, act)
    type(act).objects.filter(pk=act.pk).update(state=state)
    assert Client().get(_public_url(item)).status_code == 404
    assert Client().get(reverse("showcase:media-thumbnail", args=[item.key])).status_code == 404


def test_public_media_hidden_item_is_404(w):
    item = photo(w, activity(w))
    services.media_hide(item=item, by=w.organiser, reason="x")
    assert Client().get(_public_url(item)).status_code == 404
    assert Client().get(reverse("showcase:media-thumbnail", args=[item.key])).status_code == 404


def test_public_media_wrong_name_or_unknown_key_is_404(w):
    item = photo(w, activity(w))
    assert (
        Client().get(reverse("showcase:media-file", args=[item.key, "other.jpg"])).status_code
        == 404
    )
    missing = reverse("showcase:media-file", args=["00000000-0000-0000-0000-000000000000", "x.jpg"])
    assert Client().get(missing).status_code == 404


def test_public_video_range_request_returns_206_with_exact_bytes(w):
    item = clip(w, activity(w))
    whole = item.file.open("rb").read()
    url = _public_url(item)

    response = Client().get(url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert response["Content-Length"] == "100"
    assert b"".join(response.streaming_content) == whole[100:200]

    tail = Client().get(url, HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206
    assert b"".join(tail.streaming_content) == whole[-50:]

    open_ended = Client().get(url, HTTP_RANGE=f"bytes={len(whole) - 10}-")
    assert b"".join(open_ended.streaming_content) == whole[-10:]

    beyond = Client().get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(whole)}"

    several = Client().get(url, HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200
    assert b"".join(several.streaming_content) == whole

    stale = Client().get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"something-else"')
    assert stale.status_code == 200


def test_public_media_conditional_get_is_304(w):
    item = photo(w, activity(w))
    first = Client().get(_public_url(item))
    again = Client().get(_public_url(item), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# The gallery and the page cache -----------------------------------------------------------------


def test_gallery_on_public_page_and_cache_invalidated_by_hiding(w):
    act = activity(w)
    shown = photo(w, act)
    video = clip(w, act)
    url = reverse("showcase:activity-detail", args=[act.pk])
    html = Client().get(url).content.decode()
    assert f'data-media="{shown.key}"' in html
    assert 'alt="观众在看机器人表演"' in html
    assert f'data-media="{video.key}"' in html
    assert 'preload="none"' in html
    assert f'poster="{reverse("showcase:media-thumbnail", args=[video.key])}"' in html
    # Served from the page cache now.
    assert f'data-media="{shown.key}"' in Client().get(url).content.decode()

    services.media_hide(item=shown, by=w.organiser, reason="不宜公开")
    html = Client().get(url).content.decode()
    assert f'data-media="{shown.key}"' not in html
    assert f'data-media="{video.key}"' in html


def test_gallery_absent_without_media(w):
    act = activity(w)
    html = Client().get(reverse("showcase:activity-detail", args=[act.pk])).content.decode()
    assert 'id="gallery"' not in html
