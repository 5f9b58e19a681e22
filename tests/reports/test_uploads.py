"""Files arrive checked by content: the video's real duration, and every kind of bad file is
refused cleanly (400, a reason, nothing stored)."""

import pytest
from django.urls import reverse

from sciweek.common.errors import ServiceError
from sciweek.reports.models import SummaryFile
from sciweek.reports.uploads import file_add, file_remove

from .files import ELF, bomb_png, docx, jpeg, tiny_video, up

pytestmark = pytest.mark.django_db


def stored_files(settings):
    from pathlib import Path

    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_video_of_181_seconds_refused_with_the_duration_found(world, settings):
    with pytest.raises(ServiceError) as caught:
        file_add(summary=world.summary_a, kind="video", upload=up("long.mp4", tiny_video(181)),
                 by=world.area_user_a)  # fmt: skip
    assert caught.value.code == "video_too_long"
    message = caught.value.messages[0]
    assert "181.0" in message and "3:01" in message and "180" in message
    assert SummaryFile.objects.count() == 0
    assert stored_files(settings) == []


def test_video_of_179_seconds_accepted_with_measured_duration_and_poster(world):
    item = file_add(summary=world.summary_a, kind="video", upload=up("ok.mp4", tiny_video(179)),
                    by=world.area_user_a, caption="集锦")  # fmt: skip
    assert item.duration_seconds == 179.0
    assert (item.width, item.height, item.content_type) == (16, 16, "video/mp4")
    assert item.thumbnail.name.endswith("-thumb.jpg")
    assert item.original_name == "ok.mp4"


def test_mov_video_accepted(world):
    item = file_add(summary=world.summary_a, kind="video",
                    upload=up("clip.mov", tiny_video(5, fmt="mov")), by=world.area_user_a)  # fmt: skip
    assert (item.content_type, item.duration_seconds) == ("video/quicktime", 5.0)


def test_photo_reencoded_with_thumbnail(world):
    item = file_add(summary=world.summary_a, kind="photo", upload=up("a.png", jpeg((800, 600))),
                    by=world.area_user_a)  # fmt: skip
    assert (item.content_type, item.width, item.height) == ("image/jpeg", 800, 600)
    assert item.original_name == "a.jpg"
    assert item.thumbnail


BAD = [
    ("video", "broken.mp4", tiny_video(60)[: len(tiny_video(60)) // 2], "video_damaged"),
    ("video", "virus.mp4", ELF, "file_type_refused"),
    ("photo", "virus.jpg", ELF, "file_type_refused"),
    ("document", "virus.docx", ELF, "file_type_refused"),
    ("photo", "bomb.png", bomb_png(), "image_too_many_pixels"),
]


@pytest.mark.parametrize(("kind", "name", "content", "code"), BAD)
def test_bad_file_refused_cleanly(world, settings, kind, name, content, code):
    with pytest.raises(ServiceError) as caught:
        file_add(summary=world.summary_a, kind=kind, upload=up(name, content), by=world.area_user_a)
    assert caught.value.code == code
    assert SummaryFile.objects.count() == 0
    assert stored_files(settings) == []


def test_oversized_document_refused_by_the_tasks_limit(world):
    world.task.document_max_bytes = 1000
    world.task.save()
    world.summary_a.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        file_add(summary=world.summary_a, kind="document", upload=up("big.docx", docx("大" * 10)),
                 by=world.area_user_a)  # fmt: skip
    assert caught.value.code == "file_too_large"
    assert SummaryFile.objects.count() == 0


@pytest.mark.parametrize(("kind", "name", "content", "code"), BAD)
def test_page_answers_400_with_the_reason_and_keeps_the_caption(
    client, world, kind, name, content, code
):
    client.force_login(world.area_user_a)
    response = client.post(
        reverse("dashboard:summary-upload", args=[world.summary_a.pk]),
        {"kind": kind, "file": up(name, content), "caption": "我的说明"},
    )
    assert response.status_code == 400
    assert 'value="我的说明"' in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    assert SummaryFile.objects.count() == 0


def test_page_upload_of_181_s_video_names_the_duration(client, world):
    client.force_login(world.area_user_a)
    response = client.post(
        reverse("dashboard:summary-upload", args=[world.summary_a.pk]),
        {"kind": "video", "file": up("long.mp4", tiny_video(181))},
    )
    assert response.status_code == 400
    assert "181.0" in response.content.decode() and "3:01" in response.content.decode()


def test_api_upload_201_with_facts_and_400_with_duration(client, world):
    client.force_login(world.area_user_a)
    url = f"/api/v1/reports/{world.summary_a.pk}/files/"
    ok = client.post(url, {"kind": "video", "file": up("ok.mp4", tiny_video(179))})
    assert ok.status_code == 201
    body = ok.json()
    assert {k: body[k] for k in ("kind", "name", "content_type", "width", "height",
                                 "duration_seconds")} == {
        "kind": "video", "name": "ok.mp4", "content_type": "video/mp4", "width": 16,
        "height": 16, "duration_seconds": 179.0}  # fmt: skip
    assert body["size"] == SummaryFile.objects.get().size
    refused = client.post(url, {"kind": "video", "file": up("long.mp4", tiny_video(181))})
    assert refused.status_code == 400
    assert refused.json()["code"] == "video_too_long"
    assert "181.0" in refused.json()["detail"]
    bad_kind = client.post(url, {"kind": "audio", "file": up("x.mp3", b"ID3")})
    assert bad_kind.status_code == 400
    assert SummaryFile.objects.count() == 1


def test_files_cannot_change_once_submitted(world):
    from .conftest import complete

    complete(world.summary_a, world.area_user_a)
    from sciweek.reports.services import summary_transition

    summary_transition(summary=world.summary_a, action="submit", by=world.area_user_a)
    world.summary_a.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        file_add(summary=world.summary_a, kind="photo", upload=up("x.jpg", jpeg()),
                 by=world.area_user_a)  # fmt: skip
    assert caught.value.code == "not_editable"
    with pytest.raises(ServiceError):
        file_remove(item=world.summary_a.files.first(), by=world.area_user_a)


def test_file_remove_deletes_row_and_file_and_is_audited(
    world, settings, django_capture_on_commit_callbacks
):
    from sciweek.audit.models import AuditEntry

    item = file_add(summary=world.summary_a, kind="photo", upload=up("x.jpg", jpeg()),
                    by=world.area_user_a)  # fmt: skip
    assert len(stored_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        file_remove(item=item, by=world.area_user_a)
    assert SummaryFile.objects.count() == 0
    assert stored_files(settings) == []
    assert list(
        AuditEntry.objects.filter(action__startswith="summary.file").values_list(
            "action", flat=True
        )
    ) == ["summary.file_remove", "summary.file_add"]
