"""The back office's outbox: masked rows, filters, "send again" for a message that gave up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciweek.audit.models import AuditEntry
from sciweek.notifications.models import OutboxMessage, OutboxStatus
from tests.roles import Role

pytestmark = pytest.mark.django_db

URL = "/office/outbox/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def sms(n=0, **fields):
    defaults = {
        "channel": "sms",
        "kind": "booking.confirmed",
        "recipient": f"139{n:08d}",
        "subject": "t",
        "body": "预约成功",
    }
    return OutboxMessage.objects.create(**{**defaults, **fields})


@pytest.fixture
def organiser(client, world):
    client.force_login(world.users[Role.ORGANIZER_ADMIN])
    return client


def test_rows_are_masked_and_a_failed_one_offers_send_again(organiser):
    pending = sms(1)
    failed = sms(
        2,
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="isv.MOBILE_NUMBER_ILLEGAL: 非法手机号",
    )
    mail = OutboxMessage.objects.create(
        kind="notice.published", recipient="zhang@example.test", subject="s", body="b"
    )
    page = organiser.get(URL, **EN).content.decode()
    assert "139****0001" in page and "139****0002" in page and "z***@example.test" in page
    assert "13900000001" not in page and "zhang@example.test" not in page
    assert "预约成功" not in page  # the text may hold a ticket link: never on the page
    assert "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号" in page
    assert page.count("/retry/") == 1
    assert f"/office/outbox/{failed.pk}/retry/" in page
    assert {pending.pk, failed.pk, mail.pk} == {m.pk for m in organiser.get(URL).context["outbox"]}


def test_filters(organiser):
    pending = sms(1)
    failed = sms(2, status=OutboxStatus.FAILED)
    mail = OutboxMessage.objects.create(kind="k", recipient="a@example.test", subject="s", body="b")

    def ids(**query):
        return [m.pk for m in organiser.get(URL, query).context["outbox"]]

    assert ids(failed="on") == [failed.pk]
    assert ids(channel="sms") == [failed.pk, pending.pk]
    assert ids(channel="email") == [mail.pk]
    # A value that is not a choice is ignored, never a 500.
    response = organiser.get(URL, {"channel": "<script>"})
    assert response.status_code == 200
    assert len(response.context["outbox"]) == 3


def test_send_again_puts_the_message_back_and_audits_it(organiser, world):
    failed = sms(2, status=OutboxStatus.FAILED, attempts=8, last_error="x")
    response = organiser.post(f"/office/outbox/{failed.pk}/retry/", follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    entry = AuditEntry.objects.get(action="outbox.retry")
    assert entry.actor == world.users[Role.ORGANIZER_ADMIN]


def test_send_again_refuses_a_message_that_has_not_failed(organiser):
    pending = sms(1)
    response = organiser.post(f"/office/outbox/{pending.pk}/retry/", follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    pending.refresh_from_db()
    assert pending.status == OutboxStatus.PENDING
    assert organiser.post("/office/outbox/999999/retry/").status_code == 404


def test_query_count_same_for_1_and_20_rows(organiser):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert organiser.get(URL).status_code == 200
        return len(ctx.captured_queries)

    sms(0, status=OutboxStatus.FAILED)
    one = count()
    for n in range(1, 20):
        sms(n, status=OutboxStatus.FAILED if n % 2 else OutboxStatus.SENT)
    assert count() == one
