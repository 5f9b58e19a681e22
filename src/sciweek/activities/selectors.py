"""Reads for activities: visibility (mirroring rules.py) and the joins every list needs, so a
list issues the same number of queries for 1 row as for 100."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.campaigns.enums import PUBLIC_EDITION_STATUSES, EditionStatus
from sciweek.campaigns.models import Edition
from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.rules import is_organizer_staff, is_platform_admin
from sciweek.organizations.selectors import organizations_acted_for

from .enums import LARGE_EVENT_THRESHOLD, ActivityState
from .models import Activity, AudienceTag, Session
from .rules import HOST_KINDS, is_city_reviewer
from .workflow import PUBLIC_STATES


def with_list_joins(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Joins and per-activity session figures for lists. The figures are subqueries, not
    aggregates over a join, so filters on sessions elsewhere cannot skew them; a list orders on
    the maintained ``Activity.first_start`` (indexed), so they are computed for one page only."""
    sessions = Session.objects.filter(activity=OuterRef("pk"))
    return (
        qs.select_related("host", "area", "category", "edition", "focus_area")
        .prefetch_related(
            "audience_tags", Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))
        )
        .annotate(
            last_end=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
            largest_session=Subquery(sessions.order_by("-capacity").values("capacity")[:1]),
            total_capacity=Subquery(
                sessions.values("activity").annotate(total=Sum("capacity")).values("total")
            ),
        )
    )


def public_activities(edition: Edition | None = None) -> QuerySet[Activity]:
    """What the public sees: published and held activities of public editions. The public
    site, the API for anonymous callers and the booking endpoints all start here."""
    qs = Activity.objects.public().filter(edition__status__in=PUBLIC_EDITION_STATUSES)
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs


def public_sessions() -> QuerySet[Session]:
    """Sessions of public activities, with what the booking pages and the API show. The page
    and the API find the session to book in here; ``book()`` refuses one whose activity takes
    no bookings."""
    return Session.objects.select_related("activity", "activity__edition", "activity__host").filter(
        activity__in=public_activities()
    )


def bookable_activities(qs: QuerySet[Activity], now=None) -> QuerySet[Activity]:
    """The activities of ``qs`` with a public session ``book()`` accepts now (a place left or
    a waiting list): the public list's ``bookable`` and the API's ``bookable=true``."""
    # Correlated (EXISTS per activity), so a list walking its index in order checks the
    # sessions of the rows it shows instead of first collecting every bookable session.
    sessions = Session.objects.filter(activity=OuterRef("pk")).bookable(now)
    # (``bookable`` keeps to public activities taking bookings; the edition must be public too.)
    return qs.filter(Exists(sessions), edition__status__in=PUBLIC_EDITION_STATUSES)


def activities_visible_to(user) -> QuerySet[Activity]:
    """Every activity ``user`` may open: public ones, their own organisations' (drafts too), and
    submitted ones they review (area reviewers their area, the city everything)."""
    public = Q(state__in=PUBLIC_STATES)
    if not getattr(user, "is_authenticated", False):
        return Activity.objects.filter(public)
    if is_platform_admin(user) or is_organizer_staff(user):
        reviewable = Q(submitted_at__isnull=False)
    else:
        areas = access_for(user).area_ids(Role.REVIEWER, Role.ADMIN)
        reviewable = Q(submitted_at__isnull=False, host__area_id__in=areas)
    own = Q(host__in=organizations_acted_for(user))
    return Activity.objects.filter(public | own | reviewable)


def own_activities(user) -> QuerySet[Activity]:
    """Activities hosted by organisations the user speaks for ("my activities")."""
    return Activity.objects.filter(host__in=organizations_acted_for(user))


def office_activities(user) -> QuerySet[Activity]:
    """The back office's activity list. The city (its staff, the platform admin): every activity
    it may open; an area's admins and reviewers: those of their area they may open, and their
    own; anyone else: their own organisations' (as ``own_activities``)."""
    visible = activities_visible_to(user)
    if is_platform_admin(user) or is_organizer_staff(user):
        return visible
    areas = access_for(user).area_ids(Role.REVIEWER, Role.ADMIN)
    return visible.filter(
        Q(area_id__in=areas)
        | Q(host__area_id__in=areas)
        | Q(host__in=organizations_acted_for(user))
    )


def area_review_queue(user) -> QuerySet[Activity]:
    areas = access_for(user).area_ids(Role.REVIEWER, Role.ADMIN)
    return Activity.objects.filter(state=ActivityState.PENDING_AREA, host__area_id__in=areas)


def city_review_queue(user) -> QuerySet[Activity]:
    if not is_city_reviewer(user):
        return Activity.objects.none()
    return Activity.objects.filter(state=ActivityState.PENDING_CITY)


@dataclass
class ActivityFilters:
    """The filters every activity list offers (back office, exports, API)."""

    state: str = ""
    area: int | None = None
    category: int | None = None
    edition: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    is_key: bool | None = None
    audience: str = ""
    mode: str = ""
    q: str = ""
    host: int | None = None
    is_large: bool | None = None
    has_media: bool | None = None


def filter_activities(qs: QuerySet[Activity], f: ActivityFilters) -> QuerySet[Activity]:
    if f.state:
        qs = qs.filter(state=f.state)
    if f.edition:
        qs = qs.filter(edition_id=f.edition)
    if f.area:
        qs = qs.filter(area_id=f.area)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.mode:
        qs = qs.filter(mode=f.mode)
    if f.host:
        qs = qs.filter(host_id=f.host)
    if f.is_key is not None:
        qs = qs.filter(is_key=f.is_key)
    if f.is_large is not None:
        # ``checks.is_large_event`` in SQL: the expected participants, or a (local) day's
        # sessions at the venue, which is at least any one session's capacity.
        big_days = (
            Session.objects.annotate(day=TruncDate("starts_at"))
            .values("activity_id", "day")
            .annotate(people=Sum("capacity"))
            .filter(people__gte=LARGE_EVENT_THRESHOLD)
            .values("activity_id")
        )
        large = Q(expected_participants__gte=LARGE_EVENT_THRESHOLD) | Q(pk__in=big_days)
        qs = qs.filter(large if f.is_large else ~large)
    if f.has_media is not None:
        # Photos and videos (the media app's, by their reverse name) or a media report.
        with_media = Activity.objects.filter(
            Q(media_items__isnull=False) | Q(coverage__isnull=False)
        ).values("pk")
        qs = qs.filter(pk__in=with_media) if f.has_media else qs.exclude(pk__in=with_media)
    # Filters on many-valued relations go through subqueries so rows are never duplicated.
    if f.audience:
        qs = qs.filter(pk__in=AudienceTag.objects.filter(audience=f.audience).values("activity_id"))
    if f.date_from or f.date_to:
        sessions = Session.objects.all()
        if f.date_from:
            sessions = sessions.filter(ends_at__date__gte=f.date_from)
        if f.date_to:
            sessions = sessions.filter(starts_at__date__lte=f.date_to)
        qs = qs.filter(pk__in=sessions.values("activity_id"))
    if f.q:
        # icontains works for Chinese on both databases (no word splitting needed).
        qs = qs.filter(
            Q(title__icontains=f.q)
            | Q(host__name__icontains=f.q)
            | Q(venue_name__icontains=f.q)
            | Q(address__icontains=f.q)
        )
    return qs


# The orders an activity list offers (back office and API), each ending on the id so pages
# never overlap: first session, filing (newest first), title, area.
ORDERINGS = {
    "start": (F("first_start").asc(nulls_last=True), "id"),
    "-start": (F("first_start").desc(nulls_last=True), "-id"),
    "filed": ("-created_at", "-id"),
    "title": ("title", "id"),
    "area": ("area__path", F("first_start").asc(nulls_last=True), "id"),
}


def order_activities(qs: QuerySet[Activity], ordering: str, default: str = "start"):
    """``qs`` (with ``with_list_joins``' figures) in one of ``ORDERINGS``; unknown: ``default``."""
    return qs.order_by(*ORDERINGS.get(ordering) or ORDERINGS[default])


def state_counts(qs: QuerySet[Activity], cap: int | None = None) -> dict[str, int]:
    """How many of ``qs`` are in each state, for a list's state tabs: one GROUP BY, or with
    ``cap`` a bounded count per state (at most ``cap + 1`` each, read from the state indexes),
    so the tabs cost the same at 100,000 activities as at 1,000."""
    if cap is None:
        rows = qs.order_by().values_list("state").annotate(n=models.Count("pk"))
        return dict(rows)
    counts = {
        state: qs.filter(state=state).order_by()[: cap + 1].count()
        for state in ActivityState.values
    }
    return {state: n for state, n in counts.items() if n}


def hosts_for(user):
    """Organisations the user may file activities for."""
    return organizations_acted_for(user).filter(kind__in=HOST_KINDS).order_by("path")


def editions_open_for_filing():
    # A week that is over takes no new activities (series activities are filed in the current one).
    return Edition.objects.filter(
        status=EditionStatus.PUBLISHED, end_date__gte=timezone.localdate()
    ).order_by("-year")


def history_of(activity):
    """The activity's audit trail, oldest first: every edit and every workflow step."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Activity), object_id=str(activity.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
