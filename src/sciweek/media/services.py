"""Writes for activity media. Each runs in one transaction and writes its audit entry against
the activity, so uploads, hiding and curation show in the activity's history."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.activities.models import Activity
from sciweek.audit import writer as audit
from sciweek.common.errors import ServiceError
from sciweek.common.uploads import safe_filename

from .enums import MEDIA_OPEN_STATES, MOVING_KINDS, MediaKind
from .models import MediaItem
from .validators.images import process_photo
from .validators.videos import probe_video


def _record(activity: Activity, by, action: str, **kwargs) -> None:
    audit.record(actor=by, action=action, obj=activity, organization_id=activity.host_id, **kwargs)


def media_upload(
    *,
    activity: Activity,
    kind: str,
    upload: UploadedFile,
    by,
    title: str = "",
    alt_text: str = "",
) -> MediaItem:
    """Check, clean and store one photo, micro-video or micro-animation.

    Photos are re-encoded (EXIF and location dropped, orientation applied) with a ≤ 480 px
    thumbnail; videos are stored as uploaded (streamed, never read whole into memory) with
    their measured duration and a poster frame. Writes ``activity.media_add``. Files stored
    before a later failure are removed again.
    """
    title, alt_text = title.strip(), alt_text.strip()
    if kind not in MediaKind.values:
        raise ServiceError(_("Unknown kind of media."), code="bad_kind")
    if kind == MediaKind.PHOTO and not alt_text:
        raise ServiceError(
            _("Describe the photo for people who cannot see it (alternative text)."),
            code="alt_text_required",
        )
    # The heavy checks run before any lock or row exists: a slow 200 MB probe must not hold
    # the activity row locked.
    key = uuid.uuid4()
    if kind in MOVING_KINDS:
        probed = probe_video(upload)
        extension, mime, content = probed.extension, probed.mime, upload
        width, height, duration = probed.width, probed.height, probed.duration
        thumbnail, size = probed.poster, upload.size
    else:
        photo = process_photo(upload)
        extension, mime = photo.extension, photo.mime
        content = ContentFile(photo.content)
        width, height, duration = photo.width, photo.height, None
        thumbnail, size = photo.thumbnail, len(photo.content)

    item = MediaItem(
        key=key,
        kind=kind,
        title=title[:120],
        alt_text=alt_text[:200],
        original_name=safe_filename(upload.name, extension),
        content_type=mime,
        size=size,
        width=width,
        height=height,
        duration_seconds=duration,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            if activity.state not in MEDIA_OPEN_STATES:
                raise ServiceError(
                    _("Media cannot be added to an activity that is “%(state)s”.")
                    % {"state": activity.get_state_display()},
                    code="not_open_for_media",
                )
            item.activity = activity
            item.file.save(f"{key.hex}.{extension}", content, save=False)
            item.thumbnail.save(f"{key.hex}-thumb.jpg", ContentFile(thumbnail), save=False)
            item.save()
            _record(
                activity,
                by,
                "activity.media_add",
                after={"kind": kind, "file": item.original_name, "title": item.title},
            )
    except BaseException:
        for field in (item.file, item.thumbnail):
            if field:
                field.storage.delete(field.name)
        raise
    return item


@transaction.atomic
def media_hide(*, item: MediaItem, by, reason: str) -> MediaItem:
    """Hide an item from the public (and from the hall). A reason is required."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give the reason for hiding this item."), code="reason_required")
    item = MediaItem.objects.select_for_update().select_related("activity").get(pk=item.pk)
    if item.is_hidden:
        raise ServiceError(_("This item is already hidden."), code="already_hidden")
    item.is_hidden = True
    item.hidden_by = by
    item.hidden_at = timezone.now()
    item.hidden_reason = reason[:200]
    item.save(update_fields=["is_hidden", "hidden_by", "hidden_at", "hidden_reason"])
    _record(
        item.activity, by, "activity.media_hide", after={"file": item.original_name}, reason=reason
    )
    return item


@transaction.atomic
def media_unhide(*, item: MediaItem, by) -> MediaItem:
    item = MediaItem.objects.select_for_update().select_related("activity").get(pk=item.pk)
    if not item.is_hidden:
        raise ServiceError(_("This item is not hidden."), code="not_hidden")
    item.is_hidden = False
    item.hidden_by = None
    item.hidden_at = None
    item.hidden_reason = ""
    item.save(update_fields=["is_hidden", "hidden_by", "hidden_at", "hidden_reason"])
    _record(item.activity, by, "activity.media_unhide", after={"file": item.original_name})
    return item


@transaction.atomic
def media_feature(*, item: MediaItem, featured: bool, by) -> MediaItem:
    """Put an item in the online hall or take it out. Only visible items of public activities
    can be featured: the hall is public."""
    item = MediaItem.objects.select_for_update().select_related("activity").get(pk=item.pk)
    if featured and (item.is_hidden or not item.activity.is_public):
        raise ServiceError(
            _("Only visible media of a published or held activity can be shown in the hall."),
            code="not_featurable",
        )
    if item.is_featured == featured:
        return item
    item.is_featured = featured
    item.featured_at = timezone.now() if featured else None
    item.save(update_fields=["is_featured", "featured_at"])
    _record(
        item.activity,
        by,
        "activity.media_feature" if featured else "activity.media_unfeature",
        after={"file": item.original_name},
    )
    return item


@transaction.atomic
def media_delete(*, item: MediaItem, by) -> None:
    """Delete an item and, once committed, its files (``receivers._delete_files``, which
    also covers an activity deleted with its media)."""
    item = MediaItem.objects.select_for_update().select_related("activity").get(pk=item.pk)
    _record(
        item.activity,
        by,
        "activity.media_delete",
        before={"kind": item.kind, "file": item.original_name},
    )
    item.delete()
