"""The media tests' layer on the one world (tests/world.py): an edition of the bureau with its
categories and two focus areas. Attribute names of the older media world (``w.host_editor``,
``w.organiser``…) resolve through the world; the other unit's editor is
``w.other_unit_editor`` (``w.other_unit`` is that unit)."""

from __future__ import annotations

from sciweek.activities.services import seed_categories
from tests.factories import ActivityFactory, EditionFactory, FocusAreaFactory
from tests.roles import Role
from tests.world import World


def make_world() -> World:
    w = World("bureau", "area", "other_area", "unit", "other_unit")
    w.edition = EditionFactory(organizer=w.bureau)
    seed_categories(edition=w.edition)
    w.field_a = FocusAreaFactory(edition=w.edition, title="人工智能")
    w.field_b = FocusAreaFactory(edition=w.edition, title="生命健康")
    for role in (
        Role.UNIT_EDITOR,
        Role.AREA_REVIEWER,
        Role.ORGANIZER_ADMIN,
        Role.ORGANIZER_EDITOR,
        Role.OTHER_UNIT_EDITOR,
        Role.GATE_STAFF,
    ):
        w.build(role)
    return w


def activity(w, state: str = "published", *, host=None, **kwargs):
    from django.utils import timezone

    host = host or w.unit
    kwargs.setdefault("area", host.area)
    kwargs.setdefault("category", w.edition.categories.first())
    if state != "draft":
        kwargs.setdefault("submitted_at", timezone.now())
    return ActivityFactory(edition=w.edition, host=host, state=state, **kwargs)
