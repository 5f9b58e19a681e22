"""The online exhibition hall: featured, visible items only, filters by area and field."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciweek.media import services
from sciweek.media.selectors import hall_items

from . import files
from .world import activity, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def featured(w, act, *, feature=True):
    item = services.media_upload(
        activity=act,
        kind="photo",
        upload=files.upload("p.jpg", files.jpeg()),
        alt_text=f"{act.title}的照片",
        by=w.host_editor,
    )
    if feature:
        services.media_feature(item=item, featured=True, by=w.organiser)
    return item


def test_hall_lists_featured_visible_items_and_filters_by_area_and_field(w):
    zd = activity(w, focus_area=w.field_a, title="张店人工智能展")
    lz = activity(w, host=w.unit_b, focus_area=w.field_b, title="临淄生命健康展")
    a = featured(w, zd)
    b = featured(w, lz)
    not_featured = featured(w, zd, feature=False)
    hidden = featured(w, zd)
    services.media_hide(item=hidden, by=w.organiser, reason="x")

    page = Client().get(reverse("showcase:hall"))
    html = page.content.decode()
    assert page.status_code == 200
    # The focus-area filter: 全部领域, not a database's 全部字段 (issue 11).
    assert "全部领域" in html and "全部字段" not in html
    for item in (a, b):
        assert reverse("showcase:media-thumbnail", args=[item.key]) in html
    for item in (not_featured, hidden):
        assert str(item.key) not in html

    html = Client().get(reverse("showcase:hall") + "?area=linzi").content.decode()
    assert str(b.key) in html and str(a.key) not in html
    html = Client().get(reverse("showcase:hall") + f"?field={w.field_a.pk}").content.decode()
    assert str(a.key) in html and str(b.key) not in html
    html = (
        Client()
        .get(reverse("showcase:hall") + f"?area=linzi&field={w.field_a.pk}")
        .content.decode()
    )
    assert "data-hall-item" not in html


def test_hall_by_year_and_unknown_year(w):
    item = featured(w, activity(w))
    url = reverse("showcase:edition-hall", args=[w.edition.year])
    assert str(item.key) in Client().get(url).content.decode()
    assert Client().get(reverse("showcase:edition-hall", args=[1999])).status_code == 404


def test_hall_drops_item_when_activity_cancelled(w):
    act = activity(w)
    item = featured(w, act)
    assert [i.url for i in hall_items(w.edition)] == [
        reverse("showcase:media-file", args=[item.key, item.original_name])
    ]
    type(act).objects.filter(pk=act.pk).update(state="cancelled")
    assert hall_items(w.edition) == []


def test_hall_items_from_another_source_are_merged(w, monkeypatch):
    from sciweek.media import selectors

    act = activity(w)
    featured(w, act)
    extra = selectors.HallItem(
        source="exhibit", kind="photo", title="展品", alt="展品照片", thumbnail_url="/t.jpg",
        url="/e.jpg", is_moving=False, duration_seconds=None, activity_title="", activity_url="/",
        area_id=None, area_name="", field_id=None, field_name="", featured_at=None,
    )  # fmt: skip
    monkeypatch.setattr(
        selectors, "HALL_SOURCES", [*selectors.HALL_SOURCES, lambda e, area, field: [extra]]
    )
    items = hall_items(w.edition)
    assert [i.source for i in items] == ["media", "exhibit"]


def test_hall_query_count_same_for_one_and_many_items(w):
    featured(w, activity(w))
    with CaptureQueriesContext(connection) as one:
        hall_items(w.edition)
    for _ in range(5):
        featured(w, activity(w, host=w.unit_b))
    with CaptureQueriesContext(connection) as many:
        hall_items(w.edition)
    assert len(one) == len(many) == 1
