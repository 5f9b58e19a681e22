"""The API tests' layer on the one world (tests/world.py): the 2023 edition (public), a 2024
draft edition and three notices. ``world.users[...]`` and ``client_for(...)`` take a ``Role``
(or an older name such as "organiser" or "no_membership").

``notice`` is published and addressed to dept and other_dept; ``draft`` is addressed to dept;
``other_notice`` is published and addressed to other_dept only.
"""

import pytest
from rest_framework.test import APIClient

from sciweek.campaigns.enums import EditionStatus
from tests.api.clients import token_client
from tests.factories import (
    EditionFactory,
    NoticeFactory,
    NoticeRecipientFactory,
    PublishedNoticeFactory,
)
from tests.roles import Role

PASSWORD = "pw-for-tests-1"  # UserFactory's


@pytest.fixture
def world(world):
    w = world
    for org in ("bureau", "area", "other_area", "dept", "other_dept", "unit", "other_unit"):
        w.build(org)
    w.edition = EditionFactory(organizer=w.bureau, year=2023)
    w.draft_edition = EditionFactory(organizer=w.bureau, year=2024, status=EditionStatus.DRAFT)
    w.notice = PublishedNoticeFactory(edition=w.edition)
    NoticeRecipientFactory(notice=w.notice, organization=w.dept)
    NoticeRecipientFactory(notice=w.notice, organization=w.other_dept)
    w.draft = NoticeFactory(edition=w.edition)
    NoticeRecipientFactory(notice=w.draft, organization=w.dept)
    w.other_notice = PublishedNoticeFactory(edition=w.edition)
    NoticeRecipientFactory(notice=w.other_notice, organization=w.other_dept)
    for role in (
        Role.ORGANIZER_ADMIN,
        Role.AREA_ADMIN,
        Role.UNIT_EDITOR,
        Role.GATE_STAFF,
        Role.SIGNED_IN,
        Role.DEPT_EDITOR,
        Role.OTHER_DEPT_EDITOR,
    ):
        w.build(role)
    return w


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_for(world):
    """``client_for(Role.AREA_ADMIN)``: a client sending that user's token, as real clients do."""

    def make(role: Role | str | None) -> APIClient:
        return token_client(world, role)

    return make
