"""Every ceremony list answers with the same number of queries for 1 row and for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciweek.exhibition.models import Assignment, Score

from .conftest import exhibit_of, guest_of, with_jury

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


def grow_jury(w):
    """19 more exhibits of 临淄区, each assigned to the 张店区 juror and the expert and scored."""

    for n in range(19):
        exhibit = exhibit_of(w, w.other_area, title=f"临淄展项{n}")
        for juror in (w.juror, w.expert):
            a = Assignment.objects.create(juror=juror, exhibit=exhibit, comment=f"评语{n}",
                                          scored_at="2026-05-10T10:00:00+08:00")  # fmt: skip
            Score.objects.bulk_create(Score(assignment=a, criterion=c, value=n % 11)
                                      for c in w.criteria)  # fmt: skip


JURY_LISTS = [
    ("organizer_admin", "/office/ceremony/{c}/jury/"),
    ("organizer_admin", "/office/ceremony/{c}/jury/results/"),
    ("organizer_admin", "/api/v1/ceremonies/{c}/jury-results/"),
    ("organizer_admin", "/api/v1/ceremonies/{c}/jury-scores/"),
    ("organizer_admin", "/api/v1/ceremonies/{c}/jury/"),
    ("juror", "/office/scoring/"),
    ("juror", "/api/v1/jury-assignments/"),
    ("expert", "/office/scoring/"),
    ("expert", "/api/v1/jury-assignments/"),
]


@pytest.mark.parametrize(("who", "template"), JURY_LISTS)
def test_jury_lists_cost_the_same_for_1_and_20_rows(client, world, who, template):
    w = with_jury(world)
    Assignment.objects.create(juror=w.expert, exhibit=w.exhibit)
    other = exhibit_of(w, w.other_area, title="临淄展项")
    Assignment.objects.create(juror=w.juror, exhibit=other)
    client.force_login(getattr(w, f"{who}_user") if who in ("juror", "expert") else w.users[who])
    url = template.format(c=w.ceremony.pk)
    few = count(client, url)
    grow_jury(w)
    assert count(client, url) == few
