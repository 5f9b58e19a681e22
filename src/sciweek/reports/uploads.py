"""The files of an area summary: the report document, photos and the video, each checked by its
content when it arrives.

- Document: docx or pdf by content (``check_document``), within the task's size limit; stored as
  uploaded.
- Photo: jpg, png or webp by content, verified and re-encoded by ``media.validators.images``
  (EXIF and location dropped, decompression bombs refused from the header), with a thumbnail.
  HEIC is not accepted: no HEIF decoder (pillow-heif) is installed, so it could not be verified.
- Video: mp4, mov or webm by content; its real duration measured from the packets by
  ``media.validators.videos`` (PyAV) and refused over the task's limit with the duration found.
  The upload is never read whole into memory: Django spools anything over
  FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, PyAV reads that file by path, and the storage
  moves (or copies in chunks) it into place.

The heavy checks run before the summary row is locked; files stored before a later failure are
removed again, so a refusal leaves nothing behind.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sciweek.common.errors import ServiceError
from sciweek.common.uploads import check_document, safe_filename
from sciweek.media.validators.images import process_photo
from sciweek.media.validators.videos import probe_short_video

from .enums import FileKind
from .models import AreaSummary, SummaryFile
from .services import _record, _require_editable

DOCUMENT_EXTENSIONS = ("pdf", "docx")
VIDEO_TYPES = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}
# Enough for any summary; a bound so one area cannot fill the disk.
MAX_FILES = {FileKind.DOCUMENT: 5, FileKind.PHOTO: 60, FileKind.VIDEO: 5}


def _check_video(upload: UploadedFile, task) -> tuple:
    return probe_short_video(
        upload,
        max_seconds=task.max_video_seconds,
        max_bytes=task.video_max_bytes,
        types=VIDEO_TYPES,
    )


def file_add(
    *, summary: AreaSummary, kind: str, upload: UploadedFile, by, caption: str = ""
) -> SummaryFile:
    """Check and store one file of the summary. Writes ``summary.file_add``."""
    if kind not in FileKind.values:
        raise ServiceError(_("Choose what the file is: report, photo or video."), code="bad_kind")
    if upload is None:
        raise ServiceError(_("Choose a file."), code="file_required")
    if upload.size == 0:
        raise ServiceError(_("%(name)s is empty.") % {"name": upload.name}, code="file_empty")
    task = summary.task
    _require_editable(summary)  # early answer; checked again under the lock
    caption = (caption or "").strip()[:200]

    item = SummaryFile(kind=kind, caption=caption, uploaded_by=by)
    thumbnail = None
    if kind == FileKind.DOCUMENT:
        checked = check_document(
            upload, allowed=DOCUMENT_EXTENSIONS, max_bytes=task.document_max_bytes
        )
        extension, item.content_type, content = checked.extension, checked.mime, upload
        item.size = upload.size
    elif kind == FileKind.PHOTO:
        photo = process_photo(upload, max_bytes=task.photo_max_bytes)
        extension, item.content_type = photo.extension, photo.mime
        content, thumbnail = ContentFile(photo.content), photo.thumbnail
        item.size, item.width, item.height = len(photo.content), photo.width, photo.height
    else:
        probed = _check_video(upload, task)
        extension, item.content_type, content = probed.extension, probed.mime, upload
        item.size, item.width, item.height = upload.size, probed.width, probed.height
        item.duration_seconds, thumbnail = probed.duration, probed.poster
    item.original_name = safe_filename(upload.name, extension)
    item.storage_key = SummaryFile.new_key(extension)

    try:
        with transaction.atomic():
            summary = (
                AreaSummary.objects.select_for_update().select_related("task").get(pk=summary.pk)
            )
            _require_editable(summary)
            if summary.files.filter(kind=kind).count() >= MAX_FILES[kind]:
                raise ServiceError(
                    _("A summary holds at most %(n)d files of this kind; remove one first.")
                    % {"n": MAX_FILES[kind]},
                    code="too_many_files",
                )
            item.summary = summary
            upload.seek(0)
            item.file.save(item.storage_key, content, save=False)
            if thumbnail:
                item.thumbnail.save("x-thumb.jpg", ContentFile(thumbnail), save=False)
            item.save()
            _record(
                summary,
                by,
                "summary.file_add",
                after={
                    "kind": kind,
                    "file": item.original_name,
                    "size": filesizeformat(item.size),
                    **({"duration": item.duration_seconds} if item.duration_seconds else {}),
                },
            )
    except BaseException:
        for field in (item.file, item.thumbnail):
            if field:
                field.storage.delete(field.name)
        raise
    return item


def file_remove(*, item: SummaryFile, by) -> None:
    """Remove a file while the summary is editable. Writes ``summary.file_remove``."""
    with transaction.atomic():
        summary = AreaSummary.objects.select_for_update().get(pk=item.summary_id)
        _require_editable(summary)
        item.delete()  # its stored files go once this commits (ReportsConfig.ready)
        _record(
            summary,
            by,
            "summary.file_remove",
            after={"kind": item.kind, "file": item.original_name},
        )


@transaction.atomic
def file_caption(*, item: SummaryFile, caption: str, by) -> SummaryFile:
    summary = AreaSummary.objects.select_for_update().get(pk=item.summary_id)
    _require_editable(summary)
    item.caption = (caption or "").strip()[:200]
    item.save(update_fields=["caption", "updated_at"])
    _record(summary, by, "summary.file_caption", after={"file": item.original_name})
    return item
