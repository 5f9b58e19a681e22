"""The outbox: rows written with the event, sent by a real (local) SMTP server, retried when it
is down, given up after OUTBOX_MAX_ATTEMPTS."""

import email
import socket
from datetime import timedelta
from email import policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sciweek.notifications.models import OutboxMessage, OutboxStatus
from sciweek.notifications.services import queue_email, send_pending
from tests.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on loopback that can be stopped and started again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.collector = Collector()
        self.controller = None

    def start(self):
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def queue_notice_mail(*addresses):
    notice = NoticeFactory(title="关于举办科技活动周的通知")
    return notice, queue_email(
        kind="notice.published",
        to=addresses,
        template="campaigns/email/notice_published",
        context={"notice": notice},
    )


def test_queue_email_writes_one_row_per_address_in_the_transaction():
    with transaction.atomic():
        notice, rows = queue_notice_mail("a@example.test", " b@example.test ", "a@example.test", "")
        assert OutboxMessage.objects.count() == 2
    assert [r.recipient for r in rows] == ["a@example.test", "b@example.test"]
    stored = OutboxMessage.objects.order_by("id")
    assert list(stored.values_list("recipient", "kind", "status", "attempts")) == [
        ("a@example.test", "notice.published", "pending", 0),
        ("b@example.test", "notice.published", "pending", 0),
    ]
    first = stored[0]
    assert "关于举办科技活动周的通知" in first.subject
    assert "\n" not in first.subject
    assert f"/office/notices/{notice.pk}/" in first.body


def test_queue_email_writes_nothing_when_the_transaction_rolls_back():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        queue_notice_mail("a@example.test")
        raise Boom
    assert OutboxMessage.objects.count() == 0


def test_queue_email_with_no_address_writes_nothing():
    notice = NoticeFactory()
    assert (
        queue_email(
            kind="x",
            to=["", "  "],
            template="campaigns/email/notice_published",
            context={"notice": notice},
        )
        == []
    )
    assert not OutboxMessage.objects.exists()


def test_queue_email_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_notice_mail("a@example.test")
    assert mail.outbox == []  # nothing leaves before the commit
    dispatches = [c for c in callbacks if c.__name__ == "_dispatch"]
    assert len(dispatches) == 1
    dispatches[0]()
    assert [m.to for m in mail.outbox] == [["a@example.test"]]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_send_pending_delivers_through_a_real_smtp_server(smtp, settings):
    smtp.start()
    queue_notice_mail("a@example.test", "b@example.test")
    assert send_pending() == {"sent": 2, "failed": 0, "postponed": 0}

    received = sorted(smtp.collector.messages, key=lambda m: m[0])
    assert [rcpt for rcpt, _ in received] == [["a@example.test"], ["b@example.test"]]
    _rcpt, message = received[0]
    stored = OutboxMessage.objects.get(recipient="a@example.test")
    # Django folds a long non-ASCII subject onto a continuation line; unfolded it is the same.
    assert message["Subject"].strip() == stored.subject
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    # SMTP carries CRLF line ends.
    assert message.get_content().replace("\r\n", "\n").strip() == stored.body.strip()
    assert stored.status == OutboxStatus.SENT
    assert stored.attempts == 1
    assert stored.sent_at is not None
    assert stored.last_error == ""
    # Sent once: a second run has nothing to do.
    assert send_pending() == {"sent": 0, "failed": 0, "postponed": 0}
    assert len(smtp.collector.messages) == 2


def test_send_pending_keeps_messages_when_the_server_is_down_and_sends_later(smtp):
    # The server is not started: connections to its port are refused.
    queue_notice_mail("a@example.test")
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    assert message.next_attempt_at > timezone.now()

    # Not due yet: a run before next_attempt_at leaves it alone.
    smtp.start()
    assert send_pending() == {"sent": 0, "failed": 0, "postponed": 0}
    assert smtp.collector.messages == []

    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert send_pending() == {"sent": 1, "failed": 0, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert [rcpt for rcpt, _ in smtp.collector.messages] == [["a@example.test"]]


def test_send_pending_survives_a_server_that_went_away(smtp):
    smtp.start()
    queue_notice_mail("first@example.test")
    assert send_pending()["sent"] == 1
    smtp.stop()
    queue_notice_mail("second@example.test")
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    second = OutboxMessage.objects.get(recipient="second@example.test")
    assert second.status == OutboxStatus.PENDING
    smtp.start()
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert send_pending() == {"sent": 1, "failed": 0, "postponed": 0}


def test_send_pending_gives_up_after_max_attempts(smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    queue_notice_mail("a@example.test")
    for attempt in range(1, 4):
        OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
        message = OutboxMessage.objects.get()
        assert message.attempts == attempt
        expected = OutboxStatus.FAILED if attempt == 3 else OutboxStatus.PENDING
        assert message.status == expected
    # A failed message is never tried again, even with the server back.
    smtp.start()
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert send_pending() == {"sent": 0, "failed": 0, "postponed": 0}
    assert smtp.collector.messages == []
    assert OutboxMessage.objects.get().attempts == 3


def test_send_pending_respects_the_limit(smtp):
    smtp.start()
    queue_notice_mail("a@example.test", "b@example.test", "c@example.test")
    assert send_pending(limit=2) == {"sent": 2, "failed": 0, "postponed": 0}
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 1


def test_send_outbox_command(smtp):
    smtp.start()
    queue_notice_mail("a@example.test", "b@example.test")
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 2, failed 0"
    assert len(smtp.collector.messages) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_send_outbox_command_reports_failures(smtp):
    queue_notice_mail("a@example.test")
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 0, failed 1"


def test_sms_without_a_gateway_stays_pending_with_the_error(settings):
    settings.SMS_GATEWAY = ""
    settings.SMS_BACKEND = "none"
    OutboxMessage.objects.create(
        channel="sms", kind="test", recipient="13800000000", subject="", body="短信"
    )
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error == "RuntimeError: No SMS gateway is configured (set SMS_BACKEND)."


def test_the_log_gateway_sends_and_logs_no_number_or_text(settings, caplog):
    settings.SMS_GATEWAY = "sciweek.notifications.sms.LogGateway"
    OutboxMessage.objects.create(
        channel="sms", kind="test", recipient="13812345678", subject="", body="票号AB12"
    )
    with caplog.at_level("INFO", logger="sciweek.sms"):
        assert send_pending() == {"sent": 1, "failed": 0, "postponed": 0}
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
    assert "13812345678" not in caplog.text
    assert "票号AB12" not in caplog.text
    assert "SMS to 138****5678" in caplog.text
