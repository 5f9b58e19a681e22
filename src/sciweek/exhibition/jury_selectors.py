"""Reads of the city's jury: a juror's own assignments, and the results the city decides from
(per exhibit the weighted average, the spread, the number of scores and the comments)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from .enums import ExhibitState
from .models import Assignment, Ceremony, Exhibit, Juror, Jury, Score

# The exhibits a jury's results list: at the city, or decided by it.
RESULT_STATES = (ExhibitState.SUBMITTED, ExhibitState.SELECTED, ExhibitState.DECLINED)
SORTS = {"score", "-score", "spread", "title", "scores"}


def jury_of(ceremony: Ceremony) -> Jury | None:
    return (
        Jury.objects.filter(ceremony=ceremony)
        .select_related("ceremony")
        .prefetch_related("criteria")
        .first()
    )


def jurors_of(jury: Jury) -> QuerySet[Juror]:
    return (
        Juror.objects.filter(jury=jury)
        .select_related("user", "organization", "area")
        .annotate(
            assigned=Count("assignments"),
            scored=Count("assignments", filter=Q(assignments__scored_at__isnull=False)),
        )
    )


def assignments_of(user, jury: Jury | None = None) -> QuerySet[Assignment]:
    """What ``user`` is given to score (of one jury, or of all), with their scores."""
    qs = (
        Assignment.objects.filter(juror__user=user)
        .select_related("juror__jury__ceremony", "exhibit__submitter")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("scored_at", "exhibit__pk")
    )
    if jury is not None:
        qs = qs.filter(juror__jury=jury)
    return qs


def to_score(user) -> QuerySet[Assignment]:
    """What ``user`` still has to score in juries that are open."""
    return Assignment.objects.filter(
        juror__user=user, scored_at__isnull=True, juror__jury__closed_at__isnull=True
    )


def assignments_for_city(jury: Jury) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(juror__jury=jury)
        .select_related("juror__user", "juror__area", "exhibit__submitter")
        .prefetch_related("scores")
        .order_by("exhibit__pk", "juror__pk")
    )


def weighted(scores: dict[int, int], criteria) -> float | None:
    """One juror's score of an exhibit on the jury's scale: each criterion by its weight."""
    total_weight = sum(c.weight for c in criteria)
    if not total_weight or any(c.pk not in scores for c in criteria):
        return None
    return sum(scores[c.pk] * c.weight for c in criteria) / total_weight


@dataclass
class JurorScore:
    juror: Juror
    total: float | None
    values: dict[int, int]
    comment: str


@dataclass
class ResultRow:
    exhibit: Exhibit
    assigned: int = 0
    marks: list[JurorScore] = field(default_factory=list)

    @property
    def totals(self) -> list[float]:
        return [m.total for m in self.marks if m.total is not None]

    @property
    def count(self) -> int:
        return len(self.totals)

    @property
    def average(self) -> float | None:
        return round(statistics.fmean(self.totals), 2) if self.totals else None

    @property
    def low(self) -> float | None:
        return round(min(self.totals), 2) if self.totals else None

    @property
    def high(self) -> float | None:
        return round(max(self.totals), 2) if self.totals else None

    @property
    def spread(self) -> float | None:
        """The largest difference between two jurors (max − min)."""
        return round(max(self.totals) - min(self.totals), 2) if self.totals else None

    @property
    def stdev(self) -> float | None:
        return round(statistics.pstdev(self.totals), 2) if self.totals else None

    @property
    def comments(self) -> list[str]:
        return [m.comment for m in self.marks if m.comment]

    def by_criterion(self, criteria) -> list[float | None]:
        out = []
        for c in criteria:
            got = [m.values[c.pk] for m in self.marks if c.pk in m.values and m.total is not None]
            out.append(round(statistics.fmean(got), 2) if got else None)
        return out


def results(jury: Jury, *, sort: str = "-score") -> list[ResultRow]:
    """Per exhibit at the city (or decided): its jurors' weighted scores, averaged. Three
    queries whatever the number of exhibits and jurors."""
    criteria = list(jury.criteria.all())
    rows = {
        e.pk: ResultRow(e)
        for e in Exhibit.objects.filter(ceremony=jury.ceremony_id, state__in=RESULT_STATES)
        .select_related("submitter")
        .order_by("pk")
    }  # fmt: skip
    for a in assignments_for_city(jury):
        row = rows.get(a.exhibit_id)
        if row is None:
            continue  # returned to its submitter since
        row.assigned += 1
        if a.is_scored:
            values = {s.criterion_id: s.value for s in a.scores.all()}
            row.marks.append(JurorScore(a.juror, weighted(values, criteria), values, a.comment))
    found = list(rows.values())
    sort = sort if sort in SORTS else "-score"
    if sort == "title":
        found.sort(key=lambda r: r.exhibit.title)
    elif sort == "spread":
        found.sort(key=lambda r: (r.spread is None, -(r.spread or 0), r.exhibit.pk))
    elif sort == "scores":
        found.sort(key=lambda r: (r.count, r.exhibit.pk))
    else:
        sign = -1 if sort == "-score" else 1
        found.sort(key=lambda r: (r.average is None, sign * (r.average or 0), r.exhibit.pk))
    return found
