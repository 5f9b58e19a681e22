"""Webhooks go to public addresses only: an endpoint on a loopback, private or link-local
address is refused when saved and when delivered (its name may be re-pointed later), and a
redirect is never followed."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sciweek.bookings import services as bookings
from sciweek.common.errors import ServiceError
from sciweek.integrations.addresses import refused_address
from sciweek.integrations.models import WebhookAttempt, WebhookEndpoint
from sciweek.notifications import services as outbox
from sciweek.notifications.models import Channel, OutboxMessage
from tests.bookings.builders import req, session_of

from .receiver import receiver
from .test_webhooks import _endpoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://127.0.0.1:8000/hook", "127.0.0.1"),
        ("http://10.1.2.3/hook", "10.1.2.3"),
        ("http://192.168.0.9/hook", "192.168.0.9"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]/hook", "::1"),
        ("http://localhost/hook", None),  # checked below: resolves to loopback
        ("https://203.0.113.7/hook", "203.0.113.7"),  # documentation range: not global
        ("https://8.8.8.8/hook", None),
    ],
)
def test_only_global_addresses_are_allowed(settings, url, refused):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    if "localhost" in url:
        assert refused_address(url) in ("127.0.0.1", "::1")
    else:
        assert refused_address(url) == refused


def test_saving_an_endpoint_on_a_private_address_is_a_field_error(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    session = session_of()
    with pytest.raises(ServiceError) as refused:
        _endpoint(session.activity.host, "http://127.0.0.1:9/hook")
    assert list(refused.value.message_dict) == ["url"]
    assert "127.0.0.1" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_a_name_re_pointed_to_a_private_address_is_not_called(settings):
    session = session_of()
    with receiver() as (url, received):
        _endpoint(session.activity.host, url)  # allowed when saved (the tests' setting)
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # … and refused when delivered
        bookings.book(session=session, data=req())
        assert outbox.send_pending()["failed"] == 1
    assert received == []
    message = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    assert message.last_error == "WebhookFailed: 127.0.0.1 is not a public address"


def test_a_redirect_is_a_failed_attempt_and_not_followed():
    hits: list[str] = []

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "/elsewhere")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        session = session_of()
        _endpoint(session.activity.host, f"http://127.0.0.1:{server.server_port}/hook")
        bookings.book(session=session, data=req())
        assert outbox.send_pending()["failed"] == 1
    finally:
        server.shutdown()
        server.server_close()
    assert hits == ["/hook"]
    assert WebhookAttempt.objects.get().status_code == 307
