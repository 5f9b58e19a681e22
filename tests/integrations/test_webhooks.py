"""Webhooks: an event becomes a signed delivery in the outbox, written with the event; a real
receiver on 127.0.0.1 gets it and the signature checks; failures retry, then give up; an event
is never delivered twice, even by two senders at once."""

from __future__ import annotations

import json
import time

import pytest
from django.db import transaction

from sciweek.bookings import services as bookings
from sciweek.integrations import signing
from sciweek.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from sciweek.integrations.services import delivery_send_again, endpoint_save
from sciweek.notifications import services as outbox
from sciweek.notifications.models import Channel, OutboxMessage, OutboxStatus
from sciweek.organizations.enums import Role
from tests.bookings.builders import PHONE, req, session_of
from tests.bookings.gate_builders import run_together
from tests.factories import member

from .receiver import receiver


def _endpoint(org, url, *, events=("booking.confirmed",), personal=False):
    admin = member(Role.ADMIN, org)
    endpoint, secret = endpoint_save(
        endpoint=WebhookEndpoint(organization=org, url=url, personal_data=personal),
        events=events,
        by=admin,
    )
    return endpoint, secret, admin


def _send():
    return outbox.send_pending()


def _webhooks(status=OutboxStatus.SENT) -> int:
    return OutboxMessage.objects.filter(channel=Channel.WEBHOOK, status=status).count()


@pytest.mark.django_db
def test_a_booking_reaches_the_receiver_signed(settings):
    session = session_of()
    with receiver() as (url, received):
        endpoint, secret, _admin = _endpoint(session.activity.host, url)
        assert secret.startswith("whsec_") and endpoint.secret == secret
        booking = bookings.book(session=session, data=req())
        delivery = WebhookDelivery.objects.get()
        assert delivery.message.channel == Channel.WEBHOOK
        _send()
    assert _webhooks() == 1
    [hit] = received
    headers, body = hit["headers"], hit["body"]
    assert headers["x-sciweek-event"] == "booking.confirmed"
    assert headers["x-sciweek-delivery"] == str(delivery.delivery_id)
    assert signing.verify(secret, body, headers["x-sciweek-signature"])
    assert not signing.verify("whsec_other", body, headers["x-sciweek-signature"])
    assert not signing.verify(secret, body + b" ", headers["x-sciweek-signature"])
    payload = json.loads(body)
    assert payload["event"] == "booking.confirmed"
    assert payload["id"] == str(delivery.event_id)
    assert payload["data"]["id"] == booking.pk
    assert payload["data"]["status"] == "confirmed"
    assert payload["data"]["session"]["id"] == session.pk
    # No personal data for an endpoint not allowed it.
    assert "name" not in payload["data"] and "phone" not in payload["data"]
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.response_excerpt) == (200, "got it")


@pytest.mark.django_db
def test_personal_data_only_where_the_endpoint_allows_it():
    session = session_of()
    _endpoint(session.activity.host, "http://127.0.0.1:9/a", personal=True)
    _endpoint(session.activity.host, "http://127.0.0.1:9/b", personal=False)
    bookings.book(session=session, data=req())
    bodies = {
        d.endpoint.url: json.loads(d.message.body)["data"]
        for d in WebhookDelivery.objects.select_related("endpoint", "message")
    }
    assert bodies["http://127.0.0.1:9/a"]["name"] == "张三丰"
    assert bodies["http://127.0.0.1:9/a"]["phone"] == PHONE
    assert "name" not in bodies["http://127.0.0.1:9/b"]


def test_signature_refuses_an_old_delivery_replayed():
    body = b'{"a": 1}'
    header = signing.signature("s", body, int(time.time()) - signing.REPLAY_WINDOW - 5)
    assert not signing.verify("s", body, header)
    assert signing.verify("s", body, signing.signature("s", body, int(time.time())))
    assert not signing.verify("s", body, "garbage")


@pytest.mark.django_db
def test_only_subscribed_active_endpoints_of_the_organisation_and_above_hear():
    session = session_of()
    host = session.activity.host
    _endpoint(host, "http://127.0.0.1:9/mine")
    _endpoint(host.parent, "http://127.0.0.1:9/area")  # the area above the unit
    _endpoint(host, "http://127.0.0.1:9/other-kind", events=("notice.published",))
    off, _s, _a = _endpoint(host, "http://127.0.0.1:9/off")
    off.is_active = False
    off.save()
    stranger = session_of()  # another host unit
    _endpoint(stranger.activity.host, "http://127.0.0.1:9/stranger")
    bookings.book(session=session, data=req())
    assert sorted(WebhookDelivery.objects.values_list("endpoint__url", flat=True)) == [
        "http://127.0.0.1:9/area",
        "http://127.0.0.1:9/mine",
    ]


@pytest.mark.django_db
def test_an_event_rolled_back_sends_nothing():
    session = session_of()
    _endpoint(session.activity.host, "http://127.0.0.1:9/x")
    with pytest.raises(RuntimeError), transaction.atomic():
        bookings.book(session=session, data=req())
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError
    assert WebhookDelivery.objects.count() == 0
    assert OutboxMessage.objects.filter(channel=Channel.WEBHOOK).count() == 0


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_then_given_up(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    session = session_of()
    with receiver(status=500) as (url, received):
        _endpoint(session.activity.host, url)
        bookings.book(session=session, data=req())
        message = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
        for expected in (1, 2, 3):
            assert _send()["failed"] == 1
            message.refresh_from_db()
            assert message.attempts == expected
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        assert _send() == {"sent": 0, "failed": 0, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == "WebhookFailed: HTTP 500"
    assert len(received) == 3
    assert (
        list(WebhookAttempt.objects.values_list("status_code", "response_excerpt"))
        == [(500, "receiver broke")] * 3
    )


@pytest.mark.django_db
def test_a_failed_delivery_waits_for_its_back_off():
    session = session_of()
    _endpoint(session.activity.host, "http://127.0.0.1:9/closed-port")
    bookings.book(session=session, data=req())
    assert _send()["failed"] == 1
    assert _send()["failed"] == 0  # not due yet
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "Connection refused" in attempt.error


@pytest.mark.django_db
def test_send_again_repeats_the_event_as_a_new_delivery():
    session = session_of()
    with receiver() as (url, received):
        _e, _s, admin = _endpoint(session.activity.host, url)
        bookings.book(session=session, data=req())
        _send()
        first = WebhookDelivery.objects.get()
        again = delivery_send_again(delivery=first, by=admin)
        _send()
    assert len(received) == 2
    assert again.delivery_id != first.delivery_id and again.event_id == first.event_id
    assert received[0]["body"] == received[1]["body"]
    assert received[1]["headers"]["x-sciweek-delivery"] == str(again.delivery_id)


@pytest.mark.django_db
def test_the_same_event_is_never_delivered_twice():
    session = session_of()
    with receiver() as (url, received):
        _endpoint(session.activity.host, url)
        bookings.book(session=session, data=req())
        _send()
        _send()
        assert _webhooks() == 1
    assert len(received) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_deliver_an_event_once():
    session = session_of()
    with receiver() as (url, received):
        _endpoint(session.activity.host, url)
        for n in range(5):
            bookings.book(session=session, data=req(phone=f"1390000000{n}"))
        results = run_together([_send, _send, _send])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert _webhooks() == 5
    assert len(received) == 5
    assert len({hit["headers"]["x-sciweek-delivery"] for hit in received}) == 5
