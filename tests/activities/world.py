"""A small world for the activity tests, one user per role.

市科技局 (city bureau) ── city department
├── 张店区 ── unit A (host unit)
└── 临淄区 ── unit B (host unit)
"""

from __future__ import annotations

from types import SimpleNamespace

from sciweek.accounts.models import User
from sciweek.activities.models import Activity, Category
from sciweek.activities.services import seed_categories
from sciweek.organizations.enums import Role
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    CityBureauFactory,
    CityDepartmentFactory,
    EditionFactory,
    HostUnitFactory,
    SessionFactory,
    UserFactory,
    member,
)

# Every role the activity rules and pages are checked against, by attribute name.
ROLES = [
    "host_editor",
    "host_admin",
    "area_admin",
    "area_reviewer",
    "other_area_reviewer",
    "city_reviewer",
    "city_admin",
    "gate",
    "nobody",
    "anonymous",
]


def make_world() -> SimpleNamespace:
    bureau = CityBureauFactory()
    zhangdian = AreaFactory(parent=bureau, name="张店区")
    linzi = AreaFactory(parent=bureau, name="临淄区")
    unit_a = HostUnitFactory(parent=zhangdian, name="淄博市科技馆")
    unit_b = HostUnitFactory(parent=linzi, name="临淄化工新材料研究院")
    dept = CityDepartmentFactory(parent=bureau, name="淄博市教育局")
    edition = EditionFactory(year=2031)
    seed_categories(edition=edition)
    return SimpleNamespace(
        bureau=bureau,
        zhangdian=zhangdian,
        linzi=linzi,
        unit_a=unit_a,
        unit_b=unit_b,
        dept=dept,
        edition=edition,
        category=Category.objects.get(edition=edition, code="open_day"),
        host_editor=member(Role.EDITOR, unit_a, username="host-editor"),
        host_admin=member(Role.ADMIN, unit_a, username="host-admin"),
        area_admin=member(Role.ADMIN, zhangdian, username="area-admin"),
        area_reviewer=member(Role.REVIEWER, zhangdian, username="area-reviewer"),
        other_area_reviewer=member(Role.REVIEWER, linzi, username="linzi-reviewer"),
        city_reviewer=member(Role.REVIEWER, bureau, username="city-reviewer"),
        city_admin=member(Role.ADMIN, bureau, username="city-admin"),
        gate=member(Role.GATE_STAFF, unit_a, username="gate"),
        nobody=UserFactory(username="nobody"),
        anonymous=None,
        dept_editor=member(Role.EDITOR, dept, username="dept-editor"),
    )


def activity_in(w, state: str = "draft", *, host=None, sessions: int = 1, **kwargs) -> Activity:
    """An activity of unit A (or ``host``) in ``state``, with ``sessions`` sessions; anything
    past draft has been submitted."""
    host = host or w.unit_a
    kwargs.setdefault("area", host.area or w.zhangdian)
    kwargs.setdefault("category", w.category)
    activity = ActivityFactory(edition=w.edition, host=host, state=state, **kwargs)
    for _ in range(sessions):
        SessionFactory(activity=activity)
    if state not in ("draft",) and activity.submitted_at is None:
        activity.submitted_at = activity.created_at
        activity.save(update_fields=["submitted_at"])
    return activity


def fresh(user: User | None) -> User | None:
    """The same account without cached permissions, as a new request sees it."""
    return None if user is None else User.objects.get(pk=user.pk)
