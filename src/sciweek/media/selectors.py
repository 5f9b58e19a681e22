"""Reads for activity media and the online exhibition hall (云展厅).

The hall is a list of ``HallItem`` from one or more *sources*. Today the only source is
featured activity media; the launch ceremony's selected exhibits will be another function with
the same signature appended to ``HALL_SOURCES``, and the page will not change.

"Field" (领域) in the hall is the activity's focus area (主要内容) of the edition: categories
describe the *format* of an activity (open day, lecture…), focus areas its *subject*, and a
visitor browsing an exhibition browses by subject. Area is the activity's area (区县).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse

from sciweek.activities.models import Activity
from sciweek.campaigns.models import Edition, FocusArea
from sciweek.organizations.models import Organization

from .models import MediaItem


def public_media_of(activity: Activity) -> list[MediaItem]:
    """The gallery of a public activity page (the caller has checked the activity is public)."""
    return list(MediaItem.objects.visible().filter(activity=activity).order_by("created_at", "id"))


def office_media_of(activity: Activity) -> list[MediaItem]:
    return list(
        MediaItem.objects.filter(activity=activity)
        .select_related("uploaded_by", "hidden_by")
        .order_by("created_at", "id")
    )


def public_item(key) -> MediaItem | None:
    return MediaItem.objects.visible().filter(key=key).first()


def file_url(item: MediaItem) -> str:
    return reverse("showcase:media-file", args=[item.key, item.original_name])


def thumbnail_url(item: MediaItem) -> str:
    return reverse("showcase:media-thumbnail", args=[item.key])


@dataclass(frozen=True)
class HallItem:
    """One exhibit of the hall, whatever it comes from."""

    source: str
    kind: str
    title: str
    alt: str
    thumbnail_url: str
    url: str  # the full picture or video
    is_moving: bool
    duration_seconds: float | None
    activity_title: str
    activity_url: str
    area_id: int | None
    area_name: str
    field_id: int | None
    field_name: str
    featured_at: datetime | None


HallSource = Callable[..., list[HallItem]]


def featured_media(edition: Edition, *, area: int | None, field: int | None) -> list[HallItem]:
    qs: QuerySet[MediaItem] = (
        MediaItem.objects.visible()
        .filter(is_featured=True, activity__edition=edition)
        .select_related("activity", "activity__area", "activity__focus_area")
    )
    if area is not None:
        qs = qs.filter(activity__area_id=area)
    if field is not None:
        qs = qs.filter(activity__focus_area_id=field)
    return [
        HallItem(
            source="media",
            kind=item.kind,
            title=item.title or item.activity.title,
            alt=item.label,
            thumbnail_url=thumbnail_url(item),
            url=file_url(item),
            is_moving=item.is_moving,
            duration_seconds=item.duration_seconds,
            activity_title=item.activity.title,
            activity_url=reverse("showcase:activity-detail", args=[item.activity_id]),
            area_id=item.activity.area_id,
            area_name=item.activity.area.name if item.activity.area else "",
            field_id=item.activity.focus_area_id,
            field_name=item.activity.focus_area.title if item.activity.focus_area else "",
            featured_at=item.featured_at,
        )
        for item in qs.order_by("-featured_at", "-id")
    ]


HALL_SOURCES: list[HallSource] = [featured_media]


def hall_items(
    edition: Edition, *, area: int | None = None, field: int | None = None
) -> list[HallItem]:
    """Every source's items, most recently featured first."""
    items: list[HallItem] = []
    for source in HALL_SOURCES:
        items.extend(source(edition, area=area, field=field))
    items.sort(key=lambda i: i.featured_at.timestamp() if i.featured_at else 0, reverse=True)
    return items


def hall_filter_choices(edition: Edition) -> tuple[QuerySet[Organization], QuerySet[FocusArea]]:
    """Areas and fields that have at least one featured item, for the filter links."""
    featured = MediaItem.objects.visible().filter(is_featured=True, activity__edition=edition)
    areas = Organization.objects.filter(
        pk__in=featured.values("activity__area_id"), slug__gt=""
    ).order_by("path")
    fields = FocusArea.objects.filter(pk__in=featured.values("activity__focus_area_id")).order_by(
        "position", "id"
    )
    return areas, fields


def curation_candidates(edition: Edition | None) -> QuerySet[MediaItem]:
    """Items the organiser may feature: visible media of public activities."""
    qs = MediaItem.objects.visible().select_related("activity", "activity__area", "activity__host")
    if edition is not None:
        qs = qs.filter(activity__edition=edition)
    return qs.order_by("-is_featured", "-created_at", "-id")
