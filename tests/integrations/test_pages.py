"""The back office's API clients and webhooks pages × every role, and what they do: a key and a
secret shown once, revocation, a bad form keeping what was typed, the delivery log and
"send again"; lists cost the same queries for 1 and 20 rows."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciweek.integrations.models import ApiClient, WebhookDelivery, WebhookEndpoint
from sciweek.integrations.services import client_create, endpoint_save
from sciweek.integrations.webhooks import queue
from sciweek.notifications.models import OutboxMessage, OutboxStatus
from tests.activities.world import activity_in, make_world
from tests.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = "login"
EVERY_ROLE = list(Role)
# Whoever administers some organisation sees the pages (their own organisations' entries); the
# platform's admins (operators) every organisation's.
ADMINS = {
    Role.ORGANIZER_ADMIN, Role.AREA_ADMIN, Role.OTHER_AREA_ADMIN, Role.UNIT_ADMIN,
    Role.PLATFORM_ADMIN,
}  # fmt: skip
OWNERS = {Role.UNIT_ADMIN, Role.PLATFORM_ADMIN}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def w():
    world = make_world()
    for role in EVERY_ROLE:
        world.build(role)
    admin = world.users[Role.UNIT_ADMIN]
    world.client_, world.key = client_create(
        organization=world.unit, name="区县系统", scopes=["read"],
        expires_at=timezone.now() + timedelta(days=9), by=admin,
    )  # fmt: skip
    world.endpoint, _secret = endpoint_save(
        endpoint=WebhookEndpoint(organization=world.unit, url="http://127.0.0.1:9/hook"),
        events=["activity.published"],
        by=admin,
    )
    activity = activity_in(world, "published", host=world.unit)
    [world.delivery] = queue(event="activity.published", obj=activity, endpoints=[world.endpoint])
    OutboxMessage.objects.filter(pk=world.delivery.message_id).update(status=OutboxStatus.FAILED)
    return world


def _check(response, url, want):
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    else:
        assert response.status_code == want


LIST_PAGES = ["api-client-list", "api-client-create", "webhook-list", "webhook-create"]


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_by_role(client, w, role, name):
    w.login(client, role)
    url = reverse(f"dashboard:{name}")
    want = LOGIN if role is Role.ANONYMOUS else 200 if role in ADMINS else 403
    _check(client.get(url), url, want)


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize(
    ("name", "arg", "method"),
    [
        ("webhook-edit", "endpoint", "get"),
        ("webhook-deliveries", "endpoint", "get"),
        ("api-client-revoke", "client_", "post"),
        ("webhook-send-again", "delivery", "post"),
    ],
)
def test_object_pages_by_role(client, w, role, name, arg, method):
    """Only the admins of the organisation the client or endpoint belongs to (and operators)."""
    w.login(client, role)
    url = reverse(f"dashboard:{name}", args=[getattr(w, arg).pk])
    ok = 200 if method == "get" else 302
    want = LOGIN if role is Role.ANONYMOUS else ok if role in OWNERS else 403
    _check(getattr(client, method)(url), url, want)


def test_a_list_shows_only_the_users_organisations(client, w):
    w.login(client, Role.OTHER_AREA_ADMIN)
    html = client.get(reverse("dashboard:api-client-list"), **EN).content.decode()
    assert "区县系统" not in html and "No API clients yet." in html
    w.login(client, Role.UNIT_ADMIN)
    html = client.get(reverse("dashboard:api-client-list"), **EN).content.decode()
    assert "区县系统" in html and f"swc_{w.client_.prefix}_" in html and w.key not in html


def test_creating_a_client_shows_its_key_once(client, w):
    w.login(client, Role.UNIT_ADMIN)
    url = reverse("dashboard:api-client-create")
    data = {"organization": w.unit.pk, "name": "小程序", "scopes": ["read", "bookings"],
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "requests_per_minute": 60}  # fmt: skip
    response = client.post(url, data, **EN)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    made = ApiClient.objects.get(name="小程序")
    key = response.context["key"]
    assert key.startswith(f"swc_{made.prefix}_") and key in response.content.decode()
    assert made.scopes == ["bookings", "read"] and made.requests_per_minute == 60
    assert key not in client.get(reverse("dashboard:api-client-list")).content.decode()


def test_a_bad_client_form_keeps_what_was_typed(client, w):
    w.login(client, Role.UNIT_ADMIN)
    response = client.post(
        reverse("dashboard:api-client-create"),
        {
            "organization": w.unit.pk,
            "name": "小程序",
            "expires_on": "2000-01-01",
            "requests_per_minute": 60,
        },
        **EN,
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "scopes": ["This field is required."],
        "expires_on": ["Choose a day after today."],
    }
    assert 'value="小程序"' in response.content.decode()
    assert not ApiClient.objects.filter(name="小程序").exists()


def test_an_organisation_the_user_does_not_administer_cannot_be_chosen(client, w):
    w.login(client, Role.UNIT_ADMIN)
    response = client.post(
        reverse("dashboard:api-client-create"),
        {
            "organization": w.other_unit.pk,
            "name": "x",
            "scopes": ["read"],
            "expires_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "requests_per_minute": 60,
        },
    )
    assert "organization" in response.context["form"].errors
    assert not ApiClient.objects.filter(name="x").exists()


def test_revoking_a_client(client, w):
    w.login(client, Role.UNIT_ADMIN)
    response = client.post(reverse("dashboard:api-client-revoke", args=[w.client_.pk]))
    assert response["Location"] == reverse("dashboard:api-client-list")
    w.client_.refresh_from_db()
    assert w.client_.revoked_at is not None
    assert w.client_.revoked_by == w.users[Role.UNIT_ADMIN]


def test_registering_an_endpoint_shows_its_secret_once(client, w):
    w.login(client, Role.UNIT_ADMIN)
    response = client.post(
        reverse("dashboard:webhook-create"),
        {
            "organization": w.unit.pk,
            "url": "https://oa.example.test/hook",
            "is_active": "on",
            "events": ["booking.confirmed", "booking.cancelled"],
        },
        **EN,
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(url="https://oa.example.test/hook")
    assert response.context["secret"] == endpoint.secret
    assert endpoint.secret in response.content.decode()
    assert endpoint.events == ["booking.cancelled", "booking.confirmed"]
    edit = client.get(reverse("dashboard:webhook-edit", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in edit


def test_editing_an_endpoint(client, w):
    w.login(client, Role.UNIT_ADMIN)
    url = reverse("dashboard:webhook-edit", args=[w.endpoint.pk])
    response = client.post(
        url, {"url": "https://new.example.test/h", "events": ["notice.published"]}
    )
    assert response["Location"] == reverse("dashboard:webhook-list")
    w.endpoint.refresh_from_db()
    assert (w.endpoint.url, w.endpoint.events, w.endpoint.is_active) == (
        "https://new.example.test/h", ["notice.published"], False,
    )  # fmt: skip
    response = client.post(url, {"url": "ftp://x", "events": []}, **EN)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"url", "events"}


def test_the_delivery_log_and_send_again(client, w):
    w.login(client, Role.UNIT_ADMIN)
    w.delivery.attempts.create(status_code=503, response_excerpt="down for maintenance",
                               duration_ms=42)  # fmt: skip
    html = client.get(reverse("dashboard:webhook-deliveries", args=[w.endpoint.pk]), **EN)
    html = html.content.decode()
    assert "activity.published" in html and "HTTP 503" in html and "down for maintenance" in html
    assert "42 ms" in html
    response = client.post(reverse("dashboard:webhook-send-again", args=[w.delivery.pk]))
    assert response["Location"] == reverse("dashboard:webhook-deliveries", args=[w.endpoint.pk])
    again = WebhookDelivery.objects.exclude(pk=w.delivery.pk).get()
    assert again.event_id == w.delivery.event_id
    assert again.message.status == OutboxStatus.PENDING


@pytest.mark.parametrize("name", ["api-client-list", "webhook-list", "webhook-deliveries"])
def test_lists_cost_the_same_for_1_and_20_rows(client, w, name):
    w.login(client, Role.UNIT_ADMIN)
    admin = w.users[Role.UNIT_ADMIN]
    args = [w.endpoint.pk] if name == "webhook-deliveries" else []
    url = reverse(f"dashboard:{name}", args=args)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    one = count()
    activity = w.delivery.message and activity_in(w, "published", host=w.unit)
    for n in range(19):
        client_create(organization=w.unit, name=f"c{n}", scopes=["read"],
                      expires_at=timezone.now() + timedelta(days=1), by=admin)  # fmt: skip
        endpoint_save(endpoint=WebhookEndpoint(organization=w.unit, url=f"https://e{n}.test/"),
                      events=["activity.published"], by=admin)  # fmt: skip
        [d] = queue(event="activity.published", obj=activity, endpoints=[w.endpoint])
        d.attempts.create(status_code=500)
    assert count() == one
