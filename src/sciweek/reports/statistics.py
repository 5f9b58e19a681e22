"""The figures the platform knows about an area's week, computed from the records.

Each returns plain numbers keyed like reports.figures; the summary stores them as "computed"
beside whatever the area reports, so a changed figure always shows where it came from.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from sciweek.activities.models import Activity, MediaCoverage, Session
from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking
from sciweek.exhibition.selectors import CeremonyFigures, ceremony_figures, ceremony_for_edition

from .week_statistics import key_figures


def area_activities(edition, area):
    return Activity.objects.filter(edition=edition, area=area, state__in=PUBLIC_STATES)


def compute_figures(edition, area) -> dict[str, Decimal]:
    activities = area_activities(edition, area)
    # The figures the dashboard shows too, computed by the same function.
    shared = key_figures(activities)
    figures: dict[str, Decimal] = {
        key: Decimal(str(shared[key]))
        for key in ("activities", "sessions", "bookings", "check_ins", "onsite", "online")
    }
    totals = activities.aggregate(st=Sum("st_workers"), volunteers=Sum("volunteers"))
    figures["units_open"] = Decimal(
        activities.filter(category__code="open_day").values("host_id").distinct().count()
    )
    figures["st_workers"] = Decimal(totals["st"] or 0)
    figures["volunteers"] = Decimal(totals["volunteers"] or 0)
    figures["media_reports"] = Decimal(shared["media_reports"])
    figures["budget"] = Decimal(str(shared["budget"]))
    figures["funds"] = Decimal(str(shared["funds"]))
    for code, count in activities.values_list("category__code").annotate(n=Count("id")).order_by():
        figures[f"activities.{code}"] = Decimal(count)
    return figures


def ceremony_statistics(edition, area=None) -> CeremonyFigures | None:
    """The launch ceremony's figures for an area's summary (its delegation and exhibits) or for
    the city report (all, with the visitors: people booked on and checked in at the ceremony's
    activity). None when the edition has no ceremony."""
    ceremony = ceremony_for_edition(edition)
    if ceremony is None:
        return None
    figures = ceremony_figures(ceremony, area)
    if area is None and ceremony.activity_id:
        people = Booking.objects.filter(session__activity_id=ceremony.activity_id).aggregate(
            booked=Sum("party_size", filter=Q(status=BookingStatus.CONFIRMED)),
            checked_in=Sum("party_size", filter=Q(checked_in_at__isnull=False)),
        )
        figures.visitors = {key: people[key] or 0 for key in ("booked", "checked_in")}
    return figures


def category_breakdown(edition, area=None) -> list[tuple[str, str, int]]:
    """(code, name, activities) for every category of the edition, for tables."""
    condition = Q(activities__state__in=PUBLIC_STATES)
    if area is not None:
        condition &= Q(activities__area=area)
    return [
        (c.code, c.name, c.n)
        for c in edition.categories.annotate(n=Count("activities", filter=condition)).order_by(
            "position"
        )
    ]


# --- the city's figures, and the records behind them --------------------------------------------

# Each figure of an area, recounted from the ledger (``activity_ledger``): the column summed,
# or how the rows are counted.
LEDGER_COLUMNS = {
    "activities": "count",
    "sessions": "sessions",
    "bookings": "bookings",
    "check_ins": "check_ins",
    "onsite": "onsite",
    "online": "online",
    "units_open": "open_day_hosts",
    "st_workers": "st_workers",
    "volunteers": "volunteers",
    "media_reports": "media_reports",
    "budget": "budget",
    "funds": "spend",
}


@dataclass
class LedgerRow:
    """One activity and what it adds to each of its area's figures."""

    pk: int
    title: str
    area_id: int | None
    area: str
    host_id: int
    host: str
    category_code: str
    category: str
    state: str
    sessions: int
    session_ids: list[int]
    bookings: int
    check_ins: int
    onsite: int
    onsite_from_gate: bool
    online: int
    st_workers: int
    volunteers: int
    media_reports: int
    budget: Decimal
    spend: Decimal


def activity_ledger(edition, areas=None) -> list[LedgerRow]:
    """Every activity counted in the figures (``area_activities``) with its own share of each
    figure, so that a figure can be recounted from its rows. Five queries whatever the size."""
    activities = Activity.objects.filter(edition=edition, state__in=PUBLIC_STATES)
    if areas is not None:
        activities = activities.filter(area__in=list(areas))
    rows = list(
        activities.order_by("area__path", "id").values_list(
            "pk", "title", "area_id", "area__name", "host_id", "host__name", "category__code",
            "category__name", "state", "onsite_participants", "online_participants",
            "st_workers", "volunteers", "budget", "actual_cost",
        )
    )  # fmt: skip
    ids = [row[0] for row in rows]
    sessions: dict[int, list[int]] = defaultdict(list)
    for pk, activity_id in Session.objects.filter(activity_id__in=ids).values_list(
        "pk", "activity_id"
    ):
        sessions[activity_id].append(pk)
    bookings = Booking.objects.filter(session__activity_id__in=ids)
    booked = dict(
        bookings.filter(status=BookingStatus.CONFIRMED)
        .values("session__activity_id")
        .annotate(n=Sum("party_size"))
        .values_list("session__activity_id", "n")
    )
    checked = dict(
        bookings.filter(checked_in_at__isnull=False)
        .values("session__activity_id")
        .annotate(n=Sum("party_size"))
        .values_list("session__activity_id", "n")
    )
    media = dict(
        MediaCoverage.objects.filter(activity_id__in=ids)
        .values("activity_id")
        .annotate(n=Count("id"))
        .values_list("activity_id", "n")
    )
    ledger = []
    for (pk, title, area_id, area, host_id, host, code, category, state, onsite, online,
         st, volunteers, budget, spend) in rows:  # fmt: skip
        ledger.append(
            LedgerRow(
                pk=pk, title=title, area_id=area_id, area=area or "", host_id=host_id,
                host=host, category_code=code, category=category, state=state,
                sessions=len(sessions[pk]), session_ids=sessions[pk], bookings=booked.get(pk, 0),
                check_ins=checked.get(pk, 0),
                onsite=onsite if onsite is not None else checked.get(pk, 0),
                onsite_from_gate=onsite is None, online=online or 0, st_workers=st or 0,
                volunteers=volunteers or 0, media_reports=media.get(pk, 0),
                budget=budget or Decimal(0), spend=spend or Decimal(0),
            )
        )  # fmt: skip
    return ledger


def recount(rows: list[LedgerRow], key: str) -> Decimal:
    """An area's figure ``key`` recounted from its ledger rows."""
    if key == "activities":
        return Decimal(len(rows))
    if key == "units_open":
        return Decimal(len({r.host_id for r in rows if r.category_code == "open_day"}))
    if key.startswith("activities."):
        code = key.split(".", 1)[1]
        return Decimal(sum(1 for r in rows if r.category_code == code))
    return Decimal(sum(getattr(r, LEDGER_COLUMNS[key]) for r in rows))


def is_ledger_figure(key: str) -> bool:
    """Whether the figure can be recounted from the ledger (every pre-filled one can)."""
    return key in LEDGER_COLUMNS or key.startswith("activities.")


def records_of(rows: list[LedgerRow], key: str) -> list[LedgerRow]:
    """The ledger rows a figure counts (those that add something to it)."""
    if key == "units_open":
        return [r for r in rows if r.category_code == "open_day"]
    if key.startswith("activities."):
        code = key.split(".", 1)[1]
        return [r for r in rows if r.category_code == code]
    if key == "activities":
        return rows
    column = LEDGER_COLUMNS[key]
    return [r for r in rows if getattr(r, column)]


@dataclass
class AreaFigures:
    """One area as the city report counts it."""

    area: object
    summary: object | None
    # "summary" (an accepted summary), "records" (not accepted; counted from the platform's
    # records because the organiser chose so) or "" (not counted).
    basis: str
    figures: dict[str, Decimal] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return bool(self.basis)

    @property
    def is_returned(self) -> bool:
        return self.summary is not None and self.summary.is_returned

    @property
    def is_accepted(self) -> bool:
        return self.basis == "summary"


@dataclass
class CityFigures:
    areas: list[AreaFigures]
    totals: dict[str, Decimal]

    @property
    def counted(self) -> list[AreaFigures]:
        return [a for a in self.areas if a.counted]

    @property
    def returned(self) -> list[AreaFigures]:
        return [a for a in self.areas if a.is_returned]

    @property
    def not_accepted(self) -> list[AreaFigures]:
        """Areas whose summary the city has not accepted (returned, pending, draft, missing)."""
        return [a for a in self.areas if not a.is_accepted]

    def digest(self) -> str:
        """A hash of every figure counted, so a later recount can show it is unchanged."""
        payload = {
            str(a.area.pk): {"basis": a.basis, **{k: str(v) for k, v in sorted(a.figures.items())}}
            for a in self.areas
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def city_figures(task, *, include_unreported: bool = False) -> CityFigures:
    """The city's figures: each required area's reported figures if the city accepted its
    summary; otherwise nothing (a returned, pending or missing summary does not count) or, if
    ``include_unreported``, the platform's own count of its records. Totals add the counted."""
    from .enums import SummaryState

    summaries = {
        s.area_id: s for s in task.summaries.select_related("area").prefetch_related("figures")
    }
    areas = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for area in task.areas.order_by("path"):
        summary = summaries.get(area.pk)
        if summary is not None and summary.state == SummaryState.ACCEPTED:
            item = AreaFigures(
                area, summary, "summary", {f.key: f.reported for f in summary.figures.all()}
            )
        elif include_unreported:
            item = AreaFigures(area, summary, "records", compute_figures(task.edition, area))
        else:
            item = AreaFigures(area, summary, "")
        areas.append(item)
        for key, value in item.figures.items():
            totals[key] += value
    return CityFigures(areas, dict(totals))
