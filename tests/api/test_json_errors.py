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
    assert response.json() == {"detail": f"JSON nested more than {MAX_JSON_DEPTH} levels deep."}


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
    assert list(response.json()) == [name]


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
    assert list(response.json()) == [name]


def test_the_largest_id_is_accepted(client):
    session_of()
    response = client.get(f"/api/v1/activities/?area={2**63 - 1}")
    assert response.status_code == 200
    assert response.json()["count"] == 0
