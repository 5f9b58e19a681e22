import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sciweek.accounts.counters import counter_key
from sciweek.accounts.models import AttemptCounter
from sciweek.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import PASSWORD

URL = "/api/v1/auth/token/"


def test_token_url_is_named():
    assert reverse("api:token") == URL


def test_token_obtain_returns_the_users_token(db, api):
    user = UserFactory(username="alice")
    response = api.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}
    # Asking again hands back the same token rather than minting a second one.
    again = api.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert again.json() == response.json()
    assert Token.objects.filter(user=user).count() == 1


def test_token_obtain_wrong_password_is_400_and_audited(db, api):
    UserFactory(username="alice")
    response = api.post(
        URL, {"username": "alice", "password": "wrong"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_credentials",
        "detail": "Please enter a correct username and password. "
        "Note that both fields may be case-sensitive.",
    }
    assert not Token.objects.exists()
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.object_repr == "alice"
    assert entry.actor is None


def test_token_obtain_wrong_password_message_follows_accept_language(db, api):
    UserFactory(username="alice")
    response = api.post(
        URL,
        {"username": "alice", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    # The Chinese message, whichever catalogue (ours or Django's) supplies it.
    assert detail.startswith("请输入") and "密码" in detail


def test_token_obtain_inactive_user_is_refused(db, api):
    UserFactory(username="alice", is_active=False)
    response = api.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


@pytest.mark.parametrize(
    "payload",
    [{}, {"username": "alice"}, {"password": PASSWORD}, {"username": "", "password": ""}],
)
def test_token_obtain_missing_fields_is_400_per_field(db, api, payload):
    UserFactory(username="alice")
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["errors"]) <= {"username", "password"}
    assert response.json()["errors"]


def test_token_obtain_oversized_username_is_400(db, api):
    response = api.post(URL, {"username": "a" * 5000, "password": "x"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_token_obtain_locks_after_repeated_failures(db, api, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="alice")
    for _ in range(3):
        assert api.post(URL, {"username": "alice", "password": "nope"}).status_code == 400
    # Locked: even the right password is refused, and without testing it.
    response = api.post(URL, {"username": "alice", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    # The lock ends when the window opened by the first failure (15 minutes) ends.
    ends = timezone.localtime(
        AttemptCounter.objects.get(key=counter_key("login:user", "alice")).window_ends
    )
    assert response.json() == {
        "code": "locked",
        "detail": f"Too many failed attempts. You can try again after {ends:%Y-%m-%d %H:%M}.",
    }
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 3
    assert not Token.objects.exists()


def test_token_obtain_lock_is_shared_with_the_sign_in_page(db, api, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(username="alice")
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "alice", "password": "nope"})
    response = api.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_token_obtain_success_clears_the_failure_count(db, api, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="alice")
    for _ in range(2):
        api.post(URL, {"username": "alice", "password": "nope"})
    assert api.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 200
    for _ in range(2):
        api.post(URL, {"username": "alice", "password": "nope"})
    assert api.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 200


def test_token_endpoint_is_rate_limited(db, api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute"},
    }
    UserFactory(username="alice")
    for _ in range(3):
        assert api.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 200
    response = api.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_token_rate_limit_ignores_a_forged_forwarded_header(db, api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute"},
    }
    UserFactory(username="alice")
    statuses = [
        api.post(
            URL,
            {"username": "alice", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_token_header_authenticates(db, api):
    UserFactory(username="alice")
    token = api.post(URL, {"username": "alice", "password": PASSWORD}).json()["token"]
    assert api.get("/api/v1/notices/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/notices/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_bad_token_header_is_401(db, api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/notices/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}


def test_stale_token_header_does_not_block_getting_a_new_token(db, api):
    UserFactory(username="alice")
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
