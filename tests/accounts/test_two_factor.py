"""TOTP two-factor sign-in: turned on from the back office; then every way in (office sign-in,
admin sign-in, API token) wants the current code, a wrong one counting towards the lock-out; the
setting TWO_FACTOR_REQUIRED_FOR_ADMINS sends administrators to set it up first."""

from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sciweek.organizations.enums import Role
from tests.factories import AreaFactory, HostUnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # what UserFactory sets
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
WRONG_CODE = "Enter the current code from your authenticator app."


@pytest.fixture(autouse=True)
def _no_otp_delay(settings):
    # django-otp's own delay after a wrong code; the sign-in lock-out is what is tested here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice) -> str:
    # A code may be used once; forget the last one so each step of a test can sign in again.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def turn_on(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get("/accounts/two-factor/", **EN)
    html = page.content.decode()
    assert 'data-two-factor="off"' in html and 'src="data:image/png;base64,' in html
    key = html.split("<code data-key>")[1].split("</code>")[0]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert b32decode(key) == device.bin_key
    response = client.post("/accounts/two-factor/", {"code": code_for(device)}, **EN)
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    client.logout()
    return device


@pytest.fixture
def user():
    return UserFactory(username="liwei", is_staff=True, is_superuser=True)


def test_a_wrong_code_does_not_turn_it_on(client, user):
    client.force_login(user)
    client.get("/accounts/two-factor/")
    response = client.post("/accounts/two-factor/", {"code": "000000"}, **EN)
    assert response.status_code == 400
    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    response = client.post("/accounts/two-factor/", {"code": "12ab"}, **EN)
    assert response.status_code == 400
    assert "Enter the six digits the app shows." in response.content.decode()


def test_office_sign_in_then_wants_the_code(client, user):
    device = turn_on(client, user)
    data = {"username": "liwei", "password": PASSWORD}
    response = client.post("/accounts/login/", data, **EN)
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert SESSION_KEY not in client.session
    response = client.post("/accounts/login/", {**data, "otp_token": "123 456"}, **EN)
    assert SESSION_KEY not in client.session
    response = client.post("/accounts/login/", {**data, "otp_token": code_for(device)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_admin_sign_in_wants_the_code_too(client, user):
    device = turn_on(client, user)
    data = {"username": "liwei", "password": PASSWORD}
    page = client.get("/admin/login/")
    assert 'name="otp_token"' in page.content.decode()
    response = client.post("/admin/login/?next=/admin/", data, **EN)
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    response = client.post("/admin/login/?next=/admin/", {**data, "otp_token": code_for(device)})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_token_endpoint_wants_the_code_too(client, user):
    device = turn_on(client, user)
    api = APIClient()
    data = {"username": "liwei", "password": PASSWORD}
    response = api.post("/api/v1/auth/token/", data, format="json", **EN)
    assert response.status_code == 400
    assert response.json() == {"code": "otp_invalid", "detail": WRONG_CODE}
    response = api.post(
        "/api/v1/auth/token/", {**data, "otp_token": code_for(device)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == user.auth_token.key


def test_wrong_codes_count_towards_the_lock_out(client, user, settings):
    device = turn_on(client, user)
    settings.LOGIN_FAILURE_LIMIT = 2
    data = {"username": "liwei", "password": PASSWORD}
    for _ in range(2):
        client.post("/accounts/login/", {**data, "otp_token": "000000"})
    response = client.post("/accounts/login/", {**data, "otp_token": code_for(device)}, **EN)
    assert "Too many failed attempts." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_turning_it_off_needs_a_current_code(client, user):
    device = turn_on(client, user)
    client.force_login(user)
    assert 'data-two-factor="on"' in client.get("/accounts/two-factor/").content.decode()
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 400
    assert TOTPDevice.objects.filter(confirmed=True).exists()
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    client.logout()
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.status_code == 302


def test_required_for_admins_sends_them_to_set_it_up_first(client, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True
    area_admin = member(Role.ADMIN, AreaFactory())
    editor = member(Role.EDITOR, HostUnitFactory())
    client.force_login(editor)
    assert client.get("/office/").status_code == 200  # not an administrator
    client.force_login(area_admin)
    response = client.get("/office/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/two-factor/")
    assert client.get("/accounts/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=area_admin)
    assert client.post("/accounts/two-factor/", {"code": code_for(device)}).status_code == 302
    assert client.get("/office/").status_code == 200  # verified in this session
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": area_admin.username, "password": PASSWORD, "otp_token": code_for(device)},
    )
    assert response.status_code == 302
    assert client.get("/office/").status_code == 200


def test_not_required_by_default(client, settings):
    assert settings.TWO_FACTOR_REQUIRED_FOR_ADMINS is False
    client.force_login(member(Role.ADMIN, AreaFactory()))
    assert client.get("/office/").status_code == 200
