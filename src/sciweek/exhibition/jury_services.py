"""The only writers of the city's jury: forming it (criteria, weights, jurors), assigning
exhibits to jurors, a juror's scores, closing it, and the city's decisions taken from its
results. Each runs in one transaction, checks who asks and writes its audit entry.

A juror never scores an exhibit of their own area (nor of their own organisation): the
assignment is refused here, whoever asks, not only hidden from a page."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError

from .enums import DEFAULT_CRITERIA, ExhibitAction, ExhibitState, JuryScale
from .models import Assignment, Ceremony, Criterion, Exhibit, Juror, Jury, Score

MAX_CRITERIA = 8
MAX_PER_EXHIBIT = 9


def _require(by, permission: str, obj=None) -> None:
    if by is None or not by.has_perm(permission, obj):
        raise PermissionRefused(_("You may not do this."))


def _open(jury: Jury) -> None:
    if jury.is_closed:
        raise ServiceError(_("The jury is closed: its scores are final."), code="jury_closed")


def _locked(jury: Jury) -> Jury:
    return Jury.objects.select_for_update().select_related("ceremony").get(pk=jury.pk)


# --- forming the jury --------------------------------------------------------------------------


def _clean_criteria(criteria) -> list[tuple[str, int]]:
    """[(name, weight)]: named once each, whole weights above 0 that add up to 100."""
    cleaned, problems = [], []
    for name, weight in criteria:
        name = str(name or "").strip()
        if not name and weight in (None, ""):
            continue  # an empty row of the form
        if not name or len(name) > 50:
            problems.append(_("Each criterion needs a name of at most 50 characters."))
            continue
        try:
            weight = int(weight)
        except (TypeError, ValueError):
            weight = -1
        if weight < 1 or weight > 100:
            problems.append(_("The weight of “%(name)s” must be a whole number from 1 to 100.")
                            % {"name": name})  # fmt: skip
            continue
        cleaned.append((name, weight))
    names = [name for name, _weight in cleaned]
    if len(names) != len(set(names)):
        problems.append(_("Each criterion may be named once."))
    if not cleaned and not problems:
        problems.append(_("Name at least one criterion."))
    if len(cleaned) > MAX_CRITERIA:
        problems.append(_("At most %(n)d criteria.") % {"n": MAX_CRITERIA})
    total = sum(weight for _name, weight in cleaned)
    if cleaned and not problems and total != 100:
        problems.append(_("The weights add up to %(total)d; they must add up to 100.")
                        % {"total": total})  # fmt: skip
    if problems:
        raise ServiceError({"criteria": [ValidationError(p, code="invalid_criteria")
                                         for p in problems]})  # fmt: skip
    return cleaned


@transaction.atomic
def jury_save(
    *, ceremony: Ceremony, by, criteria=DEFAULT_CRITERIA, scale_max: int = JuryScale.TEN,
    per_exhibit: int = 3,
) -> Jury:  # fmt: skip
    """Form the ceremony's jury or change it. Criteria, weights and the scale are fixed once a
    score is given (the scores would no longer mean the same); the number of jurors per exhibit
    may change until the jury closes."""
    _require(by, "exhibition.manage_jury")
    if scale_max not in JuryScale.values:
        raise ServiceError({"scale_max": [ValidationError(_("Scores go from 0 to 10 or 100."),
                                                          code="invalid_scale")]})  # fmt: skip
    if not isinstance(per_exhibit, int) or not 1 <= per_exhibit <= MAX_PER_EXHIBIT:
        raise ServiceError({"per_exhibit": [ValidationError(
            _("From 1 to %(n)d jurors per exhibit.") % {"n": MAX_PER_EXHIBIT},
            code="invalid_per_exhibit")]})  # fmt: skip
    cleaned = _clean_criteria(criteria)
    jury = Jury.objects.select_for_update().filter(ceremony=ceremony).first()
    before = {}
    if jury is None:
        jury = Jury.objects.create(ceremony=ceremony, scale_max=scale_max, per_exhibit=per_exhibit)
    else:
        _open(jury)
        before = _described(jury)
        current = [(c.name, c.weight) for c in jury.criteria.all()]
        scored = Score.objects.filter(criterion__jury=jury).exists()
        if scored and (current != cleaned or jury.scale_max != scale_max):
            raise ServiceError(
                _("Scores have been given: the criteria, weights and scale stay as they are."),
                code="scores_exist",
            )
        jury.scale_max, jury.per_exhibit = scale_max, per_exhibit
        jury.save(update_fields=["scale_max", "per_exhibit", "updated_at"])
    if not before or [(c["name"], c["weight"]) for c in before["criteria"]] != cleaned:
        jury.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(jury=jury, name=name, weight=weight, order=i)
            for i, (name, weight) in enumerate(cleaned)
        )
    audit.record(actor=by, action="jury.save", obj=jury, before=before, after=_described(jury))
    return jury


def _described(jury: Jury) -> dict:
    return {
        "scale_max": jury.scale_max,
        "per_exhibit": jury.per_exhibit,
        "criteria": [{"name": c.name, "weight": c.weight} for c in jury.criteria.all()],
    }


@transaction.atomic
def juror_add(*, jury: Jury, user, by, organization=None, title: str = "") -> Juror:
    """Seat ``user`` on the jury, coming from ``organization`` (none: an outside expert). Their
    area, which they will never score, is that organisation's."""
    _require(by, "exhibition.manage_jury")
    jury = _locked(jury)
    _open(jury)
    if user is None or not user.is_active:
        raise ServiceError({"user": [ValidationError(_("Choose an active user."),
                                                     code="invalid_user")]})  # fmt: skip
    if Juror.objects.filter(jury=jury, user=user).exists():
        raise ServiceError({"user": [ValidationError(_("This user sits on the jury already."),
                                                     code="juror_exists")]})  # fmt: skip
    juror = Juror.objects.create(
        jury=jury, user=user, organization=organization,
        area_id=organization.area_id if organization else None, title=(title or "").strip()[:100],
    )  # fmt: skip
    audit.record(
        actor=by, action="jury.juror_add", obj=jury, object_repr=str(juror),
        after={"user": user.username, "organization": organization.name if organization else ""},
    )  # fmt: skip
    return juror


@transaction.atomic
def juror_remove(*, juror: Juror, by) -> None:
    """Take a juror off the jury, with their assignments; refused once they have scored."""
    _require(by, "exhibition.manage_jury")
    jury = _locked(juror.jury)
    _open(jury)
    if juror.assignments.filter(scored_at__isnull=False).exists():
        raise ServiceError(
            _("This juror has scored already: their scores stay with the jury."),
            code="juror_has_scores",
        )
    audit.record(actor=by, action="jury.juror_remove", obj=jury, object_repr=str(juror),
                 before={"user": juror.user.username})  # fmt: skip
    juror.delete()


# --- assignments -------------------------------------------------------------------------------


def exhibit_area_id(exhibit: Exhibit) -> int | None:
    return exhibit.submitter.area_id


def conflict(juror: Juror, exhibit: Exhibit) -> str | None:
    """Why ``juror`` may not score ``exhibit`` (their own area or organisation), or None."""
    if juror.area_id is not None and juror.area_id == exhibit_area_id(exhibit):
        return _("A juror never scores an exhibit of their own area.")
    if juror.organization_id is not None and juror.organization_id == exhibit.submitter_id:
        return _("A juror never scores an exhibit of their own organisation.")
    return None


def _assignable(jury: Jury, juror: Juror, exhibit: Exhibit) -> None:
    if juror.jury_id != jury.pk or exhibit.ceremony_id != jury.ceremony_id:
        raise ServiceError(_("This exhibit is not of this jury's ceremony."), code="other_ceremony")
    if exhibit.state != ExhibitState.SUBMITTED:
        raise ServiceError(
            _("Only exhibits the city has received (submitted) are scored."), code="not_at_city"
        )
    if problem := conflict(juror, exhibit):
        raise ServiceError(problem, code="own_area")


@transaction.atomic
def assignment_add(*, juror: Juror, exhibit: Exhibit, by) -> Assignment:
    """Give ``exhibit`` to ``juror`` to score. Refused for an exhibit of the juror's own area or
    organisation (``own_area``), twice (``assigned_already``), or once the jury is closed."""
    _require(by, "exhibition.manage_jury")
    jury = _locked(juror.jury)
    _open(jury)
    exhibit = Exhibit.objects.select_related("submitter").get(pk=exhibit.pk)
    _assignable(jury, juror, exhibit)
    if Assignment.objects.filter(juror=juror, exhibit=exhibit).exists():
        raise ServiceError(_("This juror has this exhibit already."), code="assigned_already")
    assignment = Assignment.objects.create(juror=juror, exhibit=exhibit)
    audit.record(
        actor=by, action="jury.assign", obj=exhibit, organization_id=exhibit.submitter_id,
        after={"juror": juror.user.username},
    )  # fmt: skip
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by) -> None:
    _require(by, "exhibition.manage_jury")
    _open(_locked(assignment.juror.jury))
    if assignment.is_scored:
        raise ServiceError(_("This exhibit has been scored by this juror."), code="scored")
    audit.record(
        actor=by, action="jury.unassign", obj=assignment.exhibit,
        organization_id=assignment.exhibit.submitter_id,
        before={"juror": assignment.juror.user.username},
    )  # fmt: skip
    assignment.delete()


@transaction.atomic
def assign_automatically(*, jury: Jury, by) -> int:
    """Give every exhibit at the city up to ``jury.per_exhibit`` eligible jurors, each time the
    least loaded juror not of the exhibit's area (ties: the juror seated first), so the work is
    spread evenly. Keeps the assignments made already. Returns how many it made."""
    _require(by, "exhibition.manage_jury")
    jury = _locked(jury)
    _open(jury)
    jurors = list(Juror.objects.filter(jury=jury).select_related("user"))
    if not jurors:
        raise ServiceError(_("Seat jurors first."), code="no_jurors")
    exhibits = list(
        Exhibit.objects.filter(ceremony=jury.ceremony, state=ExhibitState.SUBMITTED)
        .select_related("submitter")
        .order_by("pk")
    )
    existing = set(
        Assignment.objects.filter(juror__jury=jury).values_list("juror_id", "exhibit_id")
    )
    load = Counter(juror_id for juror_id, _exhibit in existing)
    have = Counter(exhibit_id for _juror, exhibit_id in existing)
    new = []
    for exhibit in exhibits:
        eligible = [
            j for j in jurors if (j.pk, exhibit.pk) not in existing and conflict(j, exhibit) is None
        ]
        for _n in range(max(0, jury.per_exhibit - have[exhibit.pk])):
            if not eligible:
                break
            juror = min(eligible, key=lambda j: (load[j.pk], j.pk))
            eligible.remove(juror)
            load[juror.pk] += 1
            new.append(Assignment(juror=juror, exhibit=exhibit))
    Assignment.objects.bulk_create(new)
    short = [e.title for e in exhibits if have[e.pk] + sum(a.exhibit_id == e.pk for a in new)
             < jury.per_exhibit]  # fmt: skip
    audit.record(
        actor=by, action="jury.assign_automatically", obj=jury,
        after={"assignments": len(new), "exhibits_short_of_jurors": short},
    )  # fmt: skip
    return len(new)


# --- scoring -----------------------------------------------------------------------------------


def _score_value(raw, scale_max: int) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        return None
    return value if 0 <= value <= scale_max else None


@transaction.atomic
def scores_save(*, assignment: Assignment, by, values: dict, comment: str = "") -> Assignment:
    """The juror's scores of one exhibit, one whole number per criterion from 0 to the jury's
    maximum, and a comment. Changeable until the jury closes. ``values``: {criterion id: score}.
    Errors are keyed ``criterion_<id>``; nothing is saved unless every score is right."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("juror", "juror__jury", "juror__user", "exhibit", "exhibit__submitter")
        .get(pk=assignment.pk)
    )
    if by is None or not by.has_perm("exhibition.score_assignment", assignment):
        raise PermissionRefused(_("Only the juror it is assigned to scores this exhibit."))
    jury = assignment.juror.jury
    _open(jury)
    criteria = list(jury.criteria.all())
    keyed = {str(k): v for k, v in (values or {}).items()}
    errors, cleaned = {}, {}
    for criterion in criteria:
        value = _score_value(keyed.get(str(criterion.pk)), jury.scale_max)
        if value is None:
            errors[f"criterion_{criterion.pk}"] = [ValidationError(
                _("A whole number from 0 to %(max)d.") % {"max": jury.scale_max},
                code="invalid_score")]  # fmt: skip
        cleaned[criterion.pk] = value
    unknown = set(keyed) - {str(c.pk) for c in criteria}
    if unknown:
        errors["values"] = [ValidationError(_("Unknown criterion."), code="unknown_criterion")]
    comment = (comment or "").strip()
    if len(comment) > 2000:
        errors["comment"] = [ValidationError(_("At most 2000 characters."), code="too_long")]
    if errors:
        raise ServiceError(errors)
    before = {str(s.criterion_id): s.value for s in assignment.scores.all()}
    for criterion in criteria:
        Score.objects.update_or_create(
            assignment=assignment, criterion=criterion, defaults={"value": cleaned[criterion.pk]}
        )
    assignment.comment, assignment.scored_at = comment, timezone.now()
    assignment.save(update_fields=["comment", "scored_at", "updated_at"])
    audit.record(
        actor=by, action="jury.score", obj=assignment.exhibit,
        organization_id=assignment.exhibit.submitter_id,
        before={"scores": before} if before else {},
        after={"scores": {str(k): v for k, v in cleaned.items()}, "comment": comment},
    )  # fmt: skip
    return assignment


@transaction.atomic
def jury_close(*, jury: Jury, by, reopen: bool = False) -> Jury:
    """Close the jury (its scores become final) or open it again."""
    _require(by, "exhibition.manage_jury")
    jury = _locked(jury)
    if reopen == (jury.closed_at is None):
        raise ServiceError(
            _("The jury is open.") if reopen else _("The jury is closed already."),
            code="jury_open" if reopen else "jury_closed",
        )
    jury.closed_at = None if reopen else timezone.now()
    jury.save(update_fields=["closed_at", "updated_at"])
    audit.record(actor=by, action="jury.reopen" if reopen else "jury.close", obj=jury)
    return jury


# --- the city's decisions ---------------------------------------------------------------------

DECISIONS = (ExhibitAction.SELECT, ExhibitAction.DECLINE, ExhibitAction.RETURN)


def exhibits_decide(*, ceremony: Ceremony, by, decisions: dict[int, str], reason: str = "") -> int:
    """Select, decline or return many exhibits at once (the jury's results page), through the
    exhibit workflow one by one (each writes its audit entry and tells its submitter). All or
    nothing: a refusal for one leaves every exhibit as it was. Returns how many were decided."""
    from .services import exhibit_transition

    if any(action not in DECISIONS for action in decisions.values()):
        raise ServiceError(_("Choose select, decline or return."), code="unknown_action")
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ServiceError(_("The reason has at most 500 characters."), code="too_long")
    with transaction.atomic():
        Ceremony.objects.select_for_update().get(pk=ceremony.pk)
        exhibits = {
            e.pk: e
            for e in Exhibit.objects.filter(ceremony=ceremony, pk__in=list(decisions))
            .select_related("ceremony", "submitter")
        }  # fmt: skip
        if len(exhibits) != len(decisions):
            raise ServiceError(_("An exhibit is not of this ceremony."), code="other_ceremony")
        selecting = sum(1 for a in decisions.values() if a == ExhibitAction.SELECT)
        taken = Exhibit.objects.filter(ceremony=ceremony, state=ExhibitState.SELECTED).count()
        if taken + selecting > ceremony.booth_count:
            raise ServiceError(
                _("%(n)d exhibits chosen for %(left)d free booths.")
                % {"n": selecting, "left": ceremony.booth_count - taken},
                code="no_booth_left",
            )
        # Selections first, in the order given (best score first), so booths follow the ranking.
        ordered = sorted(decisions.items(), key=lambda item: item[1] != ExhibitAction.SELECT)
        for pk, action in ordered:
            exhibit_transition(
                exhibit=exhibits[pk],
                action=action,
                by=by,
                reason="" if action == ExhibitAction.SELECT else reason,
            )
    return len(decisions)
