"""An exhibit's photos and short video: checked like every other media upload, added and
removed by the submitter while editable, seen by reviewers, public only once selected."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from sciweek.audit.models import AuditEntry
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.exhibition import services
from sciweek.exhibition.exhibit_media import exhibit_media_add, exhibit_media_remove
from sciweek.exhibition.models import ExhibitMedia
from tests.media.files import gps_exif, jpeg, upload, video
from tests.roles import Role
from tests.world import fresh

from .conftest import ROLES, exhibit_of, media_of

pytestmark = pytest.mark.django_db


def photo_upload(name="展品.jpg", **kwargs):
    return upload(name, jpeg(exif=gps_exif(), **kwargs), "image/jpeg")


def add_photo(w, exhibit=None, **kwargs):
    return exhibit_media_add(
        exhibit=exhibit or w.draft, kind="photo", upload=photo_upload(), by=fresh(w.area_admin),
        alt_text=kwargs.pop("alt_text", "陶瓷膜组件"), **kwargs,
    )  # fmt: skip


def codes(exc) -> str:
    return exc.value.code


# --- the service -------------------------------------------------------------------------------


def test_a_photo_is_re_encoded_without_location_and_audited(world):
    item = add_photo(world)
    assert (item.kind, item.content_type, item.original_name) == ("photo", "image/jpeg", "展品.jpg")
    assert (item.width, item.height, item.alt_text) == (640, 480, "陶瓷膜组件")
    with item.file.open("rb") as handle:
        stored = Image.open(handle)
        assert stored.getexif().get_ifd(0x8825) == {}  # no GPS left
    assert item.thumbnail.name.endswith("-thumb.jpg")
    entry = AuditEntry.objects.get(action="exhibit.media_add")
    assert (entry.object_id, entry.organization_id) == (str(world.draft.pk), world.area.pk)
    assert entry.changes["kind"] == [None, "photo"] and entry.changes["file"] == [None, "展品.jpg"]


def test_the_video_is_measured_and_one_only(world):
    item = exhibit_media_add(
        exhibit=world.draft, kind="video", upload=upload("展示.mp4", video(2.0), "video/mp4"),
        by=fresh(world.area_admin),
    )  # fmt: skip
    assert (item.kind, item.content_type, item.duration_seconds) == ("video", "video/mp4", 2.0)
    with pytest.raises(ServiceError) as exc:
        exhibit_media_add(
            exhibit=world.draft, kind="video", upload=upload("b.mp4", video(1.0), "video/mp4"),
            by=fresh(world.area_admin),
        )  # fmt: skip
    assert codes(exc) == "too_many_files"


def test_a_video_over_three_minutes_is_refused_with_its_length(world):
    with pytest.raises(ServiceError) as exc:
        exhibit_media_add(
            exhibit=world.draft, kind="video", by=fresh(world.area_admin),
            upload=upload("long.mp4", video(181, fps=1, size=(64, 48)), "video/mp4"),
        )  # fmt: skip
    assert codes(exc) == "video_too_long"
    assert exc.value.messages == [
        "long.mp4时长为181.0秒（3:01），视频最长不得超过180秒（3:00）。请剪辑后重新上传。"
    ]
    assert ExhibitMedia.objects.count() == 0


def test_at_most_six_photos(world):
    for _ in range(6):
        add_photo(world)
    with pytest.raises(ServiceError) as exc:
        add_photo(world)
    assert codes(exc) == "too_many_files"
    assert world.draft.media.count() == 6


@pytest.mark.parametrize(
    ("kind", "content", "alt", "code"),
    [
        ("photo", jpeg(), "", "alt_text_required"),
        ("photo", b"%PDF-1.4 not a picture", "图", "file_type_refused"),
        ("video", jpeg(), "", "file_type_refused"),
        ("photo", b"", "图", "file_empty"),
        ("poster", jpeg(), "图", "bad_kind"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(world, kind, content, alt, code):
    with pytest.raises(ServiceError) as exc:
        exhibit_media_add(exhibit=world.draft, kind=kind, upload=upload("x.jpg", content),
                          by=fresh(world.area_admin), alt_text=alt)  # fmt: skip
    assert codes(exc) == code
    assert ExhibitMedia.objects.count() == 0


def test_only_the_submitter_and_only_while_editable(world):
    with pytest.raises(PermissionRefused):
        exhibit_media_add(exhibit=world.draft, kind="photo", upload=photo_upload(),
                          alt_text="图", by=fresh(world.other_area_admin))  # fmt: skip
    with pytest.raises(ServiceError) as exc:
        add_photo(world, exhibit=world.exhibit)  # submitted: under review
    assert codes(exc) == "not_editable"
    services.exhibit_transition(exhibit=world.exhibit, action="return",
                                by=fresh(world.organizer_admin), reason="补充照片")  # fmt: skip
    world.exhibit.refresh_from_db()
    assert add_photo(world, exhibit=world.exhibit).exhibit == world.exhibit


def test_removing_takes_the_files_once_committed(world, django_capture_on_commit_callbacks):
    item = add_photo(world)
    storage, names = item.file.storage, [item.file.name, item.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        exhibit_media_remove(item=item, by=fresh(world.area_admin))
    assert ExhibitMedia.objects.count() == 0
    assert [storage.exists(n) for n in names] == [False, False]
    assert AuditEntry.objects.get(action="exhibit.media_remove").changes == {
        "kind": ["photo", None], "file": ["展品.jpg", None],
    }  # fmt: skip
    kept = media_of(world.exhibit)
    with pytest.raises(ServiceError) as exc:
        exhibit_media_remove(item=kept, by=fresh(world.area_admin))
    assert codes(exc) == "not_editable"
    with pytest.raises(PermissionRefused):
        exhibit_media_remove(item=kept, by=fresh(world.organizer_admin))


# --- pages -------------------------------------------------------------------------------------


def test_the_submitter_uploads_on_the_exhibit_page(client, world):
    client.force_login(world.area_admin)
    url = f"/office/exhibits/{world.draft.pk}/"
    assert 'id="exhibit-media-form"' in client.get(url).content.decode()
    response = client.post(f"{url}media/", {"kind": "photo", "file": photo_upload(),
                                            "alt_text": "陶瓷膜组件"})  # fmt: skip
    assert (response.status_code, response["Location"]) == (302, url)
    item = ExhibitMedia.objects.get()
    page = client.get(url).content.decode()
    assert f'data-exhibit-media="{item.key}"' in page
    assert f"/office/exhibit-media/{item.key}/thumb.jpg" in page


def test_a_refused_upload_shows_the_reason_beside_the_form(client, world):
    client.force_login(world.area_admin)
    response = client.post(f"/office/exhibits/{world.draft.pk}/media/",
                           {"kind": "photo", "file": photo_upload()})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    message = escape(gettext("Describe the photo for people who cannot see it (alternative text)."))
    assert 'id="exhibit-media-form"' in page and message in page
    assert ExhibitMedia.objects.count() == 0


def test_reviewers_see_the_media_but_no_upload_form(client, world):
    item = media_of(world.exhibit)
    client.force_login(world.organizer_reviewer)
    page = client.get(f"/office/exhibits/{world.exhibit.pk}/").content.decode()
    assert f'data-exhibit-media="{item.key}"' in page and 'id="exhibit-media-form"' not in page
    response = client.get(f"/office/exhibit-media/{item.key}/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert response["Cache-Control"] == "private, max-age=3600, no-store"


def test_public_only_once_selected(client, world):
    item = media_of(world.exhibit)
    assert client.get(f"/exhibits/media/thumbs/{item.key}.jpg").status_code == 404
    services.exhibit_transition(exhibit=world.exhibit, action="select",
                                by=fresh(world.organizer_admin))  # fmt: skip
    response = client.get(f"/exhibits/media/{item.key}/{item.original_name}")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    page = client.get(f"/exhibits/{world.exhibit.pk}/").content.decode()
    assert f'data-exhibit-media="{item.key}"' in page
    assert f"/exhibits/media/thumbs/{item.key}.jpg" in page and "展品照片1" in page
    hall = client.get("/hall/").content.decode()
    assert f'data-exhibit-thumbnail="{item.key}"' in hall


def test_the_hall_reads_the_exhibits_media_in_one_query(client, world):
    media_of(world.selected)

    def queries() -> int:
        cache.clear()  # the hall is a cached public page
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/hall/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(2, 5):
        media_of(world.selected, n=n)
        media_of(exhibit_of(world, world.area, state="selected", booth_number=f"A{n + 1:02d}"), n=n)
    assert queries() == one


# --- API ---------------------------------------------------------------------------------------


def api_table(default, **codes):
    t = {Role.ANONYMOUS: 401, **dict.fromkeys(ROLES[1:], default)}
    t.update({Role(name): code for name, code in codes.items()})
    return t


CITY = {"organizer_admin": 200, "organizer_reviewer": 200, "platform_admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_what_the_user_may_see(client, world, role):
    item = media_of(world.exhibit)
    if role != Role.ANONYMOUS:
        client.force_login(world.users[role])
    response = client.get(f"/api/v1/exhibits/{world.exhibit.pk}/media/")
    assert response.status_code == api_table(404, area_admin=200, **CITY)[role]
    if response.status_code == 200:
        assert [(r["key"], r["kind"], r["url"]) for r in response.json()] == [
            (str(item.key), "photo", f"/office/exhibit-media/{item.key}/")
        ]


@pytest.mark.parametrize("role", ROLES)
def test_api_upload_is_the_submitters(client, world, role):
    if role != Role.ANONYMOUS:
        client.force_login(world.users[role])
    response = client.post(f"/api/v1/exhibits/{world.draft.pk}/media/",
                           {"kind": "photo", "file": photo_upload(), "alt_text": "陶瓷膜组件"})  # fmt: skip
    expected = api_table(404, area_admin=201)[role]
    assert response.status_code == expected, response.content[:300]
    assert ExhibitMedia.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_api_delete(client, world, role):
    draft_item, submitted_item = media_of(world.draft), media_of(world.exhibit, n=2)
    if role != Role.ANONYMOUS:
        client.force_login(world.users[role])
    first = client.delete(f"/api/v1/exhibits/{world.draft.pk}/media/{draft_item.key}/")
    second = client.delete(f"/api/v1/exhibits/{world.exhibit.pk}/media/{submitted_item.key}/")
    assert first.status_code == api_table(404, area_admin=204)[role]
    assert (
        second.status_code
        == api_table(
            404, area_admin=400, organizer_admin=403, organizer_reviewer=403, platform_admin=400
        )[role]
    )


def test_api_refusals_answer_a_code(client, world):
    client.force_login(world.area_admin)
    url = f"/api/v1/exhibits/{world.draft.pk}/media/"
    response = client.post(url, {"kind": "video", "file": photo_upload()})
    assert (response.status_code, response.json()["code"]) == (400, "file_type_refused")
    response = client.post(url, data=json.dumps({"kind": "photo"}), content_type="application/json")
    assert response.status_code == 415
    other = media_of(world.exhibit)
    response = client.delete(f"/api/v1/exhibits/{world.draft.pk}/media/{other.key}/")
    assert response.status_code == 404  # another exhibit's item
