"""Every ceremony and exhibition API endpoint × every role. The API answers the anonymous
user 401; what the user may not see, 404; what the rules refuse, 403; a service's refusal, its
status with a stable code."""

import json

import pytest

from sciweek.exhibition.enums import GuestState
from sciweek.exhibition.models import Guest
from tests.roles import Role

from .conftest import ROLES

pytestmark = pytest.mark.django_db


def table(default, **codes):
    t = {Role.ANONYMOUS: 401, **dict.fromkeys(ROLES[1:], default)}
    t.update({Role(name): code for name, code in codes.items()})
    assert set(t) == set(ROLES)
    return t


OFFICE = {"area_admin": 200, "other_area_admin": 200, "organizer_admin": 200,
          "organizer_reviewer": 200, "platform_admin": 200}  # fmt: skip
CITY = {"organizer_admin": 200, "organizer_reviewer": 200, "platform_admin": 200}
DELEGATE = {"category": "student", "area": "{a}", "name": "李子涵", "organization_name": "张店实验中学",
            "mobile": "13800000009", "teacher": "王老师"}  # fmt: skip
EXHIBIT = {"ceremony": "{c}", "submitter": "{a}", "title": "储能电池", "unit_name": "科技馆",
           "field": "新能源", "strategy": "other", "description": "简介"}  # fmt: skip

API = [
    ("get", "/api/v1/ceremonies/", table(403, **OFFICE), None),
    ("get", "/api/v1/ceremonies/{c}/", table(403, **OFFICE), None),
    ("get", "/api/v1/ceremonies/{c}/board/", table(403, **CITY), None),
    ("get", "/api/v1/ceremonies/{c}/quotas/", table(403, **OFFICE), None),
    ("post", "/api/v1/ceremonies/{c}/quotas/",
     table(403, area_admin=403, organizer_admin=200, platform_admin=200),
     {"area": "{o}", "category": "student", "places": 5}),
    ("get", "/api/v1/ceremonies/{c}/guests/", table(403, **OFFICE), None),
    ("post", "/api/v1/ceremonies/{c}/guests/", table(403, area_admin=201, platform_admin=201), DELEGATE),
    # A host unit submits its exhibits to its area: it lists its own.
    ("get", "/api/v1/exhibits/",
     table(403, city_dept_editor=200, unit_editor=200, **OFFICE), None),
    ("get", "/api/v1/exhibits/{e}/", table(404, area_admin=200, **CITY), None),
    ("get", "/api/v1/exhibits/{d}/", table(404, area_admin=200), None),
    ("post", "/api/v1/exhibits/",
     table(403, area_admin=201, other_area_admin=403, city_dept_editor=403, platform_admin=403),
     EXHIBIT),
    ("patch", "/api/v1/exhibits/{d}/", table(404, area_admin=200), {"title": "新"}),
    ("post", "/api/v1/exhibits/{e}/transitions/",
     table(404, area_admin=403, organizer_admin=200, organizer_reviewer=200, platform_admin=200),
     {"action": "select"}),
    ("get", "/api/v1/rsvp/{token}/", dict.fromkeys(ROLES, 200), None),
    ("post", "/api/v1/rsvp/{token}/", dict.fromkeys(ROLES, 200), {"action": "attend"}),
    ("get", "/api/v1/rsvp/nope/", dict.fromkeys(ROLES, 404), None),
]  # fmt: skip


def fill(value, w):
    if not isinstance(value, str):
        return value
    out = value.format(c=w.ceremony.pk, a=w.area.pk, o=w.other_area.pk, e=w.exhibit.pk,
                       d=w.draft.pk, token=w.guest.token)  # fmt: skip
    return int(out) if out.isdigit() and value != out and value.startswith("{") else out


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "expected", "data"), API,
                         ids=[f"{m} {t}" for m, t, _e, _d in API])  # fmt: skip
def test_api_permissions(client, world, role, method, template, expected, data):
    if role != Role.ANONYMOUS:
        client.force_login(world.users[role])
    url = fill(template, world)
    if method == "get":
        response = client.get(url)
    else:
        body = {k: fill(v, world) for k, v in (data or {}).items()}
        response = getattr(client, method)(
            url, data=json.dumps(body), content_type="application/json"
        )
    assert response.status_code == expected[role], (role, url, response.content[:300])


def test_area_sees_only_its_own_guests_with_masked_mobiles(client, world):
    client.force_login(world.area_admin)
    rows = client.get(f"/api/v1/ceremonies/{world.ceremony.pk}/guests/").json()
    assert [(r["id"], r["mobile"]) for r in rows] == [(world.guest.pk, "139****0001")]
    client.force_login(world.organizer_admin)
    assert len(client.get(f"/api/v1/ceremonies/{world.ceremony.pk}/guests/").json()) == 2


def test_refusals_answer_a_code(client, world):
    client.force_login(world.area_admin)
    response = client.post(f"/api/v1/ceremonies/{world.ceremony.pk}/guests/",
                           data=json.dumps({**DELEGATE, "area": world.area.pk, "category": "enterprise"}),
                           content_type="application/json")  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (400, "no_quota")
    response = client.post(f"/api/v1/rsvp/{world.guest.token}/", data=json.dumps({"action": "substitute"}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert Guest.objects.get(pk=world.guest.pk).state == GuestState.INVITED


def test_rsvp_gives_the_code_once_coming(client, world):
    url = f"/api/v1/rsvp/{world.guest.token}/"
    assert client.get(url).json()["code"] == ""
    body = client.post(
        url, data=json.dumps({"action": "attend"}), content_type="application/json"
    ).json()
    assert (body["state"], body["code"]) == ("attending", world.guest.code)
