"""Branded 400, 403, CSRF-failure, 404 and 500 pages in Chinese and English (DEBUG off); the 500
page renders with the database and the cache unreachable."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.error_urls")]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

PAGES = {
    400: {
        "en": ("Bad request", "The address or what was sent could not be understood."),
        "zh-hans": ("请求有误", "无法识别该网址或提交的内容。"),
    },
    403: {
        "en": ("Access denied", "Your account may not open this page."),
        "zh-hans": ("无权访问", "您的账号无权打开此页面。"),
    },
    404: {
        "en": ("Page not found", "This page does not exist or is no longer published."),
        "zh-hans": ("页面不存在", "此页面不存在或已不再公开"),
    },
    500: {
        "en": ("Something went wrong", "The error has been recorded."),
        "zh-hans": ("出错了", "错误已记录。"),
    },
}
URLS = {
    400: "/test-errors/400/",
    403: "/test-errors/403/",
    404: "/no-such-page/",
    500: "/test-errors/500/",
}


def assert_branded(response, status: int, language: str, heading: str, explanation: str):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert f'<html lang="{language}">' in html
    assert f'<h1 class="h3 mb-3">{heading}</h1>' in html
    assert explanation in html
    assert f'<p class="display-6 text-secondary mb-1" data-status>{status}</p>' in html
    assert '<a class="btn btn-primary" href="/">' in html
    assert "/static/sciweek/css/sciweek.css" in html
    assert "<style" not in html and "<script>" not in html  # strict CSP


@pytest.mark.parametrize("status", [400, 403, 404, 500])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_error_pages_are_branded_in_both_languages(settings, status, language):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(URLS[status])
    assert_branded(response, status, language, *PAGES[status][language])


def test_404_offers_the_activity_list_and_403_the_sign_in(settings):
    settings.DEBUG = False
    assert 'href="/activities/"' in Client().get("/no-such-page/", **EN).content.decode()
    assert 'href="/accounts/login/"' in Client().get("/test-errors/403/", **EN).content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "explanation"),
    [
        ("en", "The form could not be sent", "Go back, reload the page and send the form again."),
        ("zh-hans", "表单未能提交", "请返回并刷新页面后重新提交。"),
    ],
)
def test_a_csrf_failure_has_its_own_page(settings, language, heading, explanation):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert_branded(response, 403, language, heading, explanation)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_500_renders_with_the_database_and_the_cache_down(settings, language):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "sciweek.common.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    down = mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("no database")
    )
    with down as ensure_connection:
        # The view itself needs the database and fails: the 500 page must not.
        response = client.get("/activities/")
    assert ensure_connection.called
    assert_branded(response, 500, language, *PAGES[500][language])
