"""Pure checks on an activity: what stops it from being submitted or approved.

Each returns a list of messages naming exactly what is missing, empty when all is well.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import CITY_POLICE_THRESHOLD, LARGE_EVENT_THRESHOLD, DocumentKind, Mode, PermitLevel


def session_period_problem(*, edition, starts_at, ends_at, is_series: bool) -> str | None:
    """Why a session may not take place at these times, or None: sessions fall within the
    week's dates (in local time) unless the activity is a regular or series activity."""
    if is_series:
        return None
    first = timezone.localdate(starts_at)
    last = timezone.localdate(ends_at)
    if first < edition.start_date or last > edition.end_date:
        return _(
            "Sessions must fall within the week (%(start)s to %(end)s), unless the "
            "activity is marked as a regular or series activity."
        ) % {"start": edition.start_date, "end": edition.end_date}
    return None


def largest_session(activity) -> int:
    return max((s.capacity for s in activity.sessions.all()), default=0)


def largest_day_at_venue(activity) -> int:
    """The most people over one (local) day's sessions: an activity has one venue, so the
    sessions of a day add up at that venue (three 400-place sessions are 1,200 people)."""
    per_day: dict = {}
    for s in activity.sessions.all():
        day = timezone.localdate(s.starts_at)
        per_day[day] = per_day.get(day, 0) + s.capacity
    return max(per_day.values(), default=0)


def event_size(activity) -> int:
    """The figure the large-event rule reads: the largest of any session's capacity, the
    expected participants and a day's sessions at the venue, so no one figure walks around it."""
    return max(
        largest_session(activity),
        activity.expected_participants or 0,
        largest_day_at_venue(activity),
    )


def is_large_event(activity) -> bool:
    return event_size(activity) >= LARGE_EVENT_THRESHOLD


def needs_city_police(activity) -> bool:
    return event_size(activity) >= CITY_POLICE_THRESHOLD


def required_permit_level(activity) -> str:
    """Who issues the permit for this size (国务院令第505号): county or city police."""
    if needs_city_police(activity):
        return _("the city public security bureau")
    return _("the county (district) public security bureau")


def permit_level_problem(activity) -> str | None:
    """Why the permit's issuing level (a choice on the form, not read from the authority's
    name) is not the level the size requires, or None."""
    level = activity.police_permit_level
    if not level or not needs_city_police(activity) or level == PermitLevel.CITY:
        return None
    return _("the permit is from %(given)s, but %(size)s people need a permit from %(level)s") % {
        "given": PermitLevel(level).label,
        "size": f"{event_size(activity):,}",
        "level": required_permit_level(activity),
    }


def group_size_problem(activity) -> str | None:
    """Why the largest group cannot be served, or None: a booking may never need more places
    than the smallest session has, or it would wait on a list that can never reach it."""
    capacities = [s.capacity for s in activity.sessions.all()]
    if not capacities or activity.max_group_size <= min(capacities):
        return None
    return _(
        "The largest group (%(group)s) is more than the smallest session's %(places)s places; "
        "lower it to %(places)s or less."
    ) % {"group": activity.max_group_size, "places": min(capacities)}


def large_event_rule() -> str:
    """The rule in words, for the filing page, built from the thresholds above."""
    return _(
        "An activity is a large mass event when a session's capacity, the expected participants "
        "or a day's sessions at the venue reach %(large)s people. Before approval it then needs a "
        "safety plan, an emergency plan, the police permit (its scan, pdf or image, and its "
        "number), the authority that issued it and the person responsible for safety. The permit "
        "comes from the county (district) police below %(city)s people and from the city police "
        "from %(city)s."
    ) % {"large": f"{LARGE_EVENT_THRESHOLD:,}", "city": f"{CITY_POLICE_THRESHOLD:,}"}


def submission_problems(activity) -> list[str]:
    problems = []
    if not activity.confidentiality_checked:
        problems.append(_("Complete the confidentiality self-check (科技保密自查)."))
    sessions = list(activity.sessions.all())
    if not sessions:
        problems.append(_("Add at least one session (date, time and capacity)."))
    if activity.mode in (Mode.OFFLINE, Mode.HYBRID):
        if not activity.venue_name:
            problems.append(_("Give the venue."))
        if not activity.address:
            problems.append(_("Give the address."))
    if activity.mode in (Mode.ONLINE, Mode.HYBRID) and not activity.livestream_url:
        problems.append(_("Give the livestream or online link."))
    return problems


def large_event_problems(activity) -> list[str]:
    """What a large mass event still lacks for approval (the plans, the permit's scan, number,
    authority of the required level, and the person responsible for safety)."""
    if not is_large_event(activity):
        return []
    kinds = {d.kind for d in activity.documents.all()}
    problems = []
    if DocumentKind.SAFETY_PLAN not in kinds:
        problems.append(_("the safety plan (安全工作方案)"))
    if DocumentKind.EMERGENCY_PLAN not in kinds:
        problems.append(_("the emergency plan (应急预案)"))
    if DocumentKind.POLICE_PERMIT not in kinds:
        problems.append(_("the police permit document (a scan: pdf or image)"))
    if not activity.police_permit_number:
        problems.append(_("the police permit number"))
    if not activity.police_permit_authority or not activity.police_permit_level:
        problems.append(_("the authority that issued the permit"))
    elif level := permit_level_problem(activity):
        problems.append(level)
    if not activity.safety_officer_name:
        problems.append(_("the person responsible for safety"))
    return problems


def has_ended(activity, now=None) -> bool:
    now = now or timezone.now()
    ends = [s.ends_at for s in activity.sessions.all()]
    if ends:
        return max(ends) <= now
    return activity.edition.end_date < timezone.localdate(now)
