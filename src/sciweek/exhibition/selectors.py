"""Reads of the ceremony: who sees which guests and exhibits, the organiser's board and the
numbers to prepare for."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from sciweek.organizations.access import OFFICE_ROLES, access_for
from sciweek.organizations.models import Organization

from .enums import COMING_STATES, ExhibitState, GuestState
from .models import Ceremony, Exhibit, ExhibitMedia, Guest, GuestCategory, Quota

BUS_SEATS = 45


def ceremony_for_edition(edition) -> Ceremony | None:
    return Ceremony.objects.filter(edition=edition).select_related("edition", "activity").first()


def ceremonies() -> QuerySet[Ceremony]:
    return Ceremony.objects.select_related("edition", "activity").order_by("-edition__year")


def _sees_all(user) -> bool:
    return user.has_perm("exhibition.view_board")


def own_areas(user) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=access_for(user).area_ids(*OFFICE_ROLES)).order_by(
        "path"
    )


def guests_visible_to(user, ceremony: Ceremony) -> QuerySet[Guest]:
    qs = Guest.objects.filter(ceremony=ceremony).select_related("category", "area", "ceremony")
    if _sees_all(user):
        return qs
    return qs.filter(area_id__in=access_for(user).area_ids(*OFFICE_ROLES))


def delegation(ceremony: Ceremony, area: Organization) -> list[dict]:
    """The area's quota per category with the people it has named."""
    quotas = Quota.objects.filter(ceremony=ceremony, area=area).select_related("category")
    guests: dict[int, list[Guest]] = {}
    for guest in Guest.objects.filter(ceremony=ceremony, area=area).select_related("category"):
        guests.setdefault(guest.category_id, []).append(guest)
    return [
        {
            "quota": q,
            "category": q.category,
            "guests": guests.get(q.category_id, []),
            "left": q.places - len(guests.get(q.category_id, [])),
        }
        for q in quotas
    ]


@dataclass
class CategoryRow:
    category: GuestCategory
    quota: int = 0
    named: int = 0
    answered: int = 0
    coming: int = 0
    declined: int = 0
    arrived: int = 0


@dataclass
class AreaRow:
    area: Organization
    quota: int = 0
    named: int = 0
    answered: int = 0
    coming: int = 0
    by_category: dict[int, tuple[int, int]] = field(default_factory=dict)  # quota, named

    @property
    def filled(self) -> bool:
        return self.quota > 0 and self.named >= self.quota

    @property
    def buses(self) -> int:
        return math.ceil(self.coming / BUS_SEATS) if self.coming else 0


def board(ceremony: Ceremony) -> dict:
    """Per category and per area: quotas, names, answers and arrivals; what to prepare. Three
    queries whatever the number of guests."""
    categories = list(GuestCategory.objects.filter(ceremony=ceremony))
    rows = {c.pk: CategoryRow(c) for c in categories}
    areas: dict[int, AreaRow] = {}
    for quota in Quota.objects.filter(ceremony=ceremony).select_related("area"):
        row = areas.setdefault(quota.area_id, AreaRow(quota.area))
        row.quota += quota.places
        row.by_category[quota.category_id] = (quota.places, 0)
        rows[quota.category_id].quota += quota.places
    counts = (
        Guest.objects.filter(ceremony=ceremony)
        .values("category_id", "area_id", "state")
        .annotate(n=Count("pk"))
    )
    for item in counts:
        n, state = item["n"], item["state"]
        crow = rows[item["category_id"]]
        crow.named += n
        crow.answered += n if state != GuestState.INVITED else 0
        crow.coming += n if state in COMING_STATES else 0
        crow.declined += n if state == GuestState.DECLINED else 0
        crow.arrived += n if state == GuestState.CHECKED_IN else 0
        if item["area_id"] in areas:
            arow = areas[item["area_id"]]
            arow.named += n
            arow.answered += n if state != GuestState.INVITED else 0
            arow.coming += n if state in COMING_STATES else 0
            q, named = arow.by_category.get(item["category_id"], (0, 0))
            arow.by_category[item["category_id"]] = (q, named + n)
    coming = sum(r.coming for r in rows.values())
    return {
        "categories": list(rows.values()),
        "areas": sorted(areas.values(), key=lambda r: r.area.path),
        "named": sum(r.named for r in rows.values()),
        "answered": sum(r.answered for r in rows.values()),
        "coming": coming,
        "arrived": sum(r.arrived for r in rows.values()),
        "meals": coming,
        "buses": sum(r.buses for r in areas.values()),
    }


def seating(ceremony: Ceremony) -> list[Guest]:
    """The seating list (座次): those coming, by category and order."""
    return list(
        Guest.objects.filter(ceremony=ceremony, state__in=COMING_STATES)
        .select_related("category", "area")
        .order_by("category__order", "seat_order", "pk")
    )


def guest_by_token(token: str) -> Guest | None:
    if not token:
        return None
    return (
        Guest.objects.select_related("ceremony", "ceremony__edition", "category", "area")
        .filter(token=token)
        .first()
    )


def exhibits_visible_to(user, ceremony: Ceremony | None = None) -> QuerySet[Exhibit]:
    """The submitter's own exhibits (drafts included); for an area, its units' handed-in ones
    too; for the city, every handed-in one. Of one ceremony, or of all."""
    qs = Exhibit.objects.select_related("submitter", "ceremony")
    if ceremony is not None:
        qs = qs.filter(ceremony=ceremony)
    if _sees_all(user):
        # The city sees what was handed in, never another's draft.
        return qs.filter(
            ~Q(state=ExhibitState.DRAFT)
            | Q(submitter_id__in=access_for(user).organization_ids(*OFFICE_ROLES))
        )
    access = access_for(user)
    # An area's office sees its units' exhibits once handed in (it approves them for the city).
    return qs.filter(
        Q(submitter_id__in=access.organization_ids(*OFFICE_ROLES))
        | (Q(submitter__area_id__in=access.area_ids(*OFFICE_ROLES)) & ~Q(state=ExhibitState.DRAFT))
    )


def awaiting_area(user, ceremony: Ceremony | None = None) -> QuerySet[Exhibit]:
    """The units' exhibits waiting for this user's approval as their area's reviewer (of one
    ceremony, or of all)."""
    from .rules import AREA_REVIEW_ROLES

    qs = Exhibit.objects.filter(
        state=ExhibitState.AT_AREA,
        submitter__area_id__in=access_for(user).area_ids(*AREA_REVIEW_ROLES),
    )
    return qs.filter(ceremony=ceremony) if ceremony is not None else qs


def submitters_for(user) -> QuerySet[Organization]:
    """The areas and city departments this user may submit exhibits for."""
    from .rules import SUBMITTING_KINDS

    return Organization.objects.filter(
        pk__in=access_for(user).organization_ids(*OFFICE_ROLES), kind__in=SUBMITTING_KINDS
    ).order_by("path")


def selected_exhibits(ceremony: Ceremony) -> QuerySet[Exhibit]:
    return Exhibit.objects.filter(ceremony=ceremony, state=ExhibitState.SELECTED).select_related(
        "submitter"
    )


def public_exhibits() -> QuerySet[Exhibit]:
    """Selected exhibits of a ceremony on a public activity (the hall and the exhibit pages)."""
    from sciweek.activities.models import Activity

    return Exhibit.objects.filter(
        state=ExhibitState.SELECTED, ceremony__activity__in=Activity.objects.public()
    ).select_related("submitter", "ceremony", "ceremony__edition")


def public_ceremony(activity) -> Ceremony | None:
    """The ceremony shown on an activity's public page, with its programme."""
    return (
        Ceremony.objects.filter(activity=activity)
        .prefetch_related("programme")
        .select_related("edition")
        .first()
    )


@dataclass
class FigureRow:
    label: str
    counts: dict[str, int]


@dataclass
class CeremonyFigures:
    """What the ceremony gives the area summaries and the city report. Guests: named (invited),
    coming (attending, a substitute included) and arrived, per category. Exhibits: handed in
    (every state but draft) and selected, per strategy and per submitter."""

    ceremony: Ceremony
    guests: list[FigureRow]
    exhibits_by_strategy: list[FigureRow]
    exhibits_by_area: list[FigureRow]
    # Filled by the reports (bookings are theirs to read): {"booked": n, "checked_in": n}.
    visitors: dict[str, int] = field(default_factory=dict)

    def total(self, rows: str, key: str) -> int:
        return sum(row.counts[key] for row in getattr(self, rows))


def ceremony_figures(ceremony: Ceremony, area: Organization | None = None) -> CeremonyFigures:
    """The ceremony's figures, of one area (its delegation and its own exhibits) or of all.
    Three queries whatever the size."""
    from .enums import Strategy

    guests = Guest.objects.filter(ceremony=ceremony)
    exhibits = Exhibit.objects.filter(ceremony=ceremony).exclude(state=ExhibitState.DRAFT)
    if area is not None:
        guests, exhibits = guests.filter(area=area), exhibits.filter(submitter=area)
    by_category: dict[int, Counter] = {}
    for category_id, state, n in guests.values_list("category_id", "state").annotate(n=Count("pk")):
        counts = by_category.setdefault(category_id, Counter())
        counts["invited"] += n
        counts["attending"] += n if state in COMING_STATES else 0
        counts["arrived"] += n if state == GuestState.CHECKED_IN else 0
    guest_rows = [
        FigureRow(str(category), {k: by_category.get(category.pk, Counter())[k]
                                  for k in ("invited", "attending", "arrived")})
        for category in GuestCategory.objects.filter(ceremony=ceremony)
    ]  # fmt: skip
    strategy: dict[str, Counter] = {value: Counter() for value in Strategy.values}
    submitters: dict[str, Counter] = {}
    rows = exhibits.order_by("submitter__path").values_list("submitter__name", "strategy", "state")
    for submitter, kind, state in rows:
        for counts in (strategy[kind], submitters.setdefault(submitter, Counter())):
            counts["submitted"] += 1
            counts["selected"] += 1 if state == ExhibitState.SELECTED else 0
    return CeremonyFigures(
        ceremony=ceremony,
        guests=guest_rows,
        exhibits_by_strategy=[
            FigureRow(str(label), {k: strategy[value][k] for k in ("submitted", "selected")})
            for value, label in Strategy.choices
        ],
        exhibits_by_area=[
            FigureRow(name, {k: counts[k] for k in ("submitted", "selected")})
            for name, counts in submitters.items()
        ],
    )


def exhibit_media(exhibit: Exhibit) -> list[ExhibitMedia]:
    """The exhibit's photos, then its video, in upload order."""
    return sorted(exhibit.media.all(), key=lambda m: (m.is_video, m.created_at, m.pk))


def with_media(exhibits: QuerySet[Exhibit]) -> QuerySet[Exhibit]:
    """Exhibits with their photos and video in one more query (the hall, the exhibit pages)."""
    return exhibits.prefetch_related(
        Prefetch("media", queryset=ExhibitMedia.objects.order_by("created_at", "pk"))
    )


def office_exhibit_media(user, key) -> ExhibitMedia | None:
    """A photo or video of an exhibit this user sees in the back office, or None."""
    item = ExhibitMedia.objects.select_related("exhibit").filter(key=key).first()
    if item is None or not exhibits_visible_to(user).filter(pk=item.exhibit_id).exists():
        return None
    return item


def public_exhibit_media(key) -> ExhibitMedia | None:
    """A photo or video of a selected exhibit on a public activity, or None (a draft's,
    returned or declined exhibit's media stays private)."""
    return (
        ExhibitMedia.objects.select_related("exhibit")
        .filter(key=key, exhibit__in=public_exhibits())
        .first()
    )
