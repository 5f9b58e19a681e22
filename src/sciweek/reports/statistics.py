"""The figures the platform knows about an area's week, computed from the records.

Each returns plain numbers keyed like reports.figures; the summary stores them as "computed"
beside whatever the area reports, so a changed figure always shows where it came from.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from sciweek.activities.models import Activity
from sciweek.activities.workflow import PUBLIC_STATES

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
    figures["funds"] = Decimal(str(shared["funds"]))
    for code, count in activities.values_list("category__code").annotate(n=Count("id")).order_by():
        figures[f"activities.{code}"] = Decimal(count)
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
