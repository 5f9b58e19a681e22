"""Activity media with MEDIA_STORAGE=s3 against the local moto server (tests/s3server.py): the
public views read the private bucket only for visible items, by range; deleting an item or its
activity deletes its objects."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sciweek.media import services
from tests.s3server import storages_for

from .test_views import clip, photo
from .world import activity, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def public_url(item) -> str:
    return reverse("showcase:media-file", args=[item.key, item.original_name])


def test_public_video_by_range_from_the_bucket_and_404_once_hidden(w, s3_media):
    item = clip(w, activity(w))
    stored = s3_media.body(f"private/{item.file.name}")
    assert item.file.name == f"media/{item.activity_id}/{item.key.hex}.mp4"

    response = Client().get(public_url(item), HTTP_RANGE="bytes=8-39")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 8-39/{len(stored)}"
    assert b"".join(response.streaming_content) == stored[8:40]
    assert Client().get(public_url(item), HTTP_IF_NONE_MATCH=f'"{item.key.hex}"').status_code == 304

    services.media_hide(item=item, by=w.organiser, reason="不宜公开")
    assert Client().get(public_url(item)).status_code == 404


def test_redirect_mode_keeps_hidden_items_hidden(w, s3_media, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        **storages_for(s3_media.endpoint, s3_media.bucket, serve="redirect"),
    }
    item = photo(w, activity(w))
    response = Client().get(public_url(item))
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"{s3_media.endpoint}/{s3_media.bucket}/private/media/{item.activity_id}/{item.key.hex}.jpg?"
    )
    services.media_hide(item=item, by=w.organiser, reason="不宜公开")
    assert Client().get(public_url(item)).status_code == 404


def test_deleting_an_item_or_its_activity_deletes_its_objects(
    w, s3_media, django_capture_on_commit_callbacks
):
    act = activity(w)
    first, second = photo(w, act), clip(w, act)
    assert len(s3_media.object_keys()) == 4  # each with its thumbnail or poster
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(item=first, by=w.host_editor)
    assert s3_media.object_keys() == sorted(
        [f"private/{second.file.name}", f"private/{second.thumbnail.name}"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        act.delete()
    assert s3_media.object_keys() == []
