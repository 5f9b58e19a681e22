"""One lock-out for every way in (admin sign-in, office sign-in, API token), by user name and by
address, with its end shown in the user's language; password reset limited and constant-time."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from rest_framework.test import APIClient

from sciweek.accounts.counters import counter_key
from sciweek.accounts.models import AttemptCounter
from sciweek.notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # what UserFactory sets
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
ADMIN_LOGIN = "/admin/login/?next=/admin/"
TOKEN = "/api/v1/auth/token/"


def lock_end(username: str) -> str:
    row = AttemptCounter.objects.get(key=counter_key("login:user", username))
    return f"{timezone.localtime(row.window_ends):%Y-%m-%d %H:%M}"


@pytest.fixture
def admin_user():
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_ten_wrong_admin_passwords_lock_admin(client, admin_user):
    # The default limit (LOGIN_FAILURE_LIMIT = 5), as in production.
    for attempt in range(10):
        response = client.post(
            ADMIN_LOGIN, {"username": "admin", "password": f"wrong-{attempt}"}, **EN
        )
        assert response.status_code == 200
        assert SESSION_KEY not in client.session
    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD}, **EN)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert (
        f"Too many failed attempts. You can try again after {lock_end('admin')}."
        in response.content.decode()
    )
    # Five failures were counted; the five made while locked were refused without a test.
    assert AttemptCounter.objects.get(key=counter_key("login:user", "admin")).count == 5


def test_the_lock_ends_with_its_window(client, admin_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(ADMIN_LOGIN, {"username": "admin", "password": "nope"})
    assert SESSION_KEY not in client.session
    AttemptCounter.objects.update(window_ends=timezone.now())
    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(admin_user.pk)


def test_the_admin_office_and_token_logins_share_one_lock(client, admin_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client.post(ADMIN_LOGIN, {"username": "admin", "password": "nope"})
    client.post("/accounts/login/", {"username": "admin", "password": "nope"})
    api = APIClient()
    assert api.post(TOKEN, {"username": "admin", "password": "nope"}).status_code == 400
    # Locked everywhere now, even with the right password.
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}, **EN)
    assert "Too many failed attempts." in response.content.decode()
    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD}, **EN)
    assert "Too many failed attempts." in response.content.decode()
    assert api.post(TOKEN, {"username": "admin", "password": PASSWORD}).status_code == 429
    assert SESSION_KEY not in client.session


def test_the_admin_login_locks_by_address(client, admin_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for index in range(8):  # four times the per-account limit, over many user names
        client.post(ADMIN_LOGIN, {"username": f"guess{index}", "password": "nope"})
    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD}, **EN)
    assert "Too many failed attempts." in response.content.decode()
    # Another address is not locked.
    other = client_from("10.0.0.9")
    response = other.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302


def client_from(ip: str):
    from django.test import Client

    return Client(REMOTE_ADDR=ip)


def test_the_lock_message_is_in_chinese_by_default(client, admin_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    client.post("/accounts/login/", {"username": "admin", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}, **ZH)
    assert f"登录失败次数过多，请于 {lock_end('admin')} 之后再试。" in response.content.decode()
    response = APIClient().post(TOKEN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json() == {
        "code": "locked",
        "detail": f"登录失败次数过多，请于 {lock_end('admin')} 之后再试。",
    }


def test_no_user_name_or_address_is_stored_in_the_counters(client, admin_user):
    client.post(ADMIN_LOGIN, {"username": "admin", "password": "nope"})
    keys = sorted(AttemptCounter.objects.values_list("key", flat=True))
    assert keys == sorted(
        [counter_key("login:user", "admin"), counter_key("login:ip", "127.0.0.1")]
    )
    assert not any("admin" in key or "127.0.0.1" in key for key in keys)


# -- password reset -----------------------------------------------------------------------------

RESET = "/accounts/password/reset/"


def test_password_reset_is_limited_per_account(client, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 2
    UserFactory(username="liwei", email="liwei@example.test")
    for _ in range(2):
        response = client.post(RESET, {"email": "liwei@example.test"})
        assert response.status_code == 302
    response = client.post(RESET, {"email": "LiWei@example.test"}, **EN)
    assert response.status_code == 429
    row = AttemptCounter.objects.get(key=counter_key("reset:email", "liwei@example.test"))
    ends = f"{timezone.localtime(row.window_ends):%Y-%m-%d %H:%M}"
    assert (
        f"Too many password reset requests. You can try again after {ends}."
        in response.content.decode()
    )
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 2
    # Another account from the same address still gets its mail.
    UserFactory(username="other", email="other@example.test")
    assert client.post(RESET, {"email": "other@example.test"}).status_code == 302
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 3


def test_password_reset_is_limited_per_address_known_or_not(client, settings):
    settings.PASSWORD_RESET_PER_IP = 3
    for index in range(3):
        assert client.post(RESET, {"email": f"nobody{index}@example.test"}).status_code == 302
    UserFactory(username="liwei", email="liwei@example.test")
    response = client.post(RESET, {"email": "liwei@example.test"}, **ZH)
    assert response.status_code == 429
    assert "重置密码请求过多" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    assert client_from("10.0.0.9").post(RESET, {"email": "liwei@example.test"}).status_code == 302


def test_password_reset_takes_as_long_whether_the_address_is_known(client, settings):
    settings.PASSWORD_RESET_MIN_SECONDS = 0.3
    UserFactory(username="liwei", email="liwei@example.test")
    answers = {}
    for email in ("liwei@example.test", "nobody@example.test"):
        started = time.monotonic()
        response = client.post(RESET, {"email": email})
        answers[email] = (response.status_code, response["Location"], time.monotonic() - started)
    for status, location, elapsed in answers.values():
        assert (status, location) == (302, "/accounts/password/reset/sent/")
        assert 0.3 <= elapsed < 1.5
    assert OutboxMessage.objects.get().recipient == "liwei@example.test"
