"""Pure checks on an activity: what stops it from being submitted or approved.

Each returns a list of messages naming exactly what is missing, empty when all is well.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import CITY_POLICE_THRESHOLD, LARGE_EVENT_THRESHOLD, DocumentKind, Mode


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


def is_large_event(activity) -> bool:
    return largest_session(activity) >= LARGE_EVENT_THRESHOLD


def required_permit_level(activity) -> str:
    """Who issues the permit for this size (国务院令第505号): county or city police."""
    if largest_session(activity) > CITY_POLICE_THRESHOLD:
        return _("the city public security bureau")
    return _("the county (district) public security bureau")


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
    """What a large mass event (≥ 1,000 people in one session) still lacks for approval."""
    if not is_large_event(activity):
        return []
    kinds = {d.kind for d in activity.documents.all()}
    problems = []
    if DocumentKind.SAFETY_PLAN not in kinds:
        problems.append(_("the safety plan (安全工作方案)"))
    if DocumentKind.EMERGENCY_PLAN not in kinds:
        problems.append(_("the emergency plan (应急预案)"))
    if not activity.police_permit_number:
        problems.append(_("the police permit number"))
    if not activity.police_permit_authority:
        problems.append(_("the authority that issued the permit"))
    if not activity.safety_officer_name:
        problems.append(_("the person responsible for safety"))
    return problems


def has_ended(activity, now=None) -> bool:
    now = now or timezone.now()
    ends = [s.ends_at for s in activity.sessions.all()]
    if ends:
        return max(ends) <= now
    return activity.edition.end_date < timezone.localdate(now)
