"""A small world for the media tests, one user per role.

市科技局 ── 张店区 ── unit A (hosts the activities)
        └─ 临淄区 ── unit B (another unit)
"""

from __future__ import annotations

from types import SimpleNamespace

from sciweek.activities.services import seed_categories
from sciweek.organizations.enums import Role
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    CityBureauFactory,
    EditionFactory,
    FocusAreaFactory,
    HostUnitFactory,
    member,
)

ROLES = [
    "host_editor",
    "area_reviewer",
    "organiser",
    "organiser_editor",
    "other_unit",
    "gate",
    "anonymous",
]


def make_world() -> SimpleNamespace:
    bureau = CityBureauFactory()
    zhangdian = AreaFactory(parent=bureau, name="张店区", slug="zhangdian")
    linzi = AreaFactory(parent=bureau, name="临淄区", slug="linzi")
    unit_a = HostUnitFactory(parent=zhangdian, name="淄博市科技馆")
    unit_b = HostUnitFactory(parent=linzi, name="临淄化工研究院")
    edition = EditionFactory(organizer=bureau)
    seed_categories(edition=edition)
    return SimpleNamespace(
        bureau=bureau,
        zhangdian=zhangdian,
        linzi=linzi,
        unit_a=unit_a,
        unit_b=unit_b,
        edition=edition,
        field_a=FocusAreaFactory(edition=edition, title="人工智能"),
        field_b=FocusAreaFactory(edition=edition, title="生命健康"),
        host_editor=member(Role.EDITOR, unit_a, username="host-editor"),
        area_reviewer=member(Role.REVIEWER, zhangdian, username="area-reviewer"),
        organiser=member(Role.ADMIN, bureau, username="organiser"),
        organiser_editor=member(Role.EDITOR, bureau, username="organiser-editor"),
        other_unit=member(Role.EDITOR, unit_b, username="other-unit"),
        gate=member(Role.GATE_STAFF, unit_a, username="gate"),
        anonymous=None,
    )


def activity(w, state: str = "published", *, host=None, **kwargs):
    from django.utils import timezone

    host = host or w.unit_a
    kwargs.setdefault("area", host.area)
    kwargs.setdefault("category", w.edition.categories.first())
    if state != "draft":
        kwargs.setdefault("submitted_at", timezone.now())
    return ActivityFactory(edition=w.edition, host=host, state=state, **kwargs)
