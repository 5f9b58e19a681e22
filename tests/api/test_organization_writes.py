"""Organisations and their contact people through the API, as on the organisation pages: the
organiser places anything, an area admin host units under its own area; the round trip with
If-Match; contacts added, changed and removed — every role. World: tests/api/conftest.py."""

import pytest

from sciweek.audit.models import AuditEntry
from sciweek.organizations.models import Contact, Organization
from tests.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/organizations/"


def unit_under(parent, **extra) -> dict:
    return {
        "name": "张店区实验中学",
        "kind": "host_unit",
        "parent": parent.pk,
        "unit_type": "school",
        **extra,
    }


def test_the_organiser_and_the_area_admin_create_host_units(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).post(
        URL, unit_under(world.other_area), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["area"] == world.other_area.pk
    response = client_for(Role.AREA_ADMIN).post(
        URL,
        {**unit_under(world.area), "name": "张店区第二小学", "parent": {"id": world.area.pk}},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert AuditEntry.objects.filter(action="organization.create").count() == 2


def test_an_area_admin_may_not_place_a_unit_in_another_area(world, client_for):
    response = client_for(Role.AREA_ADMIN).post(URL, unit_under(world.other_area), format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_your_area")
    assert not Organization.objects.filter(name="张店区实验中学").exists()


def test_a_host_unit_under_a_host_unit_is_bad_parent(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).post(URL, unit_under(world.unit), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "bad_parent")


def test_an_organisation_read_is_written_back_unchanged(world, client_for):
    client = client_for(Role.ORGANIZER_ADMIN)
    read = client.get(f"{URL}{world.unit.pk}/")
    response = client.put(f"{URL}{world.unit.pk}/", read.json(), format="json")
    assert response.status_code == 200, response.content
    assert response.json() == read.json()
    changed = client.patch(f"{URL}{world.unit.pk}/", {"phone": "0533-2180000"}, format="json")
    assert changed.json()["phone"] == "0533-2180000"
    stale = client.patch(
        f"{URL}{world.unit.pk}/", {"phone": "0533-1"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")


def test_contacts_are_added_changed_and_removed(world, client_for):
    client = client_for(Role.AREA_ADMIN)
    url = f"{URL}{world.unit.pk}/contacts/"
    unreachable = client.post(url, {"name": "王老师"}, format="json")
    assert (unreachable.status_code, unreachable.json()["code"]) == (400, "contact_unreachable")
    bad = client.post(url, {"name": "王老师", "mobile": "12345"}, format="json")
    assert bad.json()["code"] == "contact_mobile"
    added = client.post(
        url, {"name": "王老师", "post": "办公室", "mobile": "139 0000 0012"}, format="json"
    )
    assert added.status_code == 201, added.content
    contact = added.json()
    assert contact["mobile"] == "13900000012"
    assert client.get(url).json() == [contact]
    changed = client.patch(f"{url}{contact['id']}/", {"email": "wang@example.test"}, format="json")
    assert changed.json()["email"] == "wang@example.test"
    assert client.delete(f"{url}{contact['id']}/").status_code == 204
    assert not Contact.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="contact.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["contact.create", "contact.delete", "contact.update"]


ROLES = [
    Role.ANONYMOUS,
    Role.ORGANIZER_ADMIN,
    Role.AREA_ADMIN,
    Role.UNIT_EDITOR,
    Role.GATE_STAFF,
    Role.DEPT_EDITOR,
    Role.SIGNED_IN,
]
# The unit (淄博市科技馆, in 张店区) and a host unit to create under 张店区. The unit's own editor
# sees its organisation but does not manage it; the department's editor does not see it.
#                    anon org  area unit gate dept none
TABLE = {
    "create": (401, 201, 201, 403, 403, 403, 403),
    "patch unit": (401, 200, 200, 403, 403, 404, 404),
    "contacts": (401, 200, 200, 403, 403, 404, 404),
    "add contact": (401, 201, 201, 403, 403, 404, 404),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what", TABLE)
def test_organisation_writes_for_every_role(world, client_for, what, role):
    client = client_for(None if role == Role.ANONYMOUS else role)
    unit = f"{URL}{world.unit.pk}/"
    if what == "create":
        response = client.post(URL, unit_under(world.area), format="json")
    elif what == "patch unit":
        response = client.patch(unit, {"phone": "0533-2180000"}, format="json")
    elif what == "contacts":
        response = client.get(f"{unit}contacts/")
    else:
        response = client.post(
            f"{unit}contacts/", {"name": "李", "email": "l@d.test"}, format="json"
        )
    assert response.status_code == TABLE[what][ROLES.index(role)], response.content[:200]
