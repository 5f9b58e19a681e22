"""Area summaries with MEDIA_STORAGE=s3, against a real S3-compatible server (moto in server
mode on 127.0.0.1, tests/s3server.py): a photo and a video uploaded from the page land in the
private prefix of the bucket, come back through the permission-checking view whole and by byte
range (streamed, or as a redirect to a short-lived signed URL), leave with their record, and the
compiled zip is built from them and stored there too."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from sciweek.reports.models import CompiledReport, SummaryFile
from sciweek.reports.services import compile_run
from sciweek.reports.uploads import file_add, file_remove
from tests.s3server import storages_for

from .files import jpeg, tiny_video, up

pytestmark = pytest.mark.django_db


def upload_from_page(client, world, kind: str, name: str, content: bytes) -> SummaryFile:
    client.force_login(world.area_user_a)
    response = client.post(
        reverse("dashboard:summary-upload", args=[world.summary_a.pk]),
        {"kind": kind, "file": up(name, content)},
    )
    assert response.status_code == 302
    return SummaryFile.objects.get(summary=world.summary_a, kind=kind)


def file_url(item: SummaryFile) -> str:
    return reverse("dashboard:summary-file", args=[item.summary_id, item.pk])


def test_photo_and_video_uploaded_from_the_page_are_private_objects(client, world, s3_media):
    photo = upload_from_page(client, world, "photo", "现场.jpg", jpeg((640, 480)))
    video_bytes = tiny_video(3)
    video = upload_from_page(client, world, "video", "集锦.mp4", video_bytes)

    prefix = f"private/reports/{world.summary_a.pk}/"
    video_stem = video.storage_key.rsplit(".", 1)[0]
    photo_stem = photo.storage_key.rsplit(".", 1)[0]
    assert s3_media.object_keys() == sorted(
        [
            f"{prefix}{photo.storage_key}",
            f"{prefix}{photo_stem}-thumb.jpg",
            f"{prefix}{video.storage_key}",
            f"{prefix}{video_stem}-thumb.jpg",
        ]
    )
    assert s3_media.body(f"{prefix}{video.storage_key}") == video_bytes
    assert (video.size, video.duration_seconds) == (len(video_bytes), 3.0)
    # Written with a private ACL: nobody but the owner may read it, and unsigned GETs fail.
    acl = s3_media.client.get_object_acl(Bucket=s3_media.bucket, Key=f"{prefix}{video.storage_key}")
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert acl["Grants"][0]["Grantee"]["Type"] == "CanonicalUser"
    unsigned = requests.get(
        f"{s3_media.endpoint}/{s3_media.bucket}/{prefix}{video.storage_key}", timeout=10
    )
    assert unsigned.status_code == 403


def test_video_downloaded_whole_and_by_range_through_the_view(client, world, s3_media):
    video_bytes = tiny_video(3)
    video = upload_from_page(client, world, "video", "集锦.mp4", video_bytes)
    url = file_url(video)

    whole = client.get(url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == video_bytes
    assert whole["Content-Length"] == str(len(video_bytes))
    assert whole["Accept-Ranges"] == "bytes"

    part = client.get(url, HTTP_RANGE="bytes=100-299")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-299/{len(video_bytes)}"
    assert part["Content-Length"] == "200"
    assert b"".join(part.streaming_content) == video_bytes[100:300]

    tail = client.get(url, HTTP_RANGE="bytes=-16")
    assert tail.status_code == 206
    assert b"".join(tail.streaming_content) == video_bytes[-16:]

    beyond = client.get(url, HTTP_RANGE=f"bytes={len(video_bytes)}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(video_bytes)}"

    # The permission check comes first: another area's admin never reaches the object.
    client.force_login(world.area_user_b)
    assert client.get(url).status_code == 404


def test_redirect_mode_answers_a_short_lived_signed_url_after_the_permission_check(
    client, world, s3_media, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        **storages_for(s3_media.endpoint, s3_media.bucket, serve="redirect", url_lifetime=120),
    }
    video_bytes = tiny_video(3)
    video = upload_from_page(client, world, "video", "集锦.mp4", video_bytes)
    response = client.get(file_url(video))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["120"]
    assert query["response-content-type"] == ["video/mp4"]
    assert query["response-content-disposition"] == [
        "inline; filename*=UTF-8''%E9%9B%86%E9%94%A6.mp4"
    ]
    # The browser then ranges the object itself, over HTTP, with the signed URL.
    ranged = requests.get(location, headers={"Range": "bytes=10-19"}, timeout=10)
    assert ranged.status_code == 206
    assert ranged.content == video_bytes[10:20]
    assert ranged.headers["Content-Type"] == "video/mp4"
    # The same URL without its signature is refused.
    assert requests.get(location.split("?", 1)[0], timeout=10).status_code == 403

    client.force_login(world.area_user_b)
    assert client.get(file_url(video)).status_code == 404


def test_removed_file_and_its_poster_are_deleted_from_the_bucket(
    world, s3_media, django_capture_on_commit_callbacks
):
    video = file_add(
        summary=world.summary_a,
        kind="video",
        upload=up("v.mp4", tiny_video(2)),
        by=world.area_user_a,
    )
    photo = file_add(
        summary=world.summary_a, kind="photo", upload=up("p.jpg", jpeg()), by=world.area_user_a
    )
    assert len(s3_media.object_keys()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        file_remove(item=video, by=world.area_user_a)
    photo_stem = photo.storage_key.rsplit(".", 1)[0]
    prefix = f"private/reports/{world.summary_a.pk}/"
    assert s3_media.object_keys() == sorted(
        [f"{prefix}{photo.storage_key}", f"{prefix}{photo_stem}-thumb.jpg"]
    )
    # A summary deleted with its files (a cascade) takes their objects too.
    with django_capture_on_commit_callbacks(execute=True):
        world.summary_a.delete()
    assert s3_media.object_keys() == []


def test_compiled_zip_built_from_the_bucket_and_stored_there(client, world, s3_media):
    video_bytes, photo_bytes = tiny_video(2), jpeg((320, 240))
    file_add(summary=world.summary_a, kind="video", upload=up("集锦.mp4", video_bytes),
             by=world.area_user_a)  # fmt: skip
    photo = file_add(summary=world.summary_a, kind="photo", upload=up("现场.jpg", photo_bytes),
                     by=world.area_user_a)  # fmt: skip
    report = CompiledReport.objects.create(task=world.task, kind="zip_area", area=world.area)
    report = compile_run(report.pk)
    assert (report.status, report.error) == ("done", "")
    assert report.file.name == f"compiled/{world.task.pk}/{report.pk}/{report.download_name}"
    assert f"private/{report.file.name}" in s3_media.object_keys()

    client.force_login(world.organizer)
    download = client.get(reverse("dashboard:compiled-download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; ")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    area = world.area.name
    assert sorted(archive.namelist()) == sorted([f"{area}/视频/集锦.mp4", f"{area}/照片/现场.jpg"])
    assert archive.read(f"{area}/视频/集锦.mp4") == video_bytes
    stored_photo = s3_media.body(f"private/{photo.file.name}")
    assert archive.read(f"{area}/照片/现场.jpg") == stored_photo


def _large_video(total: int) -> TemporaryUploadedFile:
    """A real mp4 padded to ``total`` bytes with a trailing ``free`` box (valid MP4 padding),
    spooled to disk as Django does for any upload over FILE_UPLOAD_MAX_MEMORY_SIZE."""
    video = tiny_video(3)
    upload = TemporaryUploadedFile("big.mp4", "video/mp4", total, "utf-8")
    upload.write(video)
    padding = total - len(video)
    upload.write(struct.pack(">I", padding) + b"free")
    block = b"\0" * (1024 * 1024)
    remaining = padding - 8
    while remaining > 0:
        upload.write(block[:remaining])
        remaining -= len(block)
    upload.seek(0)
    return upload


def test_large_video_streams_to_the_bucket_in_bounded_memory(world, s3_media):
    total = 96 * 1024 * 1024
    upload = _large_video(total)
    tracemalloc.start()
    try:
        item = file_add(summary=world.summary_a, kind="video", upload=upload, by=world.area_user_a)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert item.size == total
    head = s3_media.client.head_object(Bucket=s3_media.bucket, Key=f"private/{item.file.name}")
    assert head["ContentLength"] == total
    # A few 8 MB parts in flight or read ahead (about 40 MB, the same for 160 MB), never the
    # whole file.
    assert peak < total // 2, peak
