"""The activity tests' layer on the one world (tests/world.py): the 2031 edition with its
categories. Attribute names of the older activity world (``w.host_editor``, ``w.zhangdian``…)
resolve through the world; ``w.dept`` here is the city department, as it always was."""

from __future__ import annotations

from sciweek.activities.models import Activity, Category
from sciweek.activities.services import seed_categories
from tests.factories import ActivityFactory, EditionFactory, SessionFactory
from tests.roles import Role
from tests.world import World, fresh

__all__ = ["ROLES", "activity_in", "fresh", "make_world"]

# The roles the activity rules and pages are checked against.
ROLES = (
    Role.UNIT_EDITOR,
    Role.UNIT_ADMIN,
    Role.AREA_ADMIN,
    Role.AREA_REVIEWER,
    Role.OTHER_AREA_REVIEWER,
    Role.ORGANIZER_REVIEWER,
    Role.ORGANIZER_ADMIN,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
    Role.ANONYMOUS,
)


def make_world() -> World:
    w = World("bureau", "area", "other_area", "unit", "other_unit", "city_dept")
    w.edition = EditionFactory(year=2031)
    seed_categories(edition=w.edition)
    w.category = Category.objects.get(edition=w.edition, code="open_day")
    for role in (*ROLES, Role.CITY_DEPT_EDITOR):
        w.build(role)
    w.dept = w.city_dept
    w.dept_editor = w.city_dept_editor
    return w


def activity_in(w, state: str = "draft", *, host=None, sessions: int = 1, **kwargs) -> Activity:
    """An activity of the unit (or ``host``) in ``state``, with ``sessions`` sessions; anything
    past draft has been submitted."""
    host = host or w.unit
    kwargs.setdefault("area", host.area or w.area)
    kwargs.setdefault("category", w.category)
    activity = ActivityFactory(edition=w.edition, host=host, state=state, **kwargs)
    for _ in range(sessions):
        SessionFactory(activity=activity)
    if state not in ("draft",) and activity.submitted_at is None:
        activity.submitted_at = activity.created_at
        activity.save(update_fields=["submitted_at"])
    return activity
