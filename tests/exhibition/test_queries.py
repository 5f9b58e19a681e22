"""Every ceremony list answers with the same number of queries for 1 row and for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import exhibit_of, guest_of

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(w):
    for n in range(20, 39):
        guest_of(w, area=w.area if n % 2 else None, kind="student" if n % 2 else "media", n=n)
        exhibit_of(w, w.area, title=f"展项{n}")


CITY_LISTS = [
    "/office/ceremony/",
    "/office/ceremony/{c}/guests/",
    "/office/ceremony/{c}/areas/{a}/",
    "/office/exhibits/",
    "/api/v1/ceremonies/{c}/guests/",
    "/api/v1/exhibits/",
    "/api/v1/ceremonies/{c}/board/",
]
AREA_LISTS = [
    "/office/ceremony/",
    "/office/ceremony/{c}/areas/{a}/",
    "/office/exhibits/",
    "/api/v1/ceremonies/{c}/guests/",
    "/api/v1/exhibits/",
]


@pytest.mark.parametrize(
    ("who", "template"),
    [("organizer_admin", t) for t in CITY_LISTS] + [("area_admin", t) for t in AREA_LISTS],
)
def test_lists_cost_the_same_for_1_and_20_rows(client, world, who, template):
    client.force_login(world.users[who])
    url = template.format(c=world.ceremony.pk, a=world.area.pk)
    few = count(client, url)
    grow(world)
    assert count(client, url) == few
