"""The back office's activity list through the API (issue 11): ``scope=office`` for every
role, and the list's filters and orders (host, large, has_media, ordering)."""

import pytest

from sciweek.activities.models import MediaCoverage
from tests.factories import SessionFactory
from tests.roles import Role

from .test_activities import activity_world, ids, pks

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities/"


@pytest.fixture
def aw(world):
    return activity_world(world)


def test_scope_office_for_every_role(aw, client_for):
    def got(role):
        return ids(client_for(role).get(URL, {"scope": "office", "page_size": 50}))

    submitted = pks(aw.lecture_pub, aw.open_day_pub, aw.held, aw.pending, aw.pending_city,
                    aw.returned, aw.withdrawn, aw.cancelled)  # fmt: skip
    own = submitted - pks(aw.open_day_pub) | pks(aw.draft)
    assert got(Role.ORGANIZER_REVIEWER) == submitted
    assert got(Role.ORGANIZER_ADMIN) == submitted
    assert got(Role.UNIT_EDITOR) == own
    # The area's reviewer: its area's submitted ones, not 临淄区's published one.
    assert got(Role.AREA_REVIEWER) == own - pks(aw.draft)
    assert got(Role.OTHER_AREA_ADMIN) == pks(aw.open_day_pub, aw.other_draft)
    for role in (Role.GATE_STAFF, Role.SIGNED_IN, None):
        assert got(role) == set(), role


def test_host_large_media_filters(aw, client_for):
    client = client_for(Role.ORGANIZER_REVIEWER)
    assert ids(client.get(URL, {"host": aw.other_unit.pk})) == pks(aw.open_day_pub)
    SessionFactory(activity=aw.pending, capacity=1500)
    assert ids(client.get(URL, {"large": "true"})) == pks(aw.pending)
    MediaCoverage.objects.create(activity=aw.held, outlet="淄博日报", title="报道",
                                 published_on=aw.edition.end_date)  # fmt: skip
    assert ids(client.get(URL, {"has_media": "true"})) == pks(aw.held)
    assert aw.held.pk not in ids(client.get(URL, {"has_media": "false", "page_size": 50}))


def test_ordering_by_title(aw, client_for):
    response = client_for(Role.ORGANIZER_REVIEWER).get(URL, {"ordering": "title", "page_size": 50})
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == sorted(titles) and len(titles) == 8


@pytest.mark.parametrize(
    ("query", "field"),
    [({"host": "x"}, "host"), ({"large": "big"}, "large"), ({"has_media": "2"}, "has_media"),
     ({"ordering": "nope"}, "ordering"), ({"scope": "all"}, "scope")],
)  # fmt: skip
def test_bad_values_are_400_naming_the_field(aw, api, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_schema_documents_the_list_parameters(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]}
    assert {"area", "host", "category", "state", "date_from", "date_to", "large", "is_key",
            "has_media", "q", "ordering", "scope", "edition", "year", "bookable"} <= params  # fmt: skip
