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


# /readyz -------------------------------------------------------------------------------------


@pytest.fixture
def fresh_readiness(monkeypatch):
    """Each test reads the migration state anew (a process remembers it once all are applied)."""
    from sciweek.common import views

    monkeypatch.setitem(views._readiness, "migrations_applied", False)


def test_readyz_ok_when_database_and_migrations_and_cache_are(client, fresh_readiness):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
    }
    assert response["Cache-Control"] == "no-store"


def test_readyz_503_when_a_migration_is_not_applied(client, fresh_readiness):
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    app, name = sorted(MigrationExecutor(connection).loader.graph.leaf_nodes())[0]
    # Real state, undone with the test's transaction: one leaf migration recorded as not applied.
    assert MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()[0] == 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "migrations": "error: 1 unapplied",
        "cache": "ok",
    }
    MigrationRecorder.Migration.objects.create(app=app, name=name)
    assert client.get("/readyz").status_code == 200


def test_readyz_503_when_the_database_does_not_answer(client, fresh_readiness):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error: OperationalError",
        "migrations": "skipped",
        "cache": "ok",
    }


def test_readyz_degraded_but_200_without_cache(client, fresh_readiness):
    # The site fails soft without its cache; taking every node out of rotation would not.
    method = "probe" if hasattr(cache, "probe") else "set"
    with mock.patch.object(cache, method, side_effect=ConnectionError("redis down")):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "migrations": "ok",
        "cache": "error: ConnectionError",
    }


def test_readyz_remembers_applied_migrations(client, fresh_readiness, django_assert_num_queries):
    assert client.get("/readyz").status_code == 200
    # Then only "SELECT 1" (and the cache probe) per request; no migration table read.
    with django_assert_num_queries(1):
        assert client.get("/readyz").status_code == 200
