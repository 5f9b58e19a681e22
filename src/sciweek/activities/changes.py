"""A published activity lives on: small corrections at once, changes of time, venue or booking
rules through a change its reviewer approves (``workflow.CHANGE``), sessions added one at a time
or as a series, and a replay link once it is held.

Bookers hear of a new time or venue through the ``activity_rescheduled`` signal, sent in the
approving transaction (bookings writes one outbox row per active booking).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import ServiceError
from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role

from . import checks
from .enums import (
    BOOKING_RULE_FIELDS,
    CORRECTION_FIELDS,
    VENUE_FIELDS,
    ActivityState,
    ChangeState,
)
from .models import Activity, ActivityChange, Session
from .services import SESSION_FIELDS, _check_session, sessions_changed
from .signals import activity_rescheduled
from .workflow import CHANGE

CHANGE_FIELDS = (*VENUE_FIELDS, *BOOKING_RULE_FIELDS)
# A series adds at most this many sessions at once (a season of weekdays, twice a day).
SERIES_LIMIT = 200


def _locked(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("edition", "host")
        .get(pk=activity.pk)
    )


def _require_published(activity: Activity) -> None:
    if activity.state != ActivityState.PUBLISHED:
        raise ServiceError(
            _("Only a published activity can be changed this way."), code="not_published"
        )


def _still_approvable(activity: Activity) -> None:
    # A session added after approval may not make it a large mass event without its papers.
    if missing := checks.large_event_problems(activity):
        raise ServiceError(
            _("With this session it is a large mass event, which needs %(missing)s first.")
            % {"missing": _(", ").join(missing)},
            code="large_event_incomplete",
        )


def _record(activity: Activity, by, action: str, **kwargs) -> None:
    audit.record(actor=by, action=action, obj=activity, organization_id=activity.host_id, **kwargs)


def _json(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _field_value(name: str, value):
    return Activity._meta.get_field(name).to_python(value)


def _local_iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes")


def _nothing_changed() -> ServiceError:
    return ServiceError(_("Nothing was changed."), code="no_change")


@transaction.atomic
def activity_correct(*, activity: Activity, values: Mapping, by) -> Activity:
    """Fix the text of a published activity (title, summary, description) at once.

    Side effects: audit entry ``activity.correct`` with the values before and after."""
    activity = _locked(activity)
    _require_published(activity)
    if not _correct(activity, values, by):
        raise _nothing_changed()
    return activity


def _correct(activity: Activity, values: Mapping, by) -> bool:
    """Apply the corrections that differ from the (locked) activity; False when none do."""
    changed = {
        name: values[name]
        for name in CORRECTION_FIELDS
        if name in values and values[name] != getattr(activity, name)
    }
    if not changed:
        return False
    if not str(changed.get("title", activity.title)).strip():
        raise ServiceError(_("Give a title."), code="bad_title")
    before = audit.snapshot(activity, list(changed))
    for name, value in changed.items():
        setattr(activity, name, value)
    activity.save(update_fields=[*changed, "updated_at"])
    _record(
        activity,
        by,
        "activity.correct",
        before=before,
        after=audit.snapshot(activity, list(changed)),
    )
    return True


@dataclass(frozen=True)
class PublishedEdit:
    corrected: bool
    change: ActivityChange | None


@transaction.atomic
def published_edit(
    *,
    activity: Activity,
    by,
    corrections: Mapping,
    fields: Mapping | None = None,
    sessions: Mapping[int, tuple[datetime, datetime]] | None = None,
    note: str = "",
) -> PublishedEdit:
    """The edit page of a published activity: its text corrections apply at once and a change
    of time, venue or booking rules is proposed for approval, both or neither (a refused
    proposal keeps the typo fix from being saved alone). Refused with ``no_change`` only when
    neither part changes anything.

    Side effects: those of ``activity_correct`` and ``change_propose``."""
    activity = _locked(activity)
    _require_published(activity)
    corrected = _correct(activity, corrections, by)
    change = _propose(activity, by, fields, sessions, note)
    if not corrected and change is None:
        raise _nothing_changed()
    return PublishedEdit(corrected=corrected, change=change)


@transaction.atomic
def change_propose(
    *,
    activity: Activity,
    by,
    fields: Mapping | None = None,
    sessions: Mapping[int, tuple[datetime, datetime]] | None = None,
    note: str = "",
) -> ActivityChange:
    """Propose new venue or booking-rule values and new session times for a published activity.
    Only what differs from the activity is kept; one change waits at a time.

    Side effects: audit entry ``activity.change_propose``."""
    activity = _locked(activity)
    _require_published(activity)
    change = _propose(activity, by, fields, sessions, note)
    if change is None:
        raise _nothing_changed()
    return change


def _propose(activity: Activity, by, fields, sessions, note: str) -> ActivityChange | None:
    """Propose what differs from the (locked) activity; None when nothing does."""
    proposed, before = {}, {}
    for name, value in (fields or {}).items():
        if name not in CHANGE_FIELDS:
            raise ServiceError(
                _("“%(field)s” cannot be changed.") % {"field": name}, code="bad_field"
            )
        field = Activity._meta.get_field(name)
        try:
            value = field.clean(value, activity)
        except ValidationError as exc:
            raise ServiceError(
                f"{field.verbose_name}: {' '.join(exc.messages)}",
                code="bad_value",
            ) from exc
        if value != getattr(activity, name):
            proposed[name] = _json(value)
            before[name] = _json(getattr(activity, name))
    moved, moved_before = {}, {}
    own = {s.pk: s for s in activity.sessions.all()}
    for pk, (starts_at, ends_at) in (sessions or {}).items():
        session = own.get(int(pk))
        if session is None:
            raise ServiceError(_("That session is not this activity's."), code="bad_session")
        if (starts_at, ends_at) == (session.starts_at, session.ends_at):
            continue
        _check_session(activity, Session(activity=activity, starts_at=starts_at, ends_at=ends_at))
        moved[str(session.pk)] = {
            "starts_at": _local_iso(starts_at),
            "ends_at": _local_iso(ends_at),
        }
        moved_before[str(session.pk)] = {
            "starts_at": _local_iso(session.starts_at),
            "ends_at": _local_iso(session.ends_at),
        }
    if not proposed and not moved:
        return None
    # Checked once there is something to propose, so a typo fix is not held up by a change.
    if activity.changes.filter(state=CHANGE.states.PROPOSED).exists():
        raise ServiceError(
            _("A change of this activity is already awaiting approval."), code="change_pending"
        )
    change = ActivityChange(
        activity=activity,
        fields=proposed,
        sessions=moved,
        before={"fields": before, "sessions": moved_before},
        note=note.strip()[:200],
        proposed_by=by,
    )
    CHANGE.start(change)
    change.save()
    _record(activity, by, "activity.change_propose", before=change.before,
            after={"fields": proposed, "sessions": moved}, reason=change.note)  # fmt: skip
    return change


def change_decide(*, change: ActivityChange, action: str, by, reason: str = "") -> ActivityChange:
    """Approve (the change is applied and bookers are told) or reject (with a reason).

    Side effects: audit entry ``activity_change.<action>`` on the activity; on approve, the
    activity's fields and sessions change and ``activity_rescheduled`` is sent."""
    return CHANGE.transition(change, action, by=by, reason=reason)


def apply_change(change: ActivityChange, *, by) -> None:
    """Apply an approved change (the workflow's effect, in its transaction)."""
    activity = _locked(change.activity)
    for name, value in change.fields.items():
        setattr(activity, name, _field_value(name, value))
    if change.fields:
        activity.save(update_fields=[*change.fields, "updated_at"])
    told = []
    for pk, times in change.sessions.items():
        session = Session.objects.select_for_update().get(pk=int(pk), activity=activity)
        session.starts_at = datetime.fromisoformat(times["starts_at"])
        session.ends_at = datetime.fromisoformat(times["ends_at"])
        session.save(update_fields=["starts_at", "ends_at"])
        told.append(session)
    if change.sessions:
        sessions_changed(activity)
    if change.changes_venue:
        # A new place concerns everyone booked for a session still to come.
        told = list(activity.sessions.filter(starts_at__gt=timezone.now()))
    if told:
        activity_rescheduled.send(
            sender=Activity, activity=activity, sessions=told, change=change, by=by
        )


@transaction.atomic
def session_add_published(*, activity: Activity, session: Session, by) -> Session:
    """Add one session to a published activity (within the week unless it is a series).

    Side effects: audit entry ``activity.session_add``."""
    activity = _locked(activity)
    _require_published(activity)
    session.activity = activity
    _check_session(activity, session)
    session.save()
    sessions_changed(activity)
    _still_approvable(activity)
    _record(activity, by, "activity.session_add", after=audit.snapshot(session, SESSION_FIELDS))
    return session


def series_slots(
    *, first_day: date, last_day: date, weekdays: Iterable[int], times: Iterable[time],
    minutes: int,
) -> list[tuple[datetime, datetime]]:  # fmt: skip
    """Every ``weekdays`` (0 = Monday) day from ``first_day`` to ``last_day``, at each of
    ``times`` (local time), lasting ``minutes``: the sessions of a series, in order."""
    days = sorted(set(weekdays))
    starts = sorted(set(times))
    if last_day < first_day:
        raise ServiceError(_("The last day comes before the first."), code="series_order")
    if minutes <= 0:
        raise ServiceError(_("A session must end after it starts."), code="session_order")
    slots = []
    day = first_day
    while day <= last_day:
        if day.weekday() in days:
            for at in starts:
                start = timezone.make_aware(datetime.combine(day, at))
                slots.append((start, start + timedelta(minutes=minutes)))
        day += timedelta(days=1)
    return slots


@transaction.atomic
def sessions_add_series(
    *, activity: Activity, first_day: date, last_day: date, weekdays: Iterable[int],
    times: Iterable[time], minutes: int, capacity: int, by,
) -> list[Session]:  # fmt: skip
    """Add a series of sessions (every chosen weekday at each time) to a published activity, all
    or none: each must fall within the week unless the activity is a series.

    Side effects: one audit entry ``activity.sessions_add_series`` naming the count."""
    activity = _locked(activity)
    _require_published(activity)
    slots = series_slots(
        first_day=first_day, last_day=last_day, weekdays=weekdays, times=times, minutes=minutes
    )
    if not slots:
        raise ServiceError(_("These days and times give no session."), code="series_empty")
    if len(slots) > SERIES_LIMIT:
        raise ServiceError(
            _("At most %(n)d sessions can be added at once.") % {"n": SERIES_LIMIT},
            code="series_too_long",
        )
    sessions = [
        Session(activity=activity, starts_at=s, ends_at=e, capacity=capacity) for s, e in slots
    ]
    for session in sessions:
        _check_session(activity, session)
    Session.objects.bulk_create(sessions)
    sessions_changed(activity)
    _still_approvable(activity)
    _record(activity, by, "activity.sessions_add_series", after={
        "count": len(sessions), "first": _local_iso(slots[0][0]), "last": _local_iso(slots[-1][0]),
    })  # fmt: skip
    return sessions


@transaction.atomic
def replay_set(*, activity: Activity, url: str, by) -> Activity:
    """Add (or change) the replay link of a held activity.

    Side effects: audit entry ``activity.replay``."""
    activity = _locked(activity)
    if activity.state != ActivityState.HELD:
        raise ServiceError(
            _("A replay link is added once the activity is marked as held."), code="not_held"
        )
    before = {"replay_url": activity.replay_url}
    field = Activity._meta.get_field("replay_url")
    try:
        field.run_validators(url)
    except Exception as exc:
        raise ServiceError(_("Enter a valid link."), code="bad_url") from exc
    activity.replay_url = url
    activity.save(update_fields=["replay_url", "updated_at"])
    _record(activity, by, "activity.replay", before=before, after={"replay_url": url})
    return activity


def changes_to_review(user):
    """The changes waiting for ``user``: their areas' units', and city-level activities' for the
    city's reviewers (the rule ``activities.review_change`` as a query)."""
    access = access_for(user)
    mine = Q(activity__host__area_id__in=access.area_ids(Role.REVIEWER, Role.ADMIN))
    if access.organizer_roles() & {Role.REVIEWER, Role.ADMIN}:
        mine |= Q(activity__host__area__isnull=True)
    return (
        ActivityChange.objects.filter(mine, state=ChangeState.PROPOSED)
        .select_related("activity", "activity__host", "proposed_by")
        .order_by("created_at", "id")
    )
