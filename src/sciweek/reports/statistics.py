"""The figures the platform knows about an area's week, computed from the records.

Each returns plain numbers keyed like reports.figures; the summary stores them as "computed"
beside whatever the area reports, so a changed figure always shows where it came from.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from sciweek.activities.models import Activity, MediaCoverage, Session
from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking


def area_activities(edition, area):
    return Activity.objects.filter(edition=edition, area=area, state__in=PUBLIC_STATES)


def compute_figures(edition, area) -> dict[str, Decimal]:
    activities = area_activities(edition, area)
    figures: dict[str, Decimal] = {}
    totals = activities.aggregate(
        n=Count("id"),
        online=Sum("online_participants"),
        st=Sum("st_workers"),
        volunteers=Sum("volunteers"),
        funds=Sum("budget"),
    )
    figures["activities"] = Decimal(totals["n"] or 0)
    figures["sessions"] = Decimal(Session.objects.filter(activity__in=activities).count())
    bookings = Booking.objects.filter(session__activity__in=activities)
    figures["bookings"] = Decimal(
        bookings.filter(status=BookingStatus.CONFIRMED).aggregate(n=Sum("party_size"))["n"] or 0
    )
    checked_in = (
        bookings.filter(checked_in_at__isnull=False)
        .values("session__activity_id")
        .annotate(people=Sum("party_size"))
    )
    checked_in_by_activity = {row["session__activity_id"]: row["people"] for row in checked_in}
    figures["check_ins"] = Decimal(sum(checked_in_by_activity.values()))
    # Onsite: the recorded result where there is one, the gate's count where there is not.
    onsite = 0
    for pk, recorded in activities.values_list("pk", "onsite_participants"):
        onsite += recorded if recorded is not None else checked_in_by_activity.get(pk, 0)
    figures["onsite"] = Decimal(onsite)
    figures["online"] = Decimal(totals["online"] or 0)
    figures["units_open"] = Decimal(
        activities.filter(category__code="open_day").values("host_id").distinct().count()
    )
    figures["st_workers"] = Decimal(totals["st"] or 0)
    figures["volunteers"] = Decimal(totals["volunteers"] or 0)
    figures["media_reports"] = Decimal(
        MediaCoverage.objects.filter(activity__in=activities).count()
    )
    figures["funds"] = Decimal(totals["funds"] or 0)
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
