"""Who may handle bookings. ``obj`` is an activities.Session."""

import rules

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.rules import is_organizer_admin, is_organizer_staff, is_platform_admin


@rules.predicate
def works_the_gate(user, session) -> bool:
    """Gate staff, or anyone with an office role, of the host unit; or its area's admin."""
    if session is None:
        return False
    host = session.activity.host
    access = access_for(user)
    return access.has_role(host, Role.GATE_STAFF) or access.can_act_for(host)


@rules.predicate
def manages_bookings(user, session) -> bool:
    return session is not None and access_for(user).can_act_for(session.activity.host)


@rules.predicate
def has_any_role(user) -> bool:
    return bool(access_for(user).grants)


rules.add_perm("bookings.check_in", works_the_gate | is_organizer_staff | is_platform_admin)
rules.add_perm("bookings.view_bookings", manages_bookings | is_organizer_staff | is_platform_admin)
rules.add_perm("bookings.manage_bookings", manages_bookings | is_organizer_admin)
# Unmasked attendee exports (with a reason, which is logged): the host's people and the organiser.
rules.add_perm("bookings.export_personal_data", manages_bookings | is_organizer_admin)
rules.add_perm("bookings.use_gate", has_any_role)
# Checking a ticket in outside the session's check-in window: the organiser only, audited.
rules.add_perm("bookings.override_checkin_window", is_organizer_staff | is_platform_admin)
# A real-name session's full names and ID tails at the gate: the venue's own people only.
rules.add_perm("bookings.identify_at_gate", works_the_gate)
