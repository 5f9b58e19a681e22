"""The page cache cannot be filled (keys from recognised parameters only) and stays warm (a change
makes fresh only the pages that show it), and nothing the change touched is served stale."""

import random
import string
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciweek.activities import services
from sciweek.activities.models import Category
from sciweek.showcase import cache as page_cache

from .conftest import activity_ids, make_activity


def page_keys(kind: str = "page") -> set[str]:
    """The page (or fragment) keys the cache holds now (LocMem in tests, Redis with REDIS_URL)."""
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):
        return {k for k in backend if f"showcase:{kind}:" in k}
    client = backend.get_client(None)
    return {k.decode() for k in client.keys(f"*showcase:{kind}:*")}


def queries(client, url, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.fixture
def two(world):
    """Two activities apart: ``a`` by the institute (临淄区, open day), ``b`` by the museum
    (张店区, lecture)."""
    cache.clear()
    world.a = make_activity(world.current, world.institute, title="甲开放日", days=(1,))
    world.b = make_activity(
        world.current, world.museum, title="乙讲座", category="lecture", days=(2,)
    )
    return world


def _junk(rng: random.Random) -> str:
    word = "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(1, 12)))
    return rng.choice(
        [
            f"{word}={word}",
            f"utm_{word}=1",
            f"area={word}x",
            f"category=-{rng.randint(1, 99)}",
            f"mode={word}",
            f"audience={word}",
            f"date_from={word}",
            f"page=0{word}x",
            f"bookable=false&{word}=",
            f"q={'  '}",
        ]
    )


def test_a_thousand_requests_with_junk_parameters_add_no_cache_key(client, two):
    w = two
    urls = [
        "/",
        "/activities/",
        f"/activities/?area={w.a.area_id}&q=开放",
        f"/activities/{w.a.pk}/",
        "/calendar/",
    ]
    pages = {url: client.get(url).content for url in urls}
    before = page_keys()
    assert before
    rng = random.Random(12)
    for n in range(1000):
        url = urls[n % len(urls)]
        junk = "&".join(_junk(rng) for _ in range(rng.randint(1, 4)))
        # Before the page's own parameters: of a repeated one, the last counts.
        path, _, own = url.partition("?")
        response = client.get(f"{path}?{junk}&{own}")
        assert response.status_code == 200, junk
        assert response.content == pages[url], junk
    # The same parameters in another order are the same page, too.
    assert client.get(f"/activities/?q=开放&x=1&area={w.a.area_id}").content == pages[urls[2]]
    assert page_keys() == before


def test_the_view_renders_from_the_recognised_parameters_only(client, two):
    content = client.get("/activities/?q=%20甲%20%20开放日%20&evil=%3Cb%3Ejunk").content.decode()
    assert "junk" not in content
    assert 'value="甲 开放日"' in content


def test_searches_beyond_the_hourly_budget_are_rendered_not_stored(client, two, monkeypatch):
    monkeypatch.setattr(page_cache, "SEARCH_PAGES_PER_HOUR", 3)
    for n in range(3):
        client.get(f"/activities/?q=词{n}")
    stored = page_keys()
    response = client.get("/activities/?q=另一个词")
    assert response.status_code == 200
    assert page_keys() == stored
    # Pages without parameters are not part of the budget.
    client.get(f"/activities/{two.a.pk}/")
    assert len(page_keys()) > len(stored)


def _edit_title(activity, title, by):
    # A published activity changes through an approved change request, which saves it; the
    # receivers follow any save.
    activity.title = title
    activity.save()


def test_editing_one_activity_leaves_the_others_pages_warm_and_shows_everywhere(client, two):
    w = two
    lecture = Category.objects.get(edition=w.current, code="lecture")
    # The calendar shows one day a page: the day of 甲's session.
    calendar = f"/calendar/?day={timezone.localtime(w.a.sessions.get().starts_at):%Y-%m-%d}"
    open_day = Category.objects.get(edition=w.current, code="open_day")
    others = [
        f"/activities/{w.b.pk}/",
        f"/activities/?area={w.b.area_id}",
        f"/activities/?category={lecture.pk}",
        f"/units/{w.museum.pk}/",
        "/areas/zhangdian/",
        f"/activities/{w.b.pk}/calendar.ics",
        "/",  # "甲" is neither a key activity nor on today
    ]
    touched = [
        f"/activities/{w.a.pk}/",
        "/activities/",
        "/activities/?q=开放",
        f"/activities/?area={w.a.area_id}",
        f"/activities/?category={open_day.pk}",
        f"/units/{w.institute.pk}/",
        "/areas/linzi/",
        calendar,
        f"/activities/{w.a.pk}/calendar.ics",
        "/calendar.ics",
    ]
    for url in others + touched:
        client.get(url)
    assert "甲开放日" in client.get(calendar).content.decode()

    _edit_title(w.a, "甲开放日（改期）", w.city_admin)

    for url in others:
        count, _ = queries(client, url)
        assert count == 0, url  # still a cache hit
    for url in touched:
        count, content = queries(client, url)
        assert count > 0, url
        assert "甲开放日（改期）" in content, url


def test_a_key_activity_changes_the_home_page(client, two):
    w = two
    client.get("/")
    services.activity_mark_key(activity=w.a, is_key=True, by=w.city_admin)
    w.a.refresh_from_db()
    assert "甲开放日" in client.get("/").content.decode()
    _edit_title(w.a, "甲重点开放日", w.city_admin)
    assert "甲重点开放日" in client.get("/").content.decode()


def test_moving_an_activity_updates_the_old_and_the_new_list(client, two):
    w = two
    old, new = f"/activities/?area={w.a.area_id}", f"/activities/?area={w.b.area_id}"
    assert w.a.pk in activity_ids(client.get(old))
    assert w.a.pk not in activity_ids(client.get(new))
    lecture = Category.objects.get(edition=w.current, code="lecture")
    w.a.area = w.b.area
    w.a.category = lecture
    w.a.save()
    assert w.a.pk not in activity_ids(client.get(old))
    assert w.a.pk in activity_ids(client.get(new))
    assert w.a.pk in activity_ids(client.get(f"/activities/?category={lecture.pk}"))


def test_a_session_change_shows_on_its_activity_and_the_calendar_only(client, two):
    w = two
    for url in (f"/activities/{w.a.pk}/", f"/activities/{w.b.pk}/", "/calendar/"):
        client.get(url)
    session = w.a.sessions.get()
    session.starts_at += timedelta(minutes=37)
    session.save()
    shown = f"{timezone.localtime(session.starts_at):%H:%M}"
    assert shown in client.get(f"/activities/{w.a.pk}/").content.decode()
    assert queries(client, "/calendar/")[0] > 0
    assert queries(client, f"/activities/{w.b.pk}/")[0] == 0


# Signed-in visitors: the list's cards come from a cached fragment, the header is their own ------


@pytest.mark.parametrize("url", ["/activities/", "/", "/units/{unit}/"])
def test_a_signed_in_visitor_gets_cached_cards_and_a_header_of_their_own(client, two, url):
    w = two
    url = url.format(unit=w.institute.pk)
    client.force_login(w.users["signed_in"])
    first, content = queries(client, url)
    second, again = queries(client, url)
    assert second < first  # the cards' queries are not made again
    assert again == content
    assert "开放日" in again  # a card (lists) or a category chip (home)
    assert "/office/" in again  # "Back office": the signed-in header, not a cached anonymous one
    anonymous = Client().get(url).content.decode()
    assert "/accounts/login/" in anonymous and "/office/" not in anonymous


def test_a_signed_in_visitor_sees_an_edit_at_once(client, two):
    w = two
    client.force_login(w.users["signed_in"])
    client.get("/activities/")
    _edit_title(w.a, "甲开放日（登录后可见的修改）", w.city_admin)
    assert "甲开放日（登录后可见的修改）" in client.get("/activities/").content.decode()


def test_signed_in_fragments_are_within_the_budget(client, two, monkeypatch):
    monkeypatch.setattr(page_cache, "FILTERED_PAGES_PER_HOUR", 2)
    client.force_login(two.users["signed_in"])
    for n in range(2, 6):
        client.get(f"/activities/?q=甲{n}")
    assert len(page_keys("fragment")) == 2
