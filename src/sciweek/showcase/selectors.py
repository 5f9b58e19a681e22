"""Reads for the public site. Only published and held activities of public editions exist here;
everything else answers 404."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from sciweek.activities.models import Session
from sciweek.activities.selectors import (
    ActivityFilters,
    bookable_activities,
    filter_activities,
    public_activities,
    with_list_joins,
)
from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.campaigns.enums import PUBLIC_EDITION_STATUSES
from sciweek.campaigns.models import Edition
from sciweek.common.pagination import capped_count
from sciweek.organizations.models import Organization


def public_editions() -> QuerySet[Edition]:
    return Edition.objects.public().order_by("-year")


def search_public(edition: Edition, filters: ActivityFilters, *, only_bookable: bool = False):
    qs = filter_activities(public_activities(edition), filters)
    if only_bookable:
        qs = bookable_activities(qs)
    return with_list_joins(qs).order_by("first_start", "id")


def key_activities(edition: Edition, limit: int = 6):
    return with_list_joins(public_activities(edition).filter(is_key=True)).order_by("first_start")[
        :limit
    ]


def happening_on(edition: Edition, day: date):
    sessions = Session.objects.filter(starts_at__date__lte=day, ends_at__date__gte=day)
    return with_list_joins(
        public_activities(edition).filter(pk__in=sessions.values("activity_id"))
    ).order_by("first_start")


# The home page's chips count at most this many activities each ("1000+" beyond).
CHIP_COUNT_CAP = 1000


def _chip_count(qs) -> int | str:
    n = capped_count(qs, CHIP_COUNT_CAP)
    return n if n <= CHIP_COUNT_CAP else f"{CHIP_COUNT_CAP}+"


def category_counts(edition: Edition):
    """The edition's categories with public activities, each with ``n`` (a bounded count per
    category, read from its index: the same cost at 100,000 activities as at 1,000)."""
    public = public_activities(edition)
    categories = list(edition.categories.order_by("position"))
    for category in categories:
        category.n = _chip_count(public.filter(category=category))
    return [c for c in categories if c.n]


def area_counts(edition: Edition):
    """Every area with a public page, each with ``n`` (bounded as ``category_counts``)."""
    public = public_activities(edition)
    # An area without a short code has no public page to link to (and would not reverse).
    areas = list(Organization.objects.areas().exclude(slug="").order_by("path"))
    for area in areas:
        area.n = _chip_count(public.filter(area=area))
    return areas


# The calendar shows one day a page, at most this many sessions a page (``CappedPaginator``).
CALENDAR_PAGE_SIZE = 100
CALENDAR_MAX_PAGES = 20  # a day's count stops at 2,000 sessions


def calendar_days(edition: Edition) -> list[date]:
    """The days the calendar offers: the edition's, first to last."""
    days = (edition.end_date - edition.start_date).days + 1
    return [edition.start_date + timedelta(days=n) for n in range(max(days, 1))]


def sessions_on(edition: Edition, day: date) -> QuerySet[Session]:
    """The edition's public sessions starting on local ``day``, in order (a range on the
    indexed ``starts_at``, so a page costs the same however many days the edition has)."""
    if edition.status not in PUBLIC_EDITION_STATUSES:
        return Session.objects.none()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    # A join (not ``activity__in=public_activities()``): the planner walks the day's sessions
    # in order and looks each activity up, instead of hashing every public activity first.
    return (
        Session.objects.filter(
            activity__edition=edition,
            activity__state__in=PUBLIC_STATES,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("activity", "activity__host", "activity__area", "activity__category")
        .order_by("starts_at", "id")
    )
