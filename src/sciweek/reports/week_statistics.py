"""The week's statistics, in one place: the organiser's dashboard, its Excel download and
``GET /api/v1/statistics/`` all read :func:`week_statistics`.

Every figure is an aggregate computed by the database over a fixed number of queries, whatever
the number of activities, sessions or bookings; Python only reshapes the grouped rows (areas ×
days, a few hundred at most). Who sees what follows the back office's activity list
(``office_activities``): the city everything, an area's staff their area, a unit itself.

The key figures share their definitions with the area summaries (``reports.figures``,
``reports.statistics``): activities are the published and held ones, people booked the confirmed
bookings' party sizes, onsite participants the recorded result or, where none was recorded, the
gate's check-ins (walk-ins included) and the gate's tally of visitors at unbooked sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncHour
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.activities.enums import LARGE_EVENT_THRESHOLD, ActivityState
from sciweek.activities.models import Activity, Category, MediaCoverage, Session
from sciweek.activities.selectors import ActivityFilters, filter_activities, office_activities
from sciweek.activities.workflow import PUBLIC_STATES, REVIEW_STATES
from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking, GateTally, SurveyAnswer
from sciweek.campaigns.enums import NoticeStatus
from sciweek.campaigns.models import Edition, NoticeRecipient
from sciweek.organizations.models import Organization

from .enums import BoardStatus, SummaryState
from .figures import FIXED_FIGURES
from .models import AreaSummary, ReportingTask

# The columns of "activities by area / by category": filed is everything submitted once.
STATE_BUCKETS = (
    ("filed", Q(submitted_at__isnull=False)),
    ("in_review", Q(state__in=REVIEW_STATES)),
    ("returned", Q(state=ActivityState.RETURNED)),
    ("published", Q(state=ActivityState.PUBLISHED)),
    ("held", Q(state=ActivityState.HELD)),
    ("cancelled", Q(state=ActivityState.CANCELLED)),
)
# Where each bucket's link points in the activity list (its ``state=`` filter).
BUCKET_STATE = {
    "filed": "",
    "in_review": "",
    "returned": ActivityState.RETURNED,
    "published": ActivityState.PUBLISHED,
    "held": ActivityState.HELD,
    "cancelled": ActivityState.CANCELLED,
}
KEY_FIGURES = ("activities", "sessions", "places", "bookings", "check_ins", "onsite", "online",
               "media_reports", "budget", "funds", "survey_answers", "satisfaction")  # fmt: skip


def bucket_labels() -> dict[str, str]:
    return {
        "filed": _("Filed"),
        "in_review": _("In review"),
        "returned": _("Returned"),
        "published": _("Published"),
        "held": _("Held"),
        "cancelled": _("Cancelled"),
    }


@dataclass(frozen=True)
class StatisticsFilters:
    """What the dashboard, the download and the API are asked for."""

    edition: Edition
    area: int | None = None
    category: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def activity_filters(self) -> ActivityFilters:
        return ActivityFilters(
            edition=self.edition.pk,
            area=self.area,
            category=self.category,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def query(self, **extra) -> dict:
        params = {"edition": self.edition.pk}
        for key in ("area", "category", "date_from", "date_to"):
            value = getattr(self, key)
            if value:
                params[key] = value.isoformat() if isinstance(value, date) else value
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return params


@dataclass
class _Links:
    filters: StatisticsFilters

    def activities(self, **extra) -> str:
        return reverse("dashboard:activity-list") + "?" + urlencode(self.filters.query(**extra))


def previous_edition(edition: Edition) -> Edition | None:
    return Edition.objects.filter(year__lt=edition.year).order_by("-year").first()


def scoped_activities(user, filters: StatisticsFilters):
    """The activities behind every figure: the office list's, filtered as asked."""
    return filter_activities(office_activities(user), filters.activity_filters())


def _number(value) -> int | float:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def key_figures(activities) -> dict[str, int | float]:
    """The key figures of ``activities`` (public ones count): 6 queries."""
    public = activities.filter(state__in=PUBLIC_STATES)
    totals = public.aggregate(
        activities=Count("id"),
        online=Sum("online_participants"),
        budget=Sum("budget"),
        # 经费投入 is what was spent (a held activity's actual cost), not what was planned.
        funds=Sum("actual_cost"),
        recorded_onsite=Sum("onsite_participants"),
    )
    # People booked: the places taken (the confirmed bookings' party sizes, kept by the services).
    sessions = Session.objects.filter(activity__in=public).aggregate(
        sessions=Count("id"), places=Sum("capacity"), bookings=Sum("places_taken")
    )
    people = Booking.objects.filter(
        session__activity__in=public, checked_in_at__isnull=False
    ).aggregate(
        check_ins=Sum("party_size"),
        # Onsite: the recorded result where there is one, the gate's count where there is not.
        gate_onsite=Sum(
            "party_size", filter=Q(session__activity__onsite_participants__isnull=True)
        ),
    )
    media = MediaCoverage.objects.filter(activity__in=public).count()
    survey = SurveyAnswer.objects.filter(session__activity__in=public).aggregate(
        survey_answers=Count("id"), satisfaction=Avg("rating")
    )
    if survey["satisfaction"] is not None:
        survey["satisfaction"] = round(Decimal(str(survey["satisfaction"])), 2)
    # Visitors counted at the gate of sessions nobody books (the tally), where no result says.
    tallied = GateTally.objects.filter(
        session__activity__in=public, session__activity__onsite_participants__isnull=True
    ).aggregate(n=Sum("delta"))["n"]
    figures = {**totals, **sessions, **people, **survey, "media_reports": media}
    figures["onsite"] = (
        (totals["recorded_onsite"] or 0) + (people["gate_onsite"] or 0) + (tallied or 0)
    )
    return {key: _number(figures.get(key)) for key in KEY_FIGURES}


def key_figure_labels() -> dict[str, str]:
    labels = {key: str(label) for key, label, _source in FIXED_FIGURES}
    labels["activities"] = _("Activities")
    labels["places"] = _("Places")
    labels["survey_answers"] = _("Survey answers")
    labels["satisfaction"] = _("Average satisfaction (1–5)")
    return labels


def _previous_activities(user, filters: StatisticsFilters, previous: Edition):
    """The same scope in the previous edition: the same area, the category of the same code."""
    category = None
    if filters.category:
        code = Category.objects.filter(pk=filters.category).values("code")
        category = Category.objects.filter(edition=previous, code__in=code).values("pk")
    qs = office_activities(user).filter(edition=previous)
    if filters.area:
        qs = qs.filter(area_id=filters.area)
    if category is not None:
        qs = qs.filter(category_id__in=category)
    return qs


def _state_table(activities, group: str, names: dict, links: _Links, link_key: str) -> dict:
    labels = bucket_labels()
    rows = (
        activities.order_by()
        .values(group)
        .annotate(**{key: Count("id", filter=q) for key, q in STATE_BUCKETS})
    )
    by_id = {row[group]: row for row in rows}
    out = []
    for pk, name in names.items():
        row = by_id.get(pk, {})
        counts = {key: row.get(key, 0) for key, _q in STATE_BUCKETS}
        out.append(
            {
                "id": pk,
                "name": name,
                "counts": counts,
                "urls": {
                    key: links.activities(**{link_key: pk, "state": BUCKET_STATE[key]})
                    for key, _q in STATE_BUCKETS
                },
            }
        )
    return {"columns": [{"key": k, "label": labels[k]} for k, _q in STATE_BUCKETS], "rows": out}


def _local_day(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def week_statistics(user, filters: StatisticsFilters, *, today: date | None = None) -> dict:
    """Every figure of the dashboard for ``user`` (a fixed number of queries)."""
    today = today or timezone.localdate()
    links = _Links(filters)
    edition = filters.edition
    activities = scoped_activities(user, filters)
    tz = timezone.get_current_timezone()

    # Areas (the rows of the area tables and the tiles): those the scope may show.
    area_qs = Organization.objects.areas().order_by("path")
    visible_area_ids = set(activities.order_by().values_list("area_id", flat=True).distinct())
    if filters.area:
        area_qs = area_qs.filter(pk=filters.area)
    areas_all = list(area_qs.values_list("pk", "name"))
    short_names = dict(area_qs.exclude(short_name="").values_list("pk", "short_name"))
    from sciweek.organizations.rules import is_organizer_staff, is_platform_admin

    city_wide = is_platform_admin(user) or is_organizer_staff(user)
    if not city_wide:
        from sciweek.organizations.access import access_for
        from sciweek.organizations.enums import Role

        mine = access_for(user).area_ids(Role.ADMIN, Role.REVIEWER) | visible_area_ids
        areas_all = [(pk, name) for pk, name in areas_all if pk in mine]
    area_names = dict(areas_all)

    categories = list(
        Category.objects.filter(
            edition=edition, **({"pk": filters.category} if filters.category else {})
        )
        .order_by("position", "id")
        .values_list("pk", "name")
    )

    # 1. Key figures, with the previous edition's beside them.
    current = key_figures(activities)
    previous = previous_edition(edition)
    before = key_figures(_previous_activities(user, filters, previous)) if previous else None
    labels = key_figure_labels()
    key_urls = {
        "activities": links.activities(),
        "sessions": links.activities(),
        "places": links.activities(),
        "bookings": links.activities(),
        "check_ins": links.activities(),
        "onsite": links.activities(state=ActivityState.HELD),
        "online": links.activities(state=ActivityState.HELD),
        "media_reports": links.activities(has_media="true"),
        "budget": links.activities(),
        "funds": links.activities(state=ActivityState.HELD),
        "survey_answers": links.activities(state=ActivityState.HELD),
        "satisfaction": links.activities(state=ActivityState.HELD),
    }
    key = [
        {
            "key": k,
            "label": labels[k],
            "value": current[k],
            "previous": before[k] if before else None,
            "url": key_urls[k],
        }
        for k in KEY_FIGURES
    ]

    # 2. Activities by area and by category, per state bucket.
    by_area = _state_table(activities, "area_id", area_names, links, "area")
    by_category = _state_table(activities, "category_id", dict(categories), links, "category")

    # 3. Sessions per day (calendar heat map) with capacity; bookings per day and area.
    public = activities.filter(state__in=PUBLIC_STATES)
    sessions = Session.objects.filter(activity__in=public)
    if filters.date_from:
        sessions = sessions.filter(ends_at__date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(starts_at__date__lte=filters.date_to)
    now = timezone.now()
    ended = Q(ends_at__lt=now)
    # Places taken are the confirmed bookings' party sizes (kept under the session's lock by
    # every booking service), so "booked" reads the 300,000 sessions, not a million bookings.
    session_rows = (
        sessions.annotate(day=TruncDate("starts_at", tzinfo=tz), area_id=F("activity__area_id"))
        .order_by()
        .values("day", "area_id")
        .annotate(
            sessions=Count("id"),
            capacity=Sum("capacity"),
            booked=Sum("places_taken"),
            booked_ended=Sum("places_taken", filter=ended),
        )
    )
    by_session_day = {
        "day": TruncDate("session__starts_at", tzinfo=tz),
        "area_id": F("session__activity__area_id"),
    }
    waiting_rows = (
        Booking.objects.filter(session__in=sessions, status=BookingStatus.WAITING)
        .annotate(**by_session_day)
        .order_by()
        .values("day", "area_id")
        .annotate(waiting=Sum("party_size"))
    )
    # Check-ins (a partial index holds them): per session day, area and hour of check-in.
    check_in_rows = list(
        Booking.objects.filter(session__in=sessions, checked_in_at__isnull=False)
        .annotate(**by_session_day, hour=TruncHour("checked_in_at", tzinfo=tz))
        .order_by()
        .values("day", "area_id", "hour")
        .annotate(
            checked_in=Sum("party_size"),
            came_ended=Sum(
                "party_size",
                filter=Q(status=BookingStatus.CONFIRMED, session__ends_at__lt=now),
            ),
        )
    )
    booking_rows = [*waiting_rows, *check_in_rows]
    zero = {
        "sessions": 0,
        "capacity": 0,
        "booked": 0,
        "waiting": 0,
        "checked_in": 0,
        "booked_ended": 0,
        "came_ended": 0,
    }
    per_day: dict[str, dict] = {}
    per_area: dict[int, dict] = {pk: dict(zero) for pk in area_names}
    for rows in (session_rows, booking_rows):
        for row in rows:
            day = _local_day(row["day"])
            target_day = per_day.setdefault(day, dict(zero))
            target_area = per_area.setdefault(row["area_id"], dict(zero))
            for k in zero:
                if k in row:
                    target_day[k] += row[k] or 0
                    target_area[k] += row[k] or 0

    def rates(d: dict) -> dict:
        d = dict(d)
        # No-shows: confirmed people of sessions that have ended, less those who came.
        d["no_show"] = d.pop("booked_ended") - d.pop("came_ended")
        return {
            **d,
            "fill_rate": round(d["booked"] / d["capacity"], 4) if d["capacity"] else None,
            "check_in_rate": round(d["checked_in"] / d["booked"], 4) if d["booked"] else None,
            "no_show_rate": round(d["no_show"] / d["booked"], 4) if d["booked"] else None,
        }

    by_day = []
    for day in sorted(per_day):
        by_day.append(
            {
                "date": day,
                **rates(per_day[day]),
                "url": links.activities(date_from=day, date_to=day),
            }
        )
    bookings_by_area = [
        {
            "id": pk,
            "name": area_names.get(pk, "—"),
            **rates(per_area[pk]),
            "url": links.activities(area=pk),
        }
        for pk in area_names
        if pk in per_area
    ]

    # 4. Check-in and no-show by session: the sessions with the most people booked.
    checked_in_of = (
        Booking.objects.filter(session=OuterRef("pk"), checked_in_at__isnull=False)
        .order_by()
        .values("session")
        .annotate(people=Sum("party_size"))
        .values("people")
    )
    top_sessions = (
        sessions.filter(places_taken__gt=0)
        .select_related("activity", "activity__area")
        .annotate(
            booked=F("places_taken"),
            checked_in=Coalesce(Subquery(checked_in_of, output_field=IntegerField()), 0),
        )
        .order_by("-places_taken", "starts_at", "id")[:10]
    )
    by_session = [
        {
            "id": s.pk,
            "activity_id": s.activity_id,
            "title": s.activity.title,
            "area": s.activity.area.name if s.activity.area_id else "",
            "starts_at": timezone.localtime(s.starts_at).isoformat(),
            "capacity": s.capacity,
            "booked": s.booked,
            "checked_in": s.checked_in,
            "check_in_rate": round(s.checked_in / s.booked, 4) if s.booked else None,
            "no_show": (s.booked - s.checked_in) if s.ends_at < now else 0,
            "url": reverse("dashboard:session-bookings", args=[s.pk]),
        }
        for s in top_sessions
    ]

    # 5. Check-ins per hour on the days of the week.
    hours: dict = {}
    for row in check_in_rows:
        hours[row["hour"]] = hours.get(row["hour"], 0) + row["checked_in"]
    check_ins_by_hour = [
        {"hour": timezone.localtime(hour).isoformat(), "people": people}
        for hour, people in sorted(hours.items())
    ]

    # 6. The review pipeline: how many wait at each level, since when; the oldest, linked.
    waiting = activities.filter(state__in=REVIEW_STATES)
    levels = {
        row["state"]: row
        for row in waiting.order_by()
        .values("state")
        .annotate(n=Count("id"), oldest=Min("state_changed_at"))
    }
    review = []
    for state, label in (
        (ActivityState.PENDING_AREA, _("Awaiting area review")),
        (ActivityState.PENDING_CITY, _("Awaiting city review")),
    ):
        row = levels.get(state, {})
        oldest = row.get("oldest")
        review.append(
            {
                "level": state.value,
                "label": str(label),
                "count": row.get("n", 0),
                "oldest_since": timezone.localtime(oldest).isoformat() if oldest else None,
                "oldest_days": (now - oldest).days if oldest else None,
                "url": links.activities(state=state.value),
            }
        )
    oldest = [
        {
            "id": a.pk,
            "title": a.title,
            "area": a.area.name if a.area_id else "",
            "state": a.state,
            "state_label": a.get_state_display(),
            "since": timezone.localtime(a.state_changed_at).isoformat(),
            "days": (now - a.state_changed_at).days,
            "url": reverse("dashboard:activity-detail", args=[a.pk]),
        }
        for a in waiting.select_related("area").order_by("state_changed_at", "id")[:10]
    ]

    # 7. Notice acknowledgements by area (the edition's published notices).
    deliveries = NoticeRecipient.objects.filter(
        notice__edition=edition, notice__status=NoticeStatus.PUBLISHED
    )
    if filters.area:
        deliveries = deliveries.filter(organization__area_id=filters.area)
    ack_rows = {
        row["organization__area_id"]: row
        for row in deliveries.order_by()
        .values("organization__area_id")
        .annotate(
            done=Count("id", filter=Q(acknowledged_at__isnull=False)),
            missing=Count("id", filter=Q(acknowledged_at__isnull=True)),
        )
    }
    acknowledgements = [
        {
            "id": pk,
            "name": name,
            "acknowledged": ack_rows.get(pk, {}).get("done", 0),
            "missing": ack_rows.get(pk, {}).get("missing", 0),
            "url": reverse("dashboard:notice-list"),
        }
        for pk, name in area_names.items()
    ]

    # 8. Summary reports by area: done (accepted), submitted, late, missing, returned.
    task = ReportingTask.objects.filter(edition=edition).first()
    summaries = []
    if task is not None:
        required = set(task.areas.values_list("pk", flat=True))
        states = {
            row["area_id"]: row
            for row in AreaSummary.objects.filter(task=task).values("area_id", "state", "is_late")
        }
        past_deadline = today > task.deadline
        for pk, name in area_names.items():
            if pk not in required:
                continue
            row = states.get(pk)
            status = row["state"] if row else BoardStatus.NOT_STARTED.value
            owing = status in (BoardStatus.NOT_STARTED, SummaryState.DRAFT, SummaryState.RETURNED)
            summaries.append(
                {
                    "id": pk,
                    "name": name,
                    "status": status,
                    "status_label": str(BoardStatus(status).label),
                    "late": bool(row and row["is_late"]) or (owing and past_deadline),
                    "url": reverse(
                        "dashboard:summary-board" if city_wide else "dashboard:summary-mine"
                    ),
                }
            )
    summary_counts = {
        "accepted": sum(s["status"] == SummaryState.ACCEPTED for s in summaries),
        "submitted": sum(s["status"] == SummaryState.SUBMITTED for s in summaries),
        "returned": sum(s["status"] == SummaryState.RETURNED for s in summaries),
        "missing": sum(
            s["status"] in (BoardStatus.NOT_STARTED, SummaryState.DRAFT) for s in summaries
        ),
        "late": sum(s["late"] for s in summaries),
    }

    # 9. The tile map: each area a tile, placed by where its activities are (mean position).
    positions = {
        row["area_id"]: (row["lat"], row["lng"])
        for row in Activity.objects.filter(area_id__in=list(area_names), latitude__isnull=False)
        .order_by()
        .values("area_id")
        .annotate(lat=Avg("latitude"), lng=Avg("longitude"))
    }
    published_by_area = {
        r["id"]: r["counts"]["published"] + r["counts"]["held"] for r in by_area["rows"]
    }
    tiles = [
        {
            "id": pk,
            "name": name,
            "short_name": short_names.get(pk, name),
            "row": row,
            "col": col,
            "activities": published_by_area.get(pk, 0),
            "url": links.activities(area=pk),
        }
        for (pk, name), (row, col) in zip(
            areas_all, tile_layout([positions.get(pk) for pk, _n in areas_all]), strict=True
        )
    ]

    return {
        "edition": {"id": edition.pk, "year": edition.year, "title": edition.title},
        "previous_edition": (
            {"id": previous.pk, "year": previous.year, "title": previous.title}
            if previous
            else None
        ),
        "filters": {
            "area": filters.area,
            "category": filters.category,
            "date_from": filters.date_from.isoformat() if filters.date_from else None,
            "date_to": filters.date_to.isoformat() if filters.date_to else None,
        },
        "key_figures": key,
        "by_area": by_area,
        "by_category": by_category,
        "by_day": by_day,
        "bookings_by_area": bookings_by_area,
        "by_session": by_session,
        "check_ins_by_hour": check_ins_by_hour,
        "review": review,
        "review_oldest": oldest,
        "acknowledgements": acknowledgements,
        "summaries": summaries,
        "summary_counts": summary_counts,
        "tiles": tiles,
        "large_event_threshold": LARGE_EVENT_THRESHOLD,
    }


def tile_layout(positions: list) -> list[tuple[int, int]]:
    """(row, col) for each area on a grid about as wide as tall: by their mean (lat, lng)
    where known (north at the top), each tile in the free cell nearest its place; areas with no
    located activity fill the cells left, in order."""
    n = len(positions)
    if not n:
        return []
    cols = max(1, round(n**0.5 + 0.49))
    rows = -(-n // cols)
    known = [p for p in positions if p is not None]
    taken: set[tuple[int, int]] = set()
    out: list[tuple[int, int] | None] = [None] * n
    if known:
        lats = [float(p[0]) for p in known]
        lngs = [float(p[1]) for p in known]
        lat_span = (max(lats) - min(lats)) or 1.0
        lng_span = (max(lngs) - min(lngs)) or 1.0
        for i, p in enumerate(positions):
            if p is None:
                continue
            want_r = (max(lats) - float(p[0])) / lat_span * (rows - 1)
            want_c = (float(p[1]) - min(lngs)) / lng_span * (cols - 1)
            cell = min(
                ((r, c) for r in range(rows) for c in range(cols) if (r, c) not in taken),
                key=lambda rc: ((rc[0] - want_r) ** 2 + (rc[1] - want_c) ** 2, rc),
            )
            taken.add(cell)
            out[i] = cell
    free = iter([(r, c) for r in range(rows) for c in range(cols) if (r, c) not in taken])
    return [cell if cell is not None else next(free) for cell in out]


# Live week view -------------------------------------------------------------------------------


@dataclass
class LiveSession:
    session: Session
    booked: int = 0
    waiting: int = 0
    checked_in: int = 0
    is_large: bool = False


def live_sessions(
    user, filters: StatisticsFilters, day: date, limit: int = 60
) -> list[LiveSession]:
    """The day's sessions of the scope's public activities with bookings and check-ins, large
    events first, then by start, at most ``limit``: 1 query."""
    day_filters = replace(filters, date_from=day, date_to=day)
    public = scoped_activities(user, day_filters).filter(state__in=PUBLIC_STATES)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
    rows = (
        Session.objects.filter(
            activity__in=public, starts_at__lt=start + timedelta(days=1), ends_at__gt=start
        )
        .select_related("activity", "activity__area", "activity__host")
        .annotate(
            booked=Coalesce(
                Sum("bookings__party_size", filter=Q(bookings__status=BookingStatus.CONFIRMED)), 0
            ),
            waiting=Coalesce(
                Sum("bookings__party_size", filter=Q(bookings__status=BookingStatus.WAITING)), 0
            ),
            checked_in=Coalesce(
                Sum("bookings__party_size", filter=Q(bookings__checked_in_at__isnull=False)), 0
            ),
        )
    )
    large = Q(capacity__gte=LARGE_EVENT_THRESHOLD) | Q(
        activity__expected_participants__gte=LARGE_EVENT_THRESHOLD
    )
    rows = rows.annotate(
        large_event=Case(
            When(large, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    ).order_by("-large_event", "starts_at", "id")[:limit]
    return [
        LiveSession(
            session=s,
            booked=s.booked,
            waiting=s.waiting,
            checked_in=s.checked_in,
            is_large=s.large_event,
        )
        for s in rows
    ]
