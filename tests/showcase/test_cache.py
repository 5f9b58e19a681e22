"""Whole-page cache: anonymous repeats cost no query, ETags answer 304, signed-in users are never
served a cached page, and every change through the services shows on the next request."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from sciweek.activities import services
from sciweek.campaigns.models import Edition
from sciweek.organizations.services import organization_save
from sciweek.showcase import cache as page_cache

from .conftest import EN, activity_ids, make_activity


@pytest.fixture
def shown(world):
    world.activity = make_activity(world.current, world.institute, title="缓存测试开放日")
    return world


def urls(w) -> list[str]:
    return [
        "/",
        "/activities/",
        f"/activities/{w.activity.pk}/",
        "/calendar/",
        "/areas/linzi/",
        f"/units/{w.institute.pk}/",
        "/editions/",
        "/editions/2023/",
        f"/activities/{w.activity.pk}/calendar.ics",
        "/calendar.ics",
        f"/activities/{w.activity.pk}/poster.png",
    ]


def test_a_second_anonymous_get_costs_no_query(client, shown, django_assert_num_queries):
    for url in urls(shown):
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert (second.status_code, second.content) == (200, first.content), url
        assert second["ETag"] == first["ETag"]
        assert second["Content-Type"] == first["Content-Type"]
        assert second["Cache-Control"] == "public, max-age=60"


def test_the_cache_keeps_languages_and_queries_apart(client, shown):
    zh = client.get("/activities/")
    en = client.get("/activities/", **EN)
    assert zh["Content-Language"] == "zh-hans"
    assert en["Content-Language"] == "en"
    assert "activity found" in en.content.decode()
    assert "activity found" not in zh.content.decode()
    assert activity_ids(client.get("/activities/?q=不存在")) == []
    assert activity_ids(client.get("/activities/")) == [shown.activity.pk]


def test_if_none_match_answers_304(client, shown):
    url = f"/activities/{shown.activity.pk}/"
    etag = client.get(url)["ETag"]
    assert len(etag) == 34 and etag.startswith('"')
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert not_modified["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_signed_in_user_is_never_served_a_cached_page(client, shown):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    cached = anonymous.get("/activities/")
    assert "Sign in" in cached.content.decode()

    client.force_login(shown.nobody)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/activities/", **EN)
        content = response.content.decode()
        assert "Back office" in content
        assert "Sign in" not in content
        assert "ETag" not in response
        assert "public" not in response.get("Cache-Control", "")
        assert len(queries) > 0


def test_a_pending_message_is_shown_to_its_visitor_only(client, shown):
    """A flash message (e.g. after signing out) must never be cached into the page everyone gets."""
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "只给这位访客的消息")])
    assert "只给这位访客的消息" in client.get("/").content.decode()
    assert "只给这位访客的消息" not in Client().get("/").content.decode()


def test_publishing_through_the_service_shows_on_the_next_request(client, shown):
    w = shown
    pending = make_activity(w.current, w.institute, state="pending_city", title="待市级审核活动")
    pending.submitted_at = pending.created_at
    pending.save(update_fields=["submitted_at"])
    assert activity_ids(client.get("/activities/")) == [w.activity.pk]
    assert client.get(f"/activities/{pending.pk}/").status_code == 404

    services.activity_transition(activity=pending, action="approve", by=w.city_reviewer)

    assert sorted(activity_ids(client.get("/activities/"))) == sorted([w.activity.pk, pending.pk])
    assert client.get(f"/activities/{pending.pk}/").status_code == 200
    assert pending.title in client.get("/calendar/").content.decode()


def test_cancelling_through_the_service_removes_it_on_the_next_request(client, shown):
    w = shown
    detail = f"/activities/{w.activity.pk}/"
    assert client.get(detail).status_code == 200
    assert activity_ids(client.get("/activities/")) == [w.activity.pk]
    assert w.activity.title in client.get("/calendar.ics").content.decode()

    services.activity_transition(
        activity=w.activity, action="cancel", by=w.city_admin, reason="天气原因"
    )

    assert client.get(detail).status_code == 404
    assert activity_ids(client.get("/activities/")) == []
    assert w.activity.title not in client.get("/calendar.ics").content.decode()


def test_editing_the_host_through_the_service_shows_on_the_next_request(client, shown):
    w = shown
    detail = f"/activities/{w.activity.pk}/"
    assert "临淄化工新材料研究院" in client.get(detail).content.decode()
    w.institute.name = "齐鲁化工新材料研究院"
    organization_save(organization=w.institute, by=w.city_admin)
    for url in (detail, "/activities/"):
        content = client.get(url).content.decode()
        assert "齐鲁化工新材料研究院" in content, url
        assert "临淄化工新材料研究院" not in content, url


def test_marking_held_through_the_service_shows_on_the_next_request(client, world):
    archive: Edition = world.archive
    activity = make_activity(archive, world.institute, title="2023年开放日", days=(0,))
    assert archive.start_date < date.today() - timedelta(days=1)
    url = "/editions/2023/activities/"
    assert (
        '<span class="badge text-bg-secondary">Held</span>'
        not in client.get(url, **EN).content.decode()
    )

    services.activity_transition(activity=activity, action="mark_held", by=world.city_admin)

    assert (
        '<span class="badge text-bg-secondary">Held</span>'
        in client.get(url, **EN).content.decode()
    )


def test_a_change_replaces_its_tokens_again_when_committed(
    shown, django_capture_on_commit_callbacks
):
    tag = [f"activity:{shown.activity.pk}"]
    before = page_cache.tokens(tag)
    site = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        shown.activity.title = "改名"
        shown.activity.save()
        during = page_cache.tokens(tag)
    assert during != before
    assert len(callbacks) == 1
    # A page rendered between the save and the commit is under ``during``: no longer used.
    assert page_cache.tokens(tag) not in (before, during)
    assert page_cache.generation() == site  # not the whole site


def test_404_and_errors_are_not_cached(client, shown, django_assert_num_queries):
    assert client.get("/activities/999999/").status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/activities/999999/").status_code == 404
    assert len(queries) > 0


@pytest.mark.parametrize(
    "url",
    [
        "/activities/",
        "/areas/linzi/",
        "/units/{unit}/",
        "/calendar/",
        "/",
        "/calendar.ics",
        "/sitemap.xml",
    ],
)
def test_list_pages_issue_the_same_queries_for_1_and_20_activities(client, world, url):
    url = url.format(unit=world.institute.pk)

    def count() -> int:
        page_cache.invalidate()  # render, do not serve from the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    make_activity(world.current, world.institute, is_key=True, days=(0, 1))
    one = count()
    for n in range(19):
        make_activity(
            world.current,
            world.institute,
            is_key=True,
            days=(n % 5, 5),
            audiences=("students", "seniors"),
        )
    twenty = count()
    assert twenty == one, [q["sql"][:120] for q in connection.queries]


# The optional early middleware -----------------------------------------------------------------

EARLY = "sciweek.showcase.cache.PublicPageCacheMiddleware"


@pytest.fixture
def early(settings):
    middleware = [m for m in settings.MIDDLEWARE if m != EARLY]
    at = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    settings.MIDDLEWARE = [*middleware[:at], EARLY, *middleware[at:]]


def test_the_early_middleware_replays_the_whole_response(client, shown, early):
    url = f"/activities/{shown.activity.pk}/"
    first = client.get(url, **EN)
    assert client.get(url, **EN).content == first.content  # stores the final headers
    resolve = mock.patch(
        "django.core.handlers.base.BaseHandler.resolve_request",
        side_effect=AssertionError("the early middleware should answer before URL resolving"),
    )
    with resolve, CaptureQueriesContext(connection) as queries:
        again = client.get(url, **EN)
    assert len(queries) == 0
    assert (again.status_code, again.content) == (200, first.content)
    for header in (
        "Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options",
        "ETag", "Cache-Control", "Vary", "X-Content-Type-Options", "Referrer-Policy",
    ):  # fmt: skip
        assert again[header] == first[header], header
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **EN)
    assert (not_modified.status_code, not_modified["ETag"]) == (304, first["ETag"])
    assert not_modified["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_the_early_middleware_keeps_languages_apart_and_follows_changes(client, shown, early):
    w = shown
    for _ in range(2):
        en = client.get("/activities/", **EN)
        zh = client.get("/activities/")
    assert (en["Content-Language"], zh["Content-Language"]) == ("en", "zh-hans")
    assert "activity found" in en.content.decode()
    services.activity_transition(activity=w.activity, action="cancel", by=w.city_admin, reason="雨")
    assert activity_ids(client.get("/activities/", **EN)) == []
    assert client.get(f"/activities/{w.activity.pk}/").status_code == 404


def test_the_early_middleware_never_serves_a_signed_in_user(client, shown, early):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):
        assert "Sign in" in anonymous.get("/activities/").content.decode()
    client.force_login(shown.nobody)
    response = client.get("/activities/", **EN)
    assert "Back office" in response.content.decode()
    assert "ETag" not in response


def test_cached_pages_are_served_only_for_allowed_hosts(client, shown, early, settings):
    settings.ALLOWED_HOSTS = ["sciweek.example.cn", "www.sciweek.example.cn"]
    url = f"/activities/{shown.activity.pk}/"
    for _ in range(2):  # the second answer comes from the early middleware
        page = client.get(url, HTTP_HOST="sciweek.example.cn")
        assert page.status_code == 200
    # Another host is refused, with or without a cached page for the path.
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    # Each allowed host gets pages rendered for it, never one stored for another host.
    with CaptureQueriesContext(connection) as queries:
        other = client.get(url, HTTP_HOST="www.sciweek.example.cn")
    assert other.status_code == 200
    assert len(queries) > 0
