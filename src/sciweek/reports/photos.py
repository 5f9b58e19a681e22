"""The photo shown with each key activity in the city report: the one the organiser chose on the
compile page (``ReportPhoto``), else the one featured in the online hall, else the first."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from sciweek.activities.models import Activity
from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.audit import writer as audit
from sciweek.common.errors import ServiceError
from sciweek.media.enums import MediaKind
from sciweek.media.models import MediaItem

from .models import ReportingTask, ReportPhoto


def key_activities(edition):
    """The activities the report's 重点活动 section tells, in its order."""
    return (
        Activity.objects.filter(edition=edition, state__in=PUBLIC_STATES)
        .filter(Q(is_key=True) | Q(category__code__in=("launch", "exhibition")))
        .order_by("-is_key", "area__path", "id")
    )


def _photos():
    return MediaItem.objects.filter(kind=MediaKind.PHOTO, is_hidden=False)


def photos_for(task: ReportingTask, activities) -> dict:
    """Each activity's photo for the report, in two queries: the organiser's choice, else the
    photo featured in the hall, else the first."""
    ids = [a.pk for a in activities]
    chosen = {
        p.activity_id: p.item
        for p in ReportPhoto.objects.filter(
            task=task, activity__in=ids, item__is_hidden=False
        ).select_related("item")
    }
    photos: dict = dict(chosen)
    items = (
        _photos()
        .filter(activity__in=[pk for pk in ids if pk not in chosen])
        .order_by("activity_id", "-is_featured", "created_at", "id")
    )
    for item in items.iterator(chunk_size=500):
        photos.setdefault(item.activity_id, item)
    return photos


def choosing_list(task: ReportingTask):
    """The compile page's list: each key activity with its photos (a fixed number of queries)."""
    activities = list(
        key_activities(task.edition)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "media_items", queryset=_photos().order_by("created_at", "id"), to_attr="photos"
            )
        )
    )
    current = photos_for(task, activities)
    return [(a, a.photos, current.get(a.pk)) for a in activities if a.photos]


@transaction.atomic
def report_photo_choose(*, task: ReportingTask, item: MediaItem, by) -> ReportPhoto:
    """The organiser's choice of ``item`` for its activity in the city report. Only a visible
    photo of a key activity of the task's edition. Writes ``report.photo``."""
    activity = item.activity
    if (
        item.kind != MediaKind.PHOTO
        or item.is_hidden
        or not key_activities(task.edition).filter(pk=activity.pk).exists()
    ):
        raise ServiceError(
            _("Only a visible photo of one of the report's key activities can be chosen."),
            code="not_choosable",
        )
    photo, _created = ReportPhoto.objects.update_or_create(
        task=task, activity=activity, defaults={"item": item, "chosen_by": by}
    )
    audit.record(
        actor=by,
        action="report.photo",
        obj=task,
        organization_id=task.edition.organizer_id,
        after={"activity": activity.pk, "photo": item.pk},
    )
    return photo
