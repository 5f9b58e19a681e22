"""`sciweek outbox`: the list (masked), its filters, and --retry."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.notifications.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def rows():
    sms = OutboxMessage.objects.create(
        channel="sms", kind="booking.confirmed", recipient="13812345678", subject="t", body="t"
    )
    mail = OutboxMessage.objects.create(
        kind="notice.published", recipient="zhang@example.test", subject="t", body="t",
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=1,
    )  # fmt: skip
    failed = OutboxMessage.objects.create(
        channel="sms", kind="booking.cancelled", recipient="13900000001", subject="t", body="t",
        status=OutboxStatus.FAILED, attempts=8, last_error="isv.BUSINESS_LIMIT_CONTROL: 流控",
    )  # fmt: skip
    return sms, mail, failed


def when(message) -> str:
    return timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M:%S")


def test_the_list_is_newest_first_and_masked(rows):
    sms, mail, failed = rows
    lines = run()
    assert lines == [
        f"{failed.pk:>6}  {when(failed)}  sms    {'139****0001':<24}  {'booking.cancelled':<28}  "
        "failed  (8 attempts: isv.BUSINESS_LIMIT_CONTROL: 流控)",
        f"{mail.pk:>6}  {when(mail)}  email  {'z***@example.test':<24}  {'notice.published':<28}  sent",
        f"{sms.pk:>6}  {when(sms)}  sms    {'138****5678':<24}  {'booking.confirmed':<28}  pending",
    ]
    assert "13812345678" not in "\n".join(lines)
    assert "zhang@" not in "\n".join(lines)


def test_filters(rows):
    sms, mail, failed = rows
    assert [int(line.split()[0]) for line in run("--failed")] == [failed.pk]
    assert [int(line.split()[0]) for line in run("--channel", "sms")] == [failed.pk, sms.pk]
    assert [int(line.split()[0]) for line in run("--channel", "email")] == [mail.pk]
    assert [int(line.split()[0]) for line in run("--last", "1")] == [failed.pk]
    with pytest.raises(CommandError):
        run("--last", "0")
    with pytest.raises(CommandError):
        run("--channel", "fax")


def test_retry_puts_a_failed_message_back(rows):
    _, _, failed = rows
    assert run("--retry", str(failed.pk)) == [f"message {failed.pk} is waiting to be sent again"]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    assert AuditEntry.objects.filter(action="outbox.retry").count() == 1


def test_retry_refuses_an_unknown_or_unfailed_message(rows):
    sms, _, _ = rows
    with pytest.raises(CommandError, match="No outbox message 999999"):
        run("--retry", "999999")
    with pytest.raises(CommandError, match=f"Message {sms.pk}: "):
        run("--retry", str(sms.pk))
    sms.refresh_from_db()
    assert sms.status == OutboxStatus.PENDING
