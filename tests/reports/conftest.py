"""A small world for the reporting tests: a city, areas A and B with host units, a 2023-like
edition, the reporting task, and one user per role."""

from datetime import date
from types import SimpleNamespace

import pytest

from sciweek.organizations.enums import Role
from sciweek.reports.services import summary_for, task_for
from tests.factories import (
    AreaFactory,
    CityBureauFactory,
    EditionFactory,
    HostUnitFactory,
    UserFactory,
    member,
)


@pytest.fixture
def world(db):
    city = CityBureauFactory()
    area_a = AreaFactory(name="张店区", parent=city)
    area_b = AreaFactory(name="临淄区", parent=city)
    unit_a = HostUnitFactory(name="淄博市科技馆", parent=area_a)
    edition = EditionFactory(organizer=city, year=2023, summary_deadline=date(2023, 6, 12))
    task = task_for(edition)
    w = SimpleNamespace(city=city, area_a=area_a, area_b=area_b, unit_a=unit_a,
                        edition=edition, task=task)  # fmt: skip
    w.organizer = member(Role.ADMIN, city, email="org@example.test")
    Role_rev = Role.REVIEWER
    from sciweek.organizations.models import Membership

    Membership.objects.create(user=w.organizer, organization=city, role=Role_rev)
    w.area_user_a = member(Role.ADMIN, area_a, email="a@example.test")
    w.area_user_b = member(Role.ADMIN, area_b, email="b@example.test")
    w.unit_editor = member(Role.EDITOR, unit_a)
    w.gate = member(Role.GATE, unit_a)
    w.nobody = UserFactory()
    w.summary_a = summary_for(task=task, area=area_a)
    w.summary_b = summary_for(task=task, area=area_b)
    return w
