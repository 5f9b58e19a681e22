"""/healthz: 200 when the database answers, 503 when it does not; the cache is reported."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error: OperationalError",
        "cache": "ok",
    }
    # And it recovers once the database is back.
    assert client.get("/healthz").status_code == 200


def test_healthz_503_when_the_query_fails(client):
    real_cursor = connection.cursor

    def broken_cursor():
        cursor = real_cursor()
        cursor.execute = mock.Mock(side_effect=OperationalError("terminating connection"))
        return cursor

    with mock.patch.object(connection, "cursor", side_effect=broken_cursor):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_healthz_reports_a_broken_cache_but_stays_up(client):
    # Redis (CI's PostgreSQL pass) is asked through its probe; local memory through set().
    # tests/common/test_cache_outage.py runs it against a Redis that refuses or hangs.
    method = "probe" if hasattr(cache, "probe") else "set"
    with mock.patch.object(cache, method, side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "error: ConnectionError"}
