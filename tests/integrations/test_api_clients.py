"""API clients: a key shown once and kept hashed; a call within the scopes acts as the admin who
made the client; outside them 403; revoked, expired or orphaned 401; each client its own rate."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.integrations.auth import key_hash, required_scope
from sciweek.integrations.models import ApiClient
from sciweek.integrations.services import client_create, client_revoke
from sciweek.organizations.enums import Role
from sciweek.organizations.models import Membership
from tests.factories import ActivityFactory, HostUnitFactory, member

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities/"


@pytest.fixture
def unit():
    return HostUnitFactory()


@pytest.fixture
def admin(unit):
    return member(Role.ADMIN, unit)


def make(unit, admin, scopes=("read",), **kwargs):
    kwargs.setdefault("expires_at", timezone.now() + timedelta(days=30))
    return client_create(organization=unit, name="区县系统", scopes=scopes, by=admin, **kwargs)


def caller(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def test_the_key_is_kept_only_as_its_hash(unit, admin):
    client, key = make(unit, admin)
    assert key.startswith(f"swc_{client.prefix}_")
    assert client.secret_hash == key_hash(key) and key not in client.secret_hash
    assert client.scopes == ["read"] and client.created_by == admin


def test_a_read_client_reads_what_its_admin_sees(unit, admin):
    draft = ActivityFactory(host=unit, state="draft")
    _client, key = make(unit, admin)
    response = caller(key).get(URL, {"page_size": 50})
    assert response.status_code == 200
    assert draft.pk in {a["id"] for a in response.json()["results"]}
    assert draft.pk not in {a["id"] for a in APIClient().get(URL).json()["results"]}
    assert ApiClient.objects.get().last_used_at is not None


def test_a_call_outside_the_scopes_is_403(unit, admin):
    _client, key = make(unit, admin)
    response = caller(key).post(URL, {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"
    response = caller(key).get("/api/v1/sessions/1/checkins/")
    assert (response.status_code, response.json()["code"]) == (403, "scope_missing")


def test_a_write_scope_lets_the_call_through_to_the_api(unit, admin):
    _client, key = make(unit, admin, scopes=("read", "activities:write"))
    response = caller(key).post(URL, {}, format="json")
    assert response.status_code == 400  # past the scope check, refused for its empty body
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/api/v1/activities/", "read"),
        ("POST", "/api/v1/activities/", "activities:write"),
        ("PATCH", "/api/v1/activities/3/", "activities:write"),
        ("GET", "/api/v1/sessions/4/bookings/", "bookings"),
        ("POST", "/api/v1/sessions/4/bookings/", "bookings"),
        ("POST", "/api/v1/sessions/4/checkins/", "checkin"),
        ("POST", "/api/v1/reports/2/summaries/", "reports"),
        ("POST", "/api/v1/notices/", None),
        ("POST", "/api/v1/auth/token/", None),
    ],
)
def test_required_scope(method, path, scope):
    assert required_scope(method, path) == scope


def test_a_revoked_client_is_401_in_the_one_error_shape(unit, admin):
    client, key = make(unit, admin)
    assert caller(key).get(URL).status_code == 200
    client_revoke(client=client, by=admin)
    response = caller(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {
        "code": "client_revoked",
        "detail": "This API client has been revoked.",
    }


def test_an_expired_or_unknown_key_is_401(unit, admin):
    client, key = make(unit, admin)
    ApiClient.objects.filter(pk=client.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert caller(key).get(URL).json()["code"] == "client_expired"
    assert caller(key[:-2] + "xx").get(URL).json()["code"] == "invalid_token"
    assert caller("swc_nothing").get(URL).status_code == 401


def test_a_client_whose_admin_left_is_401(unit, admin):
    _client, key = make(unit, admin)
    Membership.objects.filter(user=admin).delete()
    response = caller(key).get(URL)
    assert (response.status_code, response.json()["code"]) == (401, "client_orphaned")


def test_each_client_has_its_own_rate(unit, admin):
    _c, slow = make(unit, admin, requests_per_minute=2)
    _c, other = make(unit, admin)
    assert [caller(slow).get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert caller(other).get(URL).status_code == 200


def test_every_call_is_logged_with_the_clients_name(unit, admin, caplog):
    _client, key = make(unit, admin)
    with caplog.at_level(logging.INFO, logger="sciweek.api.clients"):
        caller(key).get(URL)
    [record] = [r for r in caplog.records if r.name == "sciweek.api.clients"]
    assert (record.api_client, record.path, record.scope) == ("区县系统", URL, "read")


def test_only_the_organisations_admin_makes_clients(unit, admin):
    editor = member(Role.EDITOR, unit)
    with pytest.raises(PermissionRefused):
        make(unit, editor)
    with pytest.raises(PermissionRefused):
        make(HostUnitFactory(), admin)
    with pytest.raises(ServiceError):
        make(unit, admin, scopes=("everything",))
    with pytest.raises(ServiceError):
        make(unit, admin, expires_at=timezone.now() - timedelta(days=1))
