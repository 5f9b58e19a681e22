import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.enums import Role as MemberRole
from tests.factories import HostUnitFactory, member
from tests.roles import Role

URL = "/api/v1/organizations/"


def names(response) -> list[str]:
    """Sorted: the tree orders by materialised path, whose sibling order depends on how many
    digits the ids have (ids keep growing across tests on PostgreSQL)."""
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_organizations_organiser_admin_sees_the_whole_tree(world, client_for):
    assert names(client_for(Role.ORGANIZER_ADMIN).get(URL)) == [
        "临淄化工新材料研究院",
        "临淄区",
        "临淄区科技局",
        "市科技局",
        "张店区",
        "张店区科技局",
        "淄博市科技馆",
    ]


def test_organizations_area_admin_sees_its_area_only(world, client_for):
    assert names(client_for(Role.AREA_ADMIN).get(URL)) == ["张店区", "张店区科技局", "淄博市科技馆"]


@pytest.mark.parametrize("role", [Role.UNIT_EDITOR, Role.GATE_STAFF])
def test_organizations_host_unit_member_sees_own_unit(world, client_for, role):
    assert names(client_for(role).get(URL)) == ["淄博市科技馆"]


def test_organizations_user_without_membership_sees_nothing(world, client_for):
    assert names(client_for(Role.SIGNED_IN).get(URL)) == []


def test_organizations_anonymous_is_401(world, api):
    response = api.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }
    assert response.headers["WWW-Authenticate"] == "Token"


def test_organizations_401_message_in_chinese_by_default(world, api):
    response = api.get(URL)
    assert response.json() == {"code": "not_authenticated", "detail": "身份认证信息未提供。"}


def test_organization_fields(world, client_for):
    row = client_for(Role.AREA_ADMIN).get(f"{URL}{world.unit.pk}/").json()
    assert row == {
        "id": world.unit.pk,
        "name": "淄博市科技馆",
        "short_name": "",
        "kind": "host_unit",
        "parent": world.area.pk,
        "area": world.area.pk,
        "area_type": "",
        "division_code": "",
        "slug": "",
        "unit_type": "school",
        "email": "",
        "phone": "",
        "address": "",
        "is_active": True,
    }


def test_organization_detail_outside_visibility_is_404(world, client_for):
    assert client_for(Role.AREA_ADMIN).get(f"{URL}{world.other_unit.pk}/").status_code == 404
    assert client_for(Role.UNIT_EDITOR).get(f"{URL}{world.area.pk}/").status_code == 404


def test_organizations_filter_by_kind(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).get(URL, {"kind": OrganizationKind.AREA_DEPARTMENT})
    assert names(response) == ["临淄区科技局", "张店区科技局"]


def test_organizations_filter_by_unknown_kind_is_400(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).get(URL, {"kind": "galaxy"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_organizations_filter_by_area_and_parent(world, client_for):
    organiser = client_for(Role.ORGANIZER_ADMIN)
    assert names(organiser.get(URL, {"area": world.other_area.pk})) == [
        "临淄化工新材料研究院",
        "临淄区",
        "临淄区科技局",
    ]
    assert names(organiser.get(URL, {"parent": world.bureau.pk})) == ["临淄区", "张店区"]


def test_organizations_filter_cannot_widen_visibility(world, client_for):
    # An area admin filtering by another area gets nothing, not that area's units.
    assert names(client_for(Role.AREA_ADMIN).get(URL, {"area": world.other_area.pk})) == []


def test_organizations_filter_by_name(world, client_for):
    assert names(client_for(Role.ORGANIZER_ADMIN).get(URL, {"q": "科技"})) == [
        "临淄区科技局",
        "市科技局",
        "张店区科技局",
        "淄博市科技馆",
    ]
    assert names(client_for(Role.ORGANIZER_ADMIN).get(URL, {"q": "<script>"})) == []


def test_organizations_filter_with_malformed_id_is_400(world, client_for):
    response = client_for(Role.ORGANIZER_ADMIN).get(URL, {"area": "1 OR 1=1"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["area"]


def test_organizations_list_same_queries_for_1_and_20_rows(db, api):
    unit = HostUnitFactory()
    user = member(MemberRole.ADMIN, unit.parent)
    # A real token per request: force_authenticate would reuse one user object, whose cached
    # access would hide a query from the second measurement.
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    def queries_for_list(expected_rows):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(URL)
        assert response.json()["count"] == expected_rows
        return len(ctx.captured_queries)

    # The area admin sees the area and its units: 1 unit → 2 rows, then 19 more units → 21 rows.
    one = queries_for_list(2)
    for _ in range(19):
        HostUnitFactory(parent=unit.parent)
    assert queries_for_list(21) == one
