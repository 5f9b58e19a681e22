"""A small organisation tree with one user per role, shared by the API tests.

    市科技局 (organiser)
    ├── area            ── dept (area department), unit (host unit)
    └── other_area      ── other_dept, other_unit

``notice`` is published and addressed to dept and other_dept; ``draft`` is addressed to dept;
``other_notice`` is published and addressed to other_dept only.
"""

from types import SimpleNamespace

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sciweek.campaigns.enums import EditionStatus
from sciweek.organizations.enums import Role
from tests.factories import (
    AreaDepartmentFactory,
    AreaFactory,
    CityBureauFactory,
    EditionFactory,
    HostUnitFactory,
    NoticeFactory,
    NoticeRecipientFactory,
    PublishedNoticeFactory,
    UserFactory,
    member,
)

PASSWORD = "pw-for-tests-1"  # UserFactory's


@pytest.fixture
def world(db):
    bureau = CityBureauFactory()
    area = AreaFactory(parent=bureau, name="张店区")
    other_area = AreaFactory(parent=bureau, name="淄川区")
    dept = AreaDepartmentFactory(parent=area, name="张店区科技局")
    other_dept = AreaDepartmentFactory(parent=other_area, name="淄川区科技局")
    unit = HostUnitFactory(parent=area, name="张店实验学校")
    other_unit = HostUnitFactory(parent=other_area, name="淄川科技馆")
    edition = EditionFactory(organizer=bureau, year=2023)
    draft_edition = EditionFactory(organizer=bureau, year=2024, status=EditionStatus.DRAFT)
    notice = PublishedNoticeFactory(edition=edition)
    NoticeRecipientFactory(notice=notice, organization=dept)
    NoticeRecipientFactory(notice=notice, organization=other_dept)
    draft = NoticeFactory(edition=edition)
    NoticeRecipientFactory(notice=draft, organization=dept)
    other_notice = PublishedNoticeFactory(edition=edition)
    NoticeRecipientFactory(notice=other_notice, organization=other_dept)
    users = {
        "organiser": member(Role.ADMIN, bureau, username="organiser"),
        "area_admin": member(Role.ADMIN, area, username="area-admin"),
        "unit_editor": member(Role.EDITOR, unit, username="unit-editor"),
        "gate_staff": member(Role.GATE_STAFF, unit, username="gate-staff"),
        "no_membership": UserFactory(username="nobody"),
        "dept_editor": member(Role.EDITOR, dept, username="dept-editor"),
        "other_dept_editor": member(Role.EDITOR, other_dept, username="other-dept-editor"),
    }
    return SimpleNamespace(
        bureau=bureau,
        area=area,
        other_area=other_area,
        dept=dept,
        other_dept=other_dept,
        unit=unit,
        other_unit=other_unit,
        edition=edition,
        draft_edition=draft_edition,
        notice=notice,
        draft=draft,
        other_notice=other_notice,
        users=users,
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_for(world):
    """``client_for("area_admin")``: a client sending that user's token, as real clients do."""

    def make(role: str | None) -> APIClient:
        client = APIClient()
        if role is not None:
            token, _ = Token.objects.get_or_create(user=world.users[role])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
