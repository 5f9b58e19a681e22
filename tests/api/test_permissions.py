"""Every endpoint × every role, in one table (QUALITY.md: "keep one table and test it whole").

Objects are named so the table reads like the rules: ``notice`` is published and addressed to the
Zhangdian area department; ``draft`` is an unpublished notice; ``draft_edition`` is not public.
"""

import pytest

from tests.roles import Role

from .conftest import PASSWORD

ROLES = [
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.AREA_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.SIGNED_IN,
]


def row(method, url, *statuses, body=None):
    assert len(statuses) == len(ROLES)
    return [(method, url, role, status, body) for role, status in zip(ROLES, statuses, strict=True)]


TABLE = [
    #                                                       anon org  area unit gate none
    *row("post", "/api/v1/auth/token/", 400, 200, 200, 200, 200, 200, body="credentials"),
    *row("get", "/api/v1/schema/", 200, 200, 200, 200, 200, 200),
    *row("get", "/api/v1/docs/", 200, 200, 200, 200, 200, 200),
    *row("get", "/api/v1/editions/", 200, 200, 200, 200, 200, 200),
    *row("get", "/api/v1/editions/{edition}/", 200, 200, 200, 200, 200, 200),
    # A draft edition: the organiser's (tests/api/test_edition_writes.py has the writes).
    *row("get", "/api/v1/editions/{draft_edition}/", 404, 200, 404, 404, 404, 404),
    *row("post", "/api/v1/editions/", 401, 400, 403, 403, 403, 403),
    *row("delete", "/api/v1/editions/{edition}/", 401, 405, 405, 405, 405, 405),
    *row("get", "/api/v1/organizations/", 401, 200, 200, 200, 200, 200),
    *row("get", "/api/v1/organizations/{dept}/", 401, 200, 200, 404, 404, 404),
    *row("get", "/api/v1/organizations/{unit}/", 401, 200, 200, 200, 200, 404),
    *row("delete", "/api/v1/organizations/{unit}/", 401, 405, 405, 405, 405, 405),
    *row("get", "/api/v1/notices/", 401, 200, 200, 200, 200, 200),
    *row("get", "/api/v1/notices/{notice}/", 401, 200, 200, 404, 404, 404),
    *row("get", "/api/v1/notices/{draft}/", 401, 200, 404, 404, 404, 404),
    *row(
        "post",
        "/api/v1/notices/{notice}/acknowledge/",
        *(401, 403, 200, 404, 404, 404),
        body="dept",
    ),
    *row("get", "/api/v1/notices/{notice}/acknowledgements/", 401, 200, 403, 404, 404, 404),
    *row("get", "/api/v1/notices/{draft}/acknowledgements/", 401, 200, 404, 404, 404, 404),
]


@pytest.mark.parametrize(
    ("method", "url", "role", "expected", "body"),
    TABLE,
    ids=[f"{m.upper()} {u} {r}" for m, u, r, _, _ in TABLE],
)
def test_permission_table(world, client_for, method, url, role, expected, body):
    client = client_for(None if role == Role.ANONYMOUS else role)
    url = url.format(
        edition=world.edition.pk,
        draft_edition=world.draft_edition.pk,
        dept=world.dept.pk,
        unit=world.unit.pk,
        notice=world.notice.pk,
        draft=world.draft.pk,
    )
    data = None
    if body == "dept":
        data = {"organization": world.dept.pk}
    elif body == "credentials":
        user = world.users.get(role)
        data = {"username": user.username if user else "", "password": PASSWORD}
    response = getattr(client, method)(url, data, format="json")
    assert response.status_code == expected, response.content[:300]
