"""Login (with throttling), logout, password change and password reset by email."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from sciweek.accounts.models import AttemptCounter
from sciweek.audit.models import AuditEntry
from sciweek.notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # what UserFactory sets
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# The lock message goes on with the lock's end ("... after 2026-12-02 22:30.").
LOCKED = "Too many failed attempts. You can try again after "


@pytest.fixture
def user():
    return UserFactory(username="liwei", email="liwei@example.test")


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_login_page_renders(client):
    response = client.get("/accounts/login/", **EN)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_login_with_the_right_password_goes_to_the_office(client, user):
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_follows_a_safe_next_and_ignores_an_offsite_one(client, user):
    response = client.post(
        "/accounts/login/?next=/office/notices/",
        {"username": "liwei", "password": PASSWORD, "next": "/office/notices/"},
    )
    assert response["Location"] == "/office/notices/"
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": "liwei", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/office/"


def test_wrong_password_is_refused_and_audited_without_the_password(client, user):
    response = client.post(
        "/accounts/login/", {"username": "liwei", "password": "Secret-guess-42"}, **EN
    )
    assert response.status_code == 200
    assert not signed_in(client)
    entries = list(AuditEntry.objects.filter(action="auth.login_failed"))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.object_repr == "liwei"
    assert entry.actor is None
    assert entry.ip_address == "127.0.0.1"
    assert "Secret-guess-42" not in repr(
        (entry.object_repr, entry.changes, entry.reason, entry.actor_name)
    )


def test_login_is_locked_after_the_failure_limit(client, user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for attempt in range(3):
        response = client.post(
            "/accounts/login/", {"username": "liwei", "password": f"wrong-{attempt}"}, **EN
        )
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()

    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD}, **EN)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not signed_in(client)

    failures = AuditEntry.objects.filter(action="auth.login_failed")
    assert failures.count() == 3
    for entry in failures:
        assert entry.object_repr == "liwei"
        assert not any(f"wrong-{i}" in str(entry.changes) + entry.reason for i in range(3))

    # When the window has passed (the counters expire), the right password works again.
    AttemptCounter.objects.update(window_ends=timezone.now())
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)


def test_lock_is_per_user_name_case_insensitively(client, user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(username="other")
    for _ in range(2):
        client.post("/accounts/login/", {"username": "LiWei", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD}, **EN)
    assert LOCKED in response.content.decode()
    # Another account from the same address is not locked by these two failures.
    response = client.post("/accounts/login/", {"username": "other", "password": PASSWORD})
    assert response.status_code == 302


def test_lock_per_address_after_four_times_the_limit(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(username="victim")
    for index in range(8):
        client.post("/accounts/login/", {"username": f"guess{index}", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "victim", "password": PASSWORD}, **EN)
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_a_successful_login_clears_the_user_counter(client, user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post("/accounts/login/", {"username": "liwei", "password": "nope"})
    assert (
        client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/accounts/logout/")
    for _ in range(2):
        client.post("/accounts/login/", {"username": "liwei", "password": "nope"})
    assert (
        client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD}).status_code
        == 302
    )


def test_logout_is_a_post(client, user):
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not signed_in(client)


def test_password_change(client, user):
    assert (
        client.get("/accounts/password/")["Location"] == "/accounts/login/?next=/accounts/password/"
    )
    client.force_login(user)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "Fresh-Pass-2024!",
            "new_password2": "Fresh-Pass-2024!",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-Pass-2024!",
            "new_password2": "Fresh-Pass-2024!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    user.refresh_from_db()
    assert user.check_password("Fresh-Pass-2024!")
    # The session stays valid after the change.
    assert signed_in(client)


def test_password_reset_by_email_end_to_end(client, user):
    response = client.post("/accounts/password/reset/", {"email": "liwei@example.test"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"

    message = OutboxMessage.objects.get(kind="password_reset")
    assert message.recipient == "liwei@example.test"
    assert "liwei" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert link is not None, message.body

    response = client.get(link.group(1))
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    assert client.get(form_url).status_code == 200
    response = client.post(
        form_url, {"new_password1": "Brand-New-Pass-9", "new_password2": "Brand-New-Pass-9"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"

    response = client.post(
        "/accounts/login/", {"username": "liwei", "password": "Brand-New-Pass-9"}
    )
    assert response.status_code == 302
    assert signed_in(client)

    # The link works once.
    client.logout()
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, user):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert not OutboxMessage.objects.exists()
