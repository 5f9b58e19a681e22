"""The reporting tests' layer on the one world: the 2023 edition, its task and the summaries of
张店区 (``summary_a``) and 临淄区 (``summary_b``). Older names (``w.city``, ``w.area_user_a``…)
resolve through the world."""

from datetime import date

import pytest

from sciweek.organizations.enums import Role as MemberRole
from sciweek.organizations.models import Membership
from sciweek.reports.services import summary_for, task_for
from tests.factories import EditionFactory
from tests.roles import Role


@pytest.fixture
def world(world):
    """The one world (tests/world.py) with the 2023 edition, its reporting task and one summary
    per area; area and organiser admins have the addresses the mail tests read."""
    w = world
    w.build("bureau")
    w.build("area")
    w.build("other_area")
    w.build("unit")
    w.edition = EditionFactory(organizer=w.bureau, year=2023, summary_deadline=date(2023, 6, 12))
    w.task = task_for(w.edition)
    organizer = w.users.add(Role.ORGANIZER_ADMIN, email="org@example.test")
    # The organiser's admin also reviews, as at the bureau: a summary is reviewed by the city.
    Membership.objects.create(user=organizer, organization=w.bureau, role=MemberRole.REVIEWER)
    w.users.add(Role.AREA_ADMIN, email="a@example.test")
    w.users.add(Role.OTHER_AREA_ADMIN, email="b@example.test")
    for role in (Role.UNIT_EDITOR, Role.GATE_STAFF, Role.SIGNED_IN):
        w.build(role)
    w.summary_a = summary_for(task=w.task, area=w.area)
    w.summary_b = summary_for(task=w.task, area=w.other_area)
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
