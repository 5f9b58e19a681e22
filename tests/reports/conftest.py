"""A small world for the reporting tests: a city, areas A and B with host units, a 2023-like
edition, the reporting task, and one user per role."""

from datetime import date
from types import SimpleNamespace

import pytest

from sciweek.organizations.enums import Role
from sciweek.organizations.models import Membership
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
    Membership.objects.create(user=w.organizer, organization=city, role=Role.REVIEWER)
    w.area_user_a = member(Role.ADMIN, area_a, email="a@example.test")
    w.area_user_b = member(Role.ADMIN, area_b, email="b@example.test")
    w.unit_editor = member(Role.EDITOR, unit_a)
    w.gate = member(Role.GATE_STAFF, unit_a)
    w.nobody = UserFactory()
    w.summary_a = summary_for(task=task, area=area_a)
    w.summary_b = summary_for(task=task, area=area_b)
    return w


def complete(summary, by):
    """Give the summary everything the task requires: the report, five photos and a video."""
    from sciweek.reports.uploads import file_add

    from .files import docx, jpeg, tiny_video, up

    file_add(summary=summary, kind="document", upload=up("总结.docx", docx()), by=by)
    for n in range(summary.task.min_photos):
        file_add(summary=summary, kind="photo", upload=up(f"p{n}.jpg", jpeg((64, 48))), by=by)
    file_add(summary=summary, kind="video", upload=up("v.mp4", tiny_video(3)), by=by)
    return summary
