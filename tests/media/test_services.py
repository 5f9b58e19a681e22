"""Upload checks with hostile and ordinary files, and the writes' audit entries."""

from __future__ import annotations

import io
import os

import pytest
from django.utils import translation
from PIL import ExifTags, Image

from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from sciweek.media import services
from sciweek.media.models import MediaItem

from . import files
from .world import activity, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def _upload_photo(w, act, content: bytes, name="photo.jpg", **kwargs):
    kwargs.setdefault("alt_text", "孩子们在看机器人")
    return services.media_upload(
        activity=act, kind="photo", upload=files.upload(name, content), by=w.host_editor, **kwargs
    )


def _refusal(callable_, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as info:
        callable_(*args, **kwargs)
    return info.value


def _stored_files(settings) -> list[str]:
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


# Hostile files -------------------------------------------------------------------------------


def test_upload_script_renamed_jpg_refused(w, settings):
    act = activity(w)
    error = _refusal(_upload_photo, w, act, b"#!/bin/sh\nrm -rf / --no-preserve-root\n", "evil.jpg")
    assert error.code == "file_type_refused"
    assert error.messages == [
        "evil.jpg is not a JPEG, PNG or WebP picture (its content says: unknown)."
    ]
    assert MediaItem.objects.count() == 0
    assert _stored_files(settings) == []


def test_upload_html_renamed_mp4_refused_as_video(w):
    act = activity(w)
    error = _refusal(
        services.media_upload,
        activity=act,
        kind="video",
        upload=files.upload("clip.mp4", b"<html><script>alert(1)</script></html>"),
        by=w.host_editor,
    )
    assert error.code == "file_type_refused"


def test_upload_decompression_bomb_png_refused(w, settings):
    act = activity(w)
    bomb = files.bomb_png(30000, 30000)
    assert len(bomb) < 2000  # tiny on disk, 2.7 GB once decoded
    error = _refusal(_upload_photo, w, act, bomb, "bomb.png")
    assert error.code == "image_too_many_pixels"
    # In the user's words, none of Pillow's (English) ones.
    assert error.messages == [
        "bomb.png declares far more pixels than any photo needs; the limit is 40.0 megapixels. "
        "Resize the picture and upload it again."
    ]
    with translation.override("zh-hans"):
        zh = _refusal(_upload_photo, w, act, bomb, "bomb.png").messages[0]
    assert zh == "bomb.png的像素数远超照片所需，上限为40.0百万像素。请缩小图片后重新上传。"
    assert MediaItem.objects.count() == 0
    assert _stored_files(settings) == []


def test_upload_too_many_pixels_below_pillow_limit_refused(w, settings):
    # 60 MP passes Pillow's own limit (89 MP) but not ours: refused from the header, with facts.
    settings.MEDIA_PHOTO_MAX_PIXELS = 40_000_000
    error = _refusal(_upload_photo, w, activity(w), files.bomb_png(10000, 6000), "big.png")
    assert error.code == "image_too_many_pixels"
    assert error.messages == [
        "big.png declares 10000 × 6000 pixels (60.0 megapixels); the limit is 40.0 megapixels. "
        "Resize the picture and upload it again."
    ]


def test_upload_truncated_jpeg_refused(w):
    content = files.jpeg((800, 600))
    error = _refusal(_upload_photo, w, activity(w), content[: len(content) // 2], "cut.jpg")
    assert error.code == "image_damaged"


def test_upload_truncated_mp4_refused(w, settings):
    whole = files.video(3.0)
    error = _refusal(
        services.media_upload,
        activity=activity(w),
        kind="video",
        upload=files.upload("cut.mp4", whole[: int(len(whole) * 0.6)]),
        by=w.host_editor,
    )
    assert error.code in {"video_damaged", "video_truncated"}
    assert "cut.mp4" in error.messages[0]
    assert MediaItem.objects.count() == 0
    assert _stored_files(settings) == []


def test_upload_mp4_with_moov_first_but_data_cut_refused(w, tmp_path):
    # A "fast start" file declares its duration up front; cutting its data must still be caught.
    import av

    source = io.BytesIO(files.video(4.0))
    out = tmp_path / "faststart.mp4"
    with (
        av.open(source) as src,
        av.open(str(out), "w", format="mp4", options={"movflags": "faststart"}) as dst,
    ):
        stream = dst.add_stream_from_template(src.streams.video[0])
        for packet in src.demux(src.streams.video[0]):
            if packet.dts is None:
                continue
            packet.stream = stream
            dst.mux(packet)
    whole = out.read_bytes()
    assert whole.find(b"moov") < whole.find(b"mdat")
    error = _refusal(
        services.media_upload,
        activity=activity(w),
        kind="video",
        upload=files.upload("faststart.mp4", whole[: int(len(whole) * 0.5)]),
        by=w.host_editor,
    )
    assert error.code in {"video_damaged", "video_truncated"}


def test_upload_oversized_video_refused_with_size_and_limit(w, settings):
    settings.MEDIA_VIDEO_MAX_BYTES = 1000
    content = files.video(1.0)
    error = _refusal(
        services.media_upload,
        activity=activity(w),
        kind="video",
        upload=files.upload("big.mp4", content),
        by=w.host_editor,
    )
    assert error.code == "file_too_large"
    assert error.messages[0].startswith("big.mp4 is ")
    assert error.messages[0].endswith("; the limit is 1000\xa0bytes.")


def test_upload_oversized_photo_refused(w, settings):
    settings.MEDIA_PHOTO_MAX_BYTES = 500
    error = _refusal(_upload_photo, w, activity(w), files.jpeg())
    assert error.code == "file_too_large"


def test_upload_video_codec_browsers_cannot_play_refused(w):
    error = _refusal(
        services.media_upload,
        activity=activity(w),
        kind="video",
        upload=files.upload("old.mp4", files.video(1.0, codec="mpeg4")),
        by=w.host_editor,
    )
    assert error.code == "video_codec_refused"
    assert "mpeg4" in error.messages[0]


def test_upload_photo_without_alt_text_refused(w):
    error = _refusal(_upload_photo, w, activity(w), files.jpeg(), alt_text="  ")
    assert error.code == "alt_text_required"


@pytest.mark.parametrize("state", ["pending_area", "pending_city", "withdrawn", "cancelled"])
def test_upload_refused_in_closed_states(w, state):
    error = _refusal(_upload_photo, w, activity(w, state), files.jpeg())
    assert error.code == "not_open_for_media"
    assert MediaItem.objects.count() == 0


# Photos ----------------------------------------------------------------------------------------


def test_upload_photo_removes_exif_and_gps_and_applies_orientation(w):
    source = files.jpeg((640, 480), exif=files.gps_exif(orientation=6))
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry GPS
    item = _upload_photo(w, activity(w), source, "IMG_0001.JPG")

    assert (item.content_type, item.original_name) == ("image/jpeg", "IMG_0001.jpg")
    # Orientation 6 means "rotate 90°": the stored picture is upright, so portrait.
    assert (item.width, item.height) == (480, 640)
    with item.file.open("rb") as handle:
        stored = handle.read()
    assert b"SpyCam" not in stored and b"SERIAL-12345" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert image.size == (480, 640)
    with item.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (360, 480)
        assert dict(thumb.getexif()) == {}


def test_upload_transparent_png_stored_as_webp_with_jpeg_thumbnail(w):
    item = _upload_photo(w, activity(w), files.png((300, 200)), "logo.png")
    assert (item.content_type, item.original_name, item.width, item.height) == (
        "image/webp",
        "logo.webp",
        300,
        200,
    )
    with item.file.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "WEBP"
        assert image.mode == "RGBA"


def test_upload_large_photo_capped_and_thumbnail_small(w):
    item = _upload_photo(w, activity(w), files.jpeg((5000, 2500)), "wide.jpg")
    assert (item.width, item.height) == (3840, 1920)
    with item.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.size == (480, 240)


def test_upload_photo_path_traversal_name_is_made_safe(w):
    item = _upload_photo(w, activity(w), files.jpeg(), "../../etc/passwd.jpg")
    assert item.original_name == "passwd.jpg"
    assert item.file.name.startswith(f"media/{item.activity_id}/")
    assert "passwd" not in item.file.name


# Videos ----------------------------------------------------------------------------------------


def test_upload_video_reads_real_duration(w):
    upload = files.disk_upload("clip.mp4", files.video(3.0))
    item = services.media_upload(
        activity=activity(w), kind="video", upload=upload, title="三秒", by=w.host_editor
    )
    upload.close()  # as Django does at the end of a request (the file was moved into storage)
    assert item.duration_seconds == pytest.approx(3.0, abs=0.1)
    assert (item.width, item.height, item.content_type) == (160, 90, "video/mp4")
    with item.thumbnail.open("rb") as handle, Image.open(handle) as poster:
        assert poster.format == "JPEG"
        assert poster.size == (160, 90)


def test_upload_webm_animation_reads_real_duration(w):
    content = files.video(2.0, codec="libvpx-vp9", container_format="webm", fps=10)
    item = services.media_upload(
        activity=activity(w, "held"),
        kind="animation",
        upload=files.upload("anim.webm", content),
        by=w.host_editor,
    )
    assert item.content_type == "video/webm"
    assert item.duration_seconds == pytest.approx(2.0, abs=0.15)


def test_upload_video_in_memory_and_on_disk_store_same_bytes(w):
    content = files.video(1.0)
    a = services.media_upload(
        activity=activity(w), kind="video", upload=files.upload("a.mp4", content), by=w.host_editor
    )
    on_disk = files.disk_upload("b.mp4", content)
    b = services.media_upload(activity=activity(w), kind="video", upload=on_disk, by=w.host_editor)
    on_disk.close()
    for item in (a, b):
        with item.file.open("rb") as handle:
            assert handle.read() == content
        assert item.size == len(content)


# Audit, hide, feature, delete -------------------------------------------------------------------


def _actions(act) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(act.pk), action__startswith="activity.media")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_media_lifecycle_writes_audit_entries(w, django_capture_on_commit_callbacks):
    act = activity(w)
    item = _upload_photo(w, act, files.jpeg())
    services.media_feature(item=item, featured=True, by=w.organiser)
    services.media_hide(item=item, by=w.organiser, reason="含未成年人正脸")
    item.refresh_from_db()
    assert (item.is_hidden, item.hidden_by, item.hidden_reason) == (
        True,
        w.organiser,
        "含未成年人正脸",
    )
    services.media_unhide(item=item, by=w.organiser)
    services.media_feature(item=item, featured=False, by=w.organiser)
    paths = [item.file.path, item.thumbnail.path]
    assert all(os.path.exists(p) for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(item=item, by=w.host_editor)
    assert not any(os.path.exists(p) for p in paths)
    assert MediaItem.objects.count() == 0
    assert _actions(act) == [
        "activity.media_add",
        "activity.media_feature",
        "activity.media_hide",
        "activity.media_unhide",
        "activity.media_unfeature",
        "activity.media_delete",
    ]
    hide = AuditEntry.objects.get(action="activity.media_hide")
    assert (hide.reason, hide.actor, hide.organization_id) == (
        "含未成年人正脸",
        w.organiser,
        w.unit_a.pk,
    )


def test_hide_without_reason_refused(w):
    item = _upload_photo(w, activity(w), files.jpeg())
    assert (
        _refusal(services.media_hide, item=item, by=w.organiser, reason=" ").code
        == "reason_required"
    )
    item.refresh_from_db()
    assert item.is_hidden is False


def test_feature_refused_for_hidden_item_or_draft_activity(w):
    hidden = _upload_photo(w, activity(w), files.jpeg())
    services.media_hide(item=hidden, by=w.organiser, reason="x")
    draft = _upload_photo(w, activity(w, "draft"), files.jpeg())
    for item in (hidden, draft):
        assert _refusal(services.media_feature, item=item, featured=True, by=w.organiser).code == (
            "not_featurable"
        )


def test_activity_deleted_with_media_removes_files(w, django_capture_on_commit_callbacks):
    act = activity(w, "draft")
    item = _upload_photo(w, act, files.jpeg())
    path = item.file.path
    with django_capture_on_commit_callbacks(execute=True):
        act.delete()
    assert not os.path.exists(path)
