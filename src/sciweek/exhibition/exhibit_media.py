"""The photos and the short video of an exhibit, checked like every other media upload:
photos proved by content and re-encoded without EXIF (``media.validators.images``), the video's
real duration measured from its packets and refused over three minutes
(``media.validators.videos``). Added and removed by the submitter while the exhibit is a draft or
returned; each change is an audit entry of the exhibit."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.uploads import safe_filename
from sciweek.media.validators.images import process_photo
from sciweek.media.validators.videos import probe_short_video

from .enums import EXHIBIT_MEDIA_LIMITS, EXHIBIT_VIDEO_MAX_SECONDS, ExhibitMediaKind
from .models import Exhibit, ExhibitMedia


def _require_editable(exhibit: Exhibit) -> None:
    if not exhibit.is_editable:
        raise ServiceError(
            _("Photos and the video can be changed only while the exhibit is a draft or returned."),
            code="not_editable",
        )


def exhibit_media_add(
    *, exhibit: Exhibit, kind: str, upload: UploadedFile | None, by, alt_text: str = ""
) -> ExhibitMedia:
    """Check and store one photo (at most 6) or the video (one, ≤ 3 minutes). Writes
    ``exhibit.media_add``; files stored before a later refusal are removed again."""
    if by is None or not by.has_perm("exhibition.change_exhibit", exhibit):
        raise PermissionRefused(_("You may not do this with this exhibit."))
    if kind not in ExhibitMediaKind.values:
        raise ServiceError(_("Choose what the file is: photo or video."), code="bad_kind")
    if upload is None:
        raise ServiceError(_("Choose a file."), code="file_required")
    if upload.size == 0:
        raise ServiceError(_("%(name)s is empty.") % {"name": upload.name}, code="file_empty")
    alt_text = (alt_text or "").strip()[:200]
    if kind == ExhibitMediaKind.PHOTO and not alt_text:
        raise ServiceError(
            _("Describe the photo for people who cannot see it (alternative text)."),
            code="alt_text_required",
        )
    _require_editable(exhibit)  # early answer, before a long check; again under the lock
    key = uuid.uuid4()
    item = ExhibitMedia(key=key, kind=kind, alt_text=alt_text, uploaded_by=by)
    # The heavy checks run before any row is locked.
    if kind == ExhibitMediaKind.VIDEO:
        probed = probe_short_video(upload, max_seconds=EXHIBIT_VIDEO_MAX_SECONDS)
        extension, item.content_type, content = probed.extension, probed.mime, upload
        item.size, item.width, item.height = upload.size, probed.width, probed.height
        item.duration_seconds, thumbnail = probed.duration, probed.poster
    else:
        photo = process_photo(upload)
        extension, item.content_type = photo.extension, photo.mime
        content, thumbnail = ContentFile(photo.content), photo.thumbnail
        item.size, item.width, item.height = len(photo.content), photo.width, photo.height
    item.original_name = safe_filename(upload.name, extension)
    try:
        with transaction.atomic():
            exhibit = Exhibit.objects.select_for_update().get(pk=exhibit.pk)
            _require_editable(exhibit)
            limit = EXHIBIT_MEDIA_LIMITS[kind]
            if exhibit.media.filter(kind=kind).count() >= limit:
                message = (
                    _("An exhibit has at most %(n)d photos; remove one first.")
                    if kind == ExhibitMediaKind.PHOTO
                    else _("An exhibit has one video; remove it first.")
                )
                raise ServiceError(message % {"n": limit}, code="too_many_files")
            item.exhibit = exhibit
            upload.seek(0)
            item.file.save(f"{key.hex}.{extension}", content, save=False)
            item.thumbnail.save(f"{key.hex}-thumb.jpg", ContentFile(thumbnail), save=False)
            item.save()
            audit.record(
                actor=by, action="exhibit.media_add", obj=exhibit,
                organization_id=exhibit.submitter_id,
                after={"kind": kind, "file": item.original_name,
                       "size": filesizeformat(item.size),
                       **({"duration": item.duration_seconds} if item.duration_seconds else {})},
            )  # fmt: skip
    except BaseException:
        for field in (item.file, item.thumbnail):
            if field:
                field.storage.delete(field.name)
        raise
    return item


@transaction.atomic
def exhibit_media_remove(*, item: ExhibitMedia, by) -> None:
    """Remove a photo or the video while the exhibit is editable; the files go once committed
    (``receivers``). Writes ``exhibit.media_remove``."""
    exhibit = Exhibit.objects.select_for_update().get(pk=item.exhibit_id)
    if by is None or not by.has_perm("exhibition.change_exhibit", exhibit):
        raise PermissionRefused(_("You may not do this with this exhibit."))
    _require_editable(exhibit)
    audit.record(
        actor=by, action="exhibit.media_remove", obj=exhibit,
        organization_id=exhibit.submitter_id,
        before={"kind": item.kind, "file": item.original_name},
    )  # fmt: skip
    item.delete()
