"""Under /api/v1/ every error is JSON with a ``code`` and a ``detail`` in the request's language,
including the ones Django answers outside DRF (no route, an error in a view); nesting depth and
id ranges are bounded with 400s instead of a RecursionError or an integer overflow (500s)."""

import pytest
from django.test import Client

from sciweek.api.parsers import MAX_JSON_DEPTH, depth_exceeds
from tests.bookings.builders import PHONE, session_of

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.urls("tests.common.error_urls")
@pytest.mark.parametrize(
    ("url", "status", "body_en", "detail_zh"),
    [
        ("/api/v1/no-such-thing/", 404, {"code": "not_found", "detail": "Not found."}, "未找到。"),
        (
            "/api/v1/test-errors/400/",
            400,
            {"code": "bad_request", "detail": "Bad request"},
            "请求有误",
        ),
        (
            "/api/v1/test-errors/403/",
            403,
            {
                "code": "permission_denied",
                "detail": "You do not have permission to perform this action.",
            },
            "您没有执行该操作的权限。",
        ),
        (
            "/api/v1/test-errors/500/",
            500,
            {"code": "server_error", "detail": "A server error occurred."},
            "服务器出现了错误。",
        ),
    ],
)
def test_django_errors_under_the_api_are_json(settings, url, status, body_en, detail_zh):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get(url, **EN)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == body_en
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json() == {"code": body_en["code"], "detail": detail_zh}


def test_the_same_errors_elsewhere_stay_branded_pages(settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/", **EN)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 200_000])
def test_deeply_nested_json_is_a_400(client, depth):
    session = session_of()
    body = "[" * depth + "]" * depth
    response = client.post(
        f"/api/v1/sessions/{session.pk}/bookings/", body, content_type="application/json", **EN
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "too_deep",
        "detail": f"JSON nested more than {MAX_JSON_DEPTH} levels deep.",
    }


def test_json_within_the_depth_bound_is_parsed(client):
    session = session_of()
    response = client.post(
        f"/api/v1/sessions/{session.pk}/bookings/",
        {"name": "张三丰", "phone": PHONE, "consent": True, "extra": [[[[{"a": [1]}]]]]},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_depth_is_counted_through_lists_and_objects():
    # object, list, object, list: four levels
    assert not depth_exceeds({"a": [1, {"b": []}]}, 4)
    assert depth_exceeds({"a": [1, {"b": []}]}, 3)
    assert depth_exceeds({"a": [1, {"b": [[]]}]}, 4)
    assert not depth_exceeds("text", 0)


@pytest.mark.parametrize("name", ["area", "edition", "category", "year"])
@pytest.mark.parametrize("value", ["9" * 40, str(2**63), "0", "-1"])
def test_out_of_range_ids_in_activity_filters_are_a_400(client, name, value):
    session_of()
    response = client.get(f"/api/v1/activities/?{name}={value}", **EN)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


@pytest.mark.parametrize("name", ["area", "parent"])
@pytest.mark.parametrize("value", ["9" * 40, "1.5", "0"])
def test_out_of_range_ids_in_organisation_filters_are_a_400(client, name, value):
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    token = Token.objects.create(user=UserFactory())
    response = client.get(
        f"/api/v1/organizations/?{name}={value}", HTTP_AUTHORIZATION=f"Token {token.key}", **EN
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


def test_the_largest_id_is_accepted(client):
    session_of()
    response = client.get(f"/api/v1/activities/?area={2**63 - 1}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


# DRF's own refusals take the same shape, with DRF's code and its message in the request's
# language (Chinese by default).


def bookings_url():
    return f"/api/v1/sessions/{session_of().pk}/bookings/"


def test_unauthenticated_is_401_with_a_code(client):
    response = client.get("/api/v1/notices/")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": "身份认证信息未提供。"}


def test_wrong_method_is_405_with_a_code(client):
    url = bookings_url()
    response = client.delete(url, **EN)
    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "detail": 'Method "DELETE" not allowed.',
    }
    assert client.put(url).json() == {
        "code": "method_not_allowed",
        "detail": "方法 “PUT” 不被允许。",
    }


def test_unsupported_media_type_is_415_with_a_code(client):
    response = client.post(bookings_url(), "name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json() == {
        "code": "unsupported_media_type",
        "detail": "不支持请求中的媒体类型 “text/plain”。",
    }


def test_unacceptable_accept_header_is_406_with_a_code(client):
    response = client.get("/api/v1/editions/", HTTP_ACCEPT="application/xml", **EN)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not_acceptable",
        "detail": "Could not satisfy the request Accept header.",
    }


@pytest.mark.parametrize(
    ("body", "detail_en", "detail_zh"),
    [
        (
            '{"name": ',
            "The body is not valid JSON (line 1, column 10).",
            "请求内容不是有效的 JSON（第 1 行第 10 列）。",
        ),
        (b"\xff\xfe{}", "The body is not valid JSON.", "请求内容不是有效的 JSON。"),
    ],
)
def test_a_body_that_is_not_json_is_400_in_the_users_language(client, body, detail_en, detail_zh):
    url = bookings_url()
    response = client.post(url, body, content_type="application/json", **EN)
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "detail": detail_en}
    response = client.post(url, body, content_type="application/json")
    assert response.json() == {"code": "parse_error", "detail": detail_zh}


def test_a_multipart_body_that_cannot_be_read_is_400_in_the_users_language(client):
    url = bookings_url()
    broken = {"content_type": "multipart/form-data; boundary=", "data": b"--x\r\nnothing"}
    response = client.post(url, **broken, **EN)
    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error",
        "detail": "The multipart body could not be read.",
    }
    assert client.post(url, **broken).json()["detail"] == "无法读取 multipart 请求内容。"


def test_throttled_is_429_with_a_code_and_retry_after(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1/minute"},
    }
    body = {"username": "nobody", "password": "x"}
    assert client.post("/api/v1/auth/token/", body).status_code == 400
    response = client.post("/api/v1/auth/token/", body, **EN)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 60 seconds.",
    }


# A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413, in JSON under /api/ (whatever the body's
# type), a page elsewhere; never a 400 or a 500.

TOO_LARGE = {"code": "too_large", "detail": "The request body is too large."}


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", "multipart"]
)
def test_an_oversized_api_body_is_413(client, settings, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    url = bookings_url()
    big = {"name": "张" * 2000, "phone": PHONE, "consent": True}
    if content_type == "multipart":
        response = client.post(url, big, **EN)
    elif content_type == "application/json":
        response = client.post(url, big, content_type=content_type, **EN)
    else:
        response = client.post(url, f"name={'x' * 2000}", content_type=content_type, **EN)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == TOO_LARGE
    response = client.post(url, big, content_type="application/json")
    assert response.json() == {"code": "too_large", "detail": "请求内容过大。"}


def test_a_body_within_the_limit_is_parsed(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"name": "张三丰", "phone": PHONE, "consent": True}
    response = client.post(bookings_url(), body, content_type="application/json")
    assert response.status_code == 201


def test_an_oversized_form_on_a_page_is_a_413_page(settings):
    from django.urls import reverse

    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    session = session_of()
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("bookings:book", args=[session.pk]), {"name": "张" * 2000, "phone": PHONE}, **EN
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Too much sent at once" in response.content.decode()


def test_every_api_body_goes_through_a_bounded_parser():
    """No view escapes the bounds by naming DRF's own JSON or form parser."""
    from drf_spectacular.generators import EndpointEnumerator

    from sciweek.api.parsers import BoundedFormParser, BoundedJSONParser, BoundedMultiPartParser

    seen = set()
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        view = callback.cls(**getattr(callback, "initkwargs", {}) or {})
        actions = getattr(callback, "actions", None) or {}
        handler = actions.get(method.lower(), method.lower())
        # An @action's own parser_classes live on its function.
        parsers = getattr(getattr(view, handler, None), "kwargs", {}).get("parser_classes")
        for parser in parsers or view.parser_classes:
            assert parser in (BoundedJSONParser, BoundedFormParser, BoundedMultiPartParser), (
                path,
                method,
                parser,
            )
            seen.add(parser)
    assert seen == {BoundedJSONParser, BoundedFormParser, BoundedMultiPartParser}
