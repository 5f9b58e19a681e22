"""Read-only questions about bookings: who came, how full a session is, where a user may check in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from sciweek.activities.models import Activity, Session
from sciweek.organizations.access import OFFICE_ROLES, access_for
from sciweek.organizations.enums import Role

from .enums import BookingStatus
from .models import Booking


def checked_in_people(activity: Activity) -> int:
    """People who came through the gate: the party sizes of checked-in bookings, all sessions."""
    total = Booking.objects.filter(
        session__activity=activity, checked_in_at__isnull=False
    ).aggregate(n=Sum("party_size"))["n"]
    return total or 0


@dataclass(frozen=True)
class SessionCounts:
    """Live figures for a gate: places booked (confirmed party sizes), people checked in,
    capacity, and entries on the waiting list."""

    booked: int
    checked_in: int
    capacity: int
    waiting: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"booked": self.booked, "checked_in": self.checked_in, "capacity": self.capacity}


def session_counts(session: Session) -> SessionCounts:
    row = Booking.objects.filter(session_id=session.pk).aggregate(
        booked=Sum("party_size", filter=Q(status=BookingStatus.CONFIRMED)),
        checked_in=Sum(
            "party_size", filter=Q(status=BookingStatus.CONFIRMED, checked_in_at__isnull=False)
        ),
        waiting=Count("id", filter=Q(status=BookingStatus.WAITING)),
    )
    capacity = Session.objects.values_list("capacity", flat=True).get(pk=session.pk)
    return SessionCounts(
        booked=row["booked"] or 0,
        checked_in=row["checked_in"] or 0,
        capacity=capacity,
        waiting=row["waiting"] or 0,
    )


def gate_sessions(user, *, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions of bookable, public activities the user may check people in at (the rule
    ``bookings.check_in`` as a query), from today on, soonest first."""
    now = now or timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # Open days, and the launch ceremony, whose guests show their invitation QR at the gate.
    qs = Session.objects.filter(
        Q(activity__in=Activity.objects.taking_bookings())
        | Q(activity__in=Activity.objects.public(), activity__ceremony__isnull=False),
        ends_at__gte=start_of_today,
    )
    return _at_gates_of(user, qs)


def tally_sessions(user, *, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions of public activities that take no bookings (科技下乡, outdoor events), from
    today on, whose visitors the user may count at the gate (the same rule as ``gate_sessions``)."""
    now = now or timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = Session.objects.filter(
        activity__in=Activity.objects.public(),
        activity__booking_required=False,
        ends_at__gte=start_of_today,
    )
    return _at_gates_of(user, qs)


def _at_gates_of(user, qs: QuerySet[Session]) -> QuerySet[Session]:
    access = access_for(user)
    sees_all = getattr(user, "is_superuser", False) or bool(
        access.organizer_roles() & set(OFFICE_ROLES)
    )
    if not sees_all:
        units = access.organization_ids(Role.GATE_STAFF, *OFFICE_ROLES)
        areas = access.area_ids(Role.ADMIN)
        qs = qs.filter(Q(activity__host_id__in=units) | Q(activity__host__area_id__in=areas))
    return qs.select_related("activity", "activity__host").order_by("starts_at", "id")


def bookings_of_session(session: Session, *, status: str = "", code: str = "") -> QuerySet[Booking]:
    qs = Booking.objects.filter(session=session)
    if status:
        qs = qs.filter(status=status)
    if code:
        qs = qs.filter(code__icontains=code)
    return qs.order_by("created_at", "id")


def with_scan_history(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Each booking with its gate scans (``booking.scans.all()``), in one more query."""
    from django.db.models import Prefetch

    from .models import CheckInScan

    return bookings.prefetch_related(
        Prefetch(
            "scans", queryset=CheckInScan.objects.select_related("by").order_by("scanned_at", "id")
        )
    )
