"""Signed-in sessions end after an idle time and an absolute lifetime; private pages are not
cached; API tokens expire and can be revoked from the back office."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sciweek.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from sciweek.audit.models import AuditEntry
from tests.bookings.builders import PHONE, session_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # what UserFactory sets
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer(client):
    user = UserFactory(username="liwei")
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.status_code == 302
    return user


def shift_clock(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = now - ago
    session.save()


def test_sign_in_starts_the_session_clock(client, officer):
    now = int(time.time())
    assert now - 5 <= client.session[SIGNED_IN_AT] <= now
    assert client.session[LAST_SEEN_AT] == client.session[SIGNED_IN_AT]


def test_an_active_session_stays_signed_in_and_notes_activity_once_a_minute(client, officer):
    shift_clock(client, signed_in=3600, last_seen=29 * 60)
    assert client.get("/office/").status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN_AT] <= 5
    shift_clock(client, last_seen=30)
    assert client.get("/office/").status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN_AT] >= 30  # not rewritten within a minute


def test_thirty_idle_minutes_sign_out(client, officer):
    shift_clock(client, last_seen=30 * 60 + 5)
    response = client.get("/office/", **EN)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/office/"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"], **EN)
    assert "For your security you were signed out. Please sign in again." in page.content.decode()


def test_the_idle_time_is_a_setting(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    shift_clock(client, last_seen=90)
    assert client.get("/office/").status_code == 200
    shift_clock(client, last_seen=125)
    assert client.get("/office/").status_code == 302
    assert SESSION_KEY not in client.session


def test_twelve_hours_after_sign_in_the_session_ends_however_busy(client, officer):
    shift_clock(client, signed_in=12 * 3600 + 5, last_seen=10)
    assert client.get("/office/").status_code == 302
    assert SESSION_KEY not in client.session
    # The cookie itself lasts no longer either.
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == 12 * 3600


@pytest.mark.parametrize("url", ["/office/", "/accounts/password/", "/admin/"])
def test_office_pages_are_private_and_not_stored(client, url):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_the_sign_in_page_is_private_and_not_stored(client):
    # Django's LoginView already sends never_cache's headers; they are kept.
    response = client.get("/accounts/login/")
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    response = client.get("/accounts/password/reset/")
    assert response["Cache-Control"] == "private, no-store"


def test_ticket_pages_are_private_and_not_stored(client):
    session = session_of()
    data = {"name": "张三丰", "phone": PHONE, "consent": "on"}
    ticket = client.post(f"/sessions/{session.pk}/book/", data)["Location"]
    for url in (ticket, f"{ticket}qr.png", f"{ticket}ticket.png", f"{ticket}calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_public_pages_stay_publicly_cacheable(client):
    session_of()
    assert client.get("/activities/")["Cache-Control"] == "public, max-age=60"


# -- API tokens ---------------------------------------------------------------------------------

TOKEN = "/api/v1/auth/token/"


def issue(username="alice") -> str:
    response = APIClient().post(TOKEN, {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def test_an_expired_token_is_refused_and_replaced_on_request(settings):
    settings.API_TOKEN_LIFETIME = 3600
    UserFactory(username="alice")
    key = issue()
    assert APIClient().get("/api/v1/editions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == (
        200
    )
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(seconds=3601))
    response = APIClient().get("/api/v1/editions/", HTTP_AUTHORIZATION=f"Token {key}", **EN)
    assert response.status_code == 401
    assert response.json() == {
        "code": "token_expired",
        "detail": "The token has expired. Ask for a new one.",
    }
    fresh = issue()
    assert fresh != key
    assert Token.objects.get().key == fresh
    assert APIClient().get(
        "/api/v1/editions/", HTTP_AUTHORIZATION=f"Token {fresh}"
    ).status_code == (200)


def test_a_valid_token_is_handed_back_unchanged(settings):
    UserFactory(username="alice")
    assert issue() == issue()


def test_the_owner_revokes_the_token_from_the_back_office(client):
    user = UserFactory(username="alice")
    key = issue()
    client.force_login(user)
    page = client.get("/accounts/api-token/", **EN)
    assert page.status_code == 200
    assert 'data-token-state="active"' in page.content.decode()
    response = client.post("/accounts/api-token/", **EN)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/api-token/"
    assert not Token.objects.exists()
    page = client.get("/accounts/api-token/", **EN)
    html = page.content.decode()
    assert 'data-token-state="none"' in html
    assert "Your API token has been revoked." in html
    response = APIClient().get("/api/v1/editions/", HTTP_AUTHORIZATION=f"Token {key}", **EN)
    assert response.status_code == 401
    entry = AuditEntry.objects.get(action="auth.token_revoked")
    assert (entry.actor, entry.object_repr) == (user, "alice")


def test_the_token_page_needs_a_sign_in(client):
    response = client.get("/accounts/api-token/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/api-token/"
    assert client.post("/accounts/api-token/").status_code == 302


def test_an_administrator_revokes_any_token_in_the_site_admin(client):
    UserFactory(username="alice")
    key = issue()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/authtoken/tokenproxy/{Token.objects.get().user_id}/delete/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(key=key).exists()
