"""A Redis outage degrades the site instead of taking it down.

The app runs against two real broken Redis addresses: one that refuses connections and one that
accepts them and never answers (a local TCP server in the test). Pages, sign-in, a booking, the API
and its token endpoint keep answering from the database; ``/healthz`` says the cache is down within
2 s; the outage is logged once per interval, not per request; the sign-in lock-out still holds.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
import redis
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from rest_framework.test import APIClient

from sciweek.bookings.enums import BookingStatus
from sciweek.bookings.models import Booking
from sciweek.common import cache as resilient
from tests.bookings.builders import PHONE, session_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # what UserFactory sets
REFUSING = "redis://127.0.0.1:1/0"  # nothing listens on port 1
TIMEOUT = 0.25
RETRY_INTERVAL = 30


class HangingServer:
    """Accepts TCP connections and never sends a byte."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.closed = True
        self.sock.close()
        for conn in self.held:
            conn.close()


def redis_caches(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "sciweek.common.cache.ResilientRedisCache",
            "LOCATION": location,
            "RETRY_INTERVAL": RETRY_INTERVAL,
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
        }
    }


@pytest.fixture(params=["refusing", "hanging"])
def broken_redis(request, settings, client):
    # Load the URLconf and the views first: the timings measure the outage, not imports.
    assert client.get("/healthz").status_code == 200
    server = HangingServer() if request.param == "hanging" else None
    location = f"redis://127.0.0.1:{server.port}/0" if server else REFUSING
    resilient._breakers.clear()
    settings.CACHES = redis_caches(location)
    yield request.param
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    resilient._breakers.clear()
    if server:
        server.close()


def expected_error(kind: str) -> str:
    return "error: ConnectionError" if kind == "refusing" else "error: TimeoutError"


def test_healthz_answers_within_two_seconds_and_says_the_cache_is_down(client, broken_redis):
    for _ in range(3):
        started = time.monotonic()
        response = client.get("/healthz")
        assert time.monotonic() - started < 2
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "database": "ok",
            "cache": expected_error(broken_redis),
        }


def test_public_pages_are_served_uncached(client, broken_redis):
    session = session_of()
    activity_url = reverse("showcase:activity-detail", args=[session.activity.pk])
    started = time.monotonic()
    for url in ("/", activity_url, "/", activity_url, "/activities/"):
        response = client.get(url)
        assert response.status_code == 200, url
        if url != "/":
            assert session.activity.title in response.content.decode()
    # One socket timeout at most, then the breaker keeps the cache out of the way.
    assert time.monotonic() - started < 2


def test_office_sign_in_works_and_the_session_lives_in_the_database(client, broken_redis):
    user = UserFactory(username="liwei")
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get("/office/").status_code == 200


def test_a_booking_works_with_rate_limits_on(client, broken_redis, settings):
    settings.BOOKING_RATE_LIMITS = True
    session = session_of()
    data = {"name": "张三丰", "phone": PHONE, "email": "zhang@example.test", "consent": "on"}
    response = client.post(reverse("bookings:book", args=[session.pk]), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert response["Location"] == reverse("bookings:ticket", args=[booking.manage_token])
    assert client.get(response["Location"]).status_code == 200


def test_the_api_and_its_token_endpoint_answer(broken_redis, settings):
    settings.BOOKING_RATE_LIMITS = True
    api = APIClient()
    user = UserFactory(username="alice")
    session = session_of()
    response = api.get("/api/v1/activities/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    response = api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == user.auth_token.key
    response = api.post(
        reverse("api:session-bookings", args=[session.pk]),
        {"name": "张三丰", "phone": PHONE, "consent": True},
        format="json",
    )
    assert response.status_code == 201


def test_the_sign_in_lock_out_still_holds(client, broken_redis, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="liwei")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "liwei", "password": "nope"})
    response = client.post(
        "/accounts/login/",
        {"username": "liwei", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Too many failed attempts. You can try again after " in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_outage_is_logged_once_per_interval(client, broken_redis, caplog):
    session = session_of()
    activity_url = reverse("showcase:activity-detail", args=[session.activity.pk])
    with caplog.at_level(logging.WARNING, logger="sciweek.cache"):
        for _ in range(5):
            assert client.get(activity_url).status_code == 200
            assert client.get("/healthz").status_code == 200
    outage = [r for r in caplog.records if r.getMessage().startswith("Cache unreachable")]
    assert len(outage) == 1
    assert outage[0].levelno == logging.WARNING


def test_the_breaker_skips_redis_for_the_interval_then_logs_the_recovery(
    settings, caplog, monkeypatch
):
    resilient._breakers.clear()
    settings.CACHES = redis_caches(REFUSING)
    calls = []

    def flaky_get(self, key, default=None, version=None):
        calls.append(key)
        if len(calls) == 1:
            raise redis.exceptions.ConnectionError("refused")
        return "v"

    monkeypatch.setattr(RedisCache, "get", flaky_get)
    with caplog.at_level(logging.WARNING, logger="sciweek.cache"):
        assert cache.get("k", "missing") == "missing"
        assert cache.available is False
        # The breaker is open: Redis is not asked again within the interval.
        assert cache.get("k", "missing") == "missing"
        assert calls == ["k"]
        cache._breaker.down_until = time.monotonic() - 1  # the interval has passed
        assert cache.get("k") == "v"
        assert cache.available is True
    assert [r.getMessage() for r in caplog.records] == [
        f"Cache unreachable (ConnectionError: refused); answering without it, retrying every "
        f"{float(RETRY_INTERVAL)}s (1 failed call(s) since the last message).",
        "Cache reachable again.",
    ]
    resilient._breakers.clear()
