"""Reads for the public site. Only published and held activities of public editions exist here;
everything else answers 404."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
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


def category_counts(edition: Edition):
    return (
        edition.categories.annotate(
            n=Count("activities", filter=Q(activities__state__in=("published", "held")))
        )
        .filter(n__gt=0)
        .order_by("position")
    )


def area_counts(edition: Edition):
    return (
        Organization.objects.areas()
        # An area without a short code has no public page to link to (and would not reverse).
        .exclude(slug="")
        .annotate(
            n=Count(
                "area_activities",
                filter=Q(
                    area_activities__edition=edition,
                    area_activities__state__in=("published", "held"),
                ),
            )
        )
        .order_by("path")
    )


# The calendar shows one day a page, at most this many sessions a page (``CappedPaginator``).
CALENDAR_PAGE_SIZE = 100


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
