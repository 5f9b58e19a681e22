"""Delivery receipts pushed by the gateway to the callback, and an operator's retry."""

import json

import pytest
from django.utils import timezone

from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from sciweek.notifications.models import OutboxMessage, OutboxStatus, Receipt
from sciweek.notifications.services import record_receipts, retry

pytestmark = pytest.mark.django_db

TOKEN = "r" * 32


@pytest.fixture
def sent(settings):
    settings.SMS_RECEIPT_TOKEN = TOKEN
    return OutboxMessage.objects.create(
        channel="sms",
        kind="booking.confirmed",
        recipient="13800000000",
        subject="t",
        body="t",
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        gateway_id="900619746936498440^0",
    )


ALIYUN_DELIVERED = [
    {
        "phone_number": "13800000000",
        "send_time": "2023-05-20 10:00:00",
        "report_time": "2023-05-20 10:00:05",
        "success": True,
        "err_code": "DELIVERED",
        "err_msg": "用户接收成功",
        "sms_size": "1",
        "biz_id": "900619746936498440^0",
        "out_id": "1",
    }
]
TENCENT_UNDELIVERED = [
    {
        "user_receive_time": "2023-05-20 10:00:07",
        "nationcode": "86",
        "mobile": "13800000000",
        "report_status": "FAIL",
        "errmsg": "MK:0001",
        "description": "用户手机关机",
        "sid": "2028:4301912331323435",
    }
]


def post(client, backend, payload, token=TOKEN):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(
        f"/sms/receipts/{backend}/{token}/", data=body, content_type="application/json"
    )


def test_an_aliyun_report_marks_the_message_delivered(client, sent):
    response = post(client, "aliyun", ALIYUN_DELIVERED)
    assert (response.status_code, response.json()) == (200, {"code": 0, "msg": "成功"})
    sent.refresh_from_db()
    assert sent.receipt == Receipt.DELIVERED
    assert sent.receipt_error == ""
    assert (
        timezone.localtime(sent.receipt_at).strftime("%Y-%m-%d %H:%M:%S") == "2023-05-20 10:00:05"
    )


def test_a_tencent_report_keeps_why_it_was_not_delivered(client, sent):
    OutboxMessage.objects.filter(pk=sent.pk).update(gateway_id="2028:4301912331323435")
    response = post(client, "tencent", TENCENT_UNDELIVERED)
    assert (response.status_code, response.json()) == (200, {"result": 0, "errmsg": "OK"})
    sent.refresh_from_db()
    assert sent.receipt == Receipt.UNDELIVERED
    assert sent.receipt_error == "MK:0001: 用户手机关机"


def test_a_repeated_report_changes_nothing(sent):
    assert record_receipts(backend="aliyun", payload=ALIYUN_DELIVERED) == 1
    failed = [{**ALIYUN_DELIVERED[0], "success": False, "err_code": "X"}]
    assert record_receipts(backend="aliyun", payload=failed) == 0
    sent.refresh_from_db()
    assert sent.receipt == Receipt.DELIVERED


def test_a_report_for_an_unknown_message_matches_nothing(client, sent):
    other = [{**ALIYUN_DELIVERED[0], "biz_id": "nope"}]
    assert post(client, "aliyun", other).status_code == 200
    sent.refresh_from_db()
    assert sent.receipt == Receipt.NONE


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", '[{"biz_id": "x"}]', "{}"])
def test_a_malformed_report_is_a_400_in_the_gateways_format(client, sent, payload):
    response = post(client, "aliyun", payload)
    assert (response.status_code, response.json()) == (400, {"code": 1, "msg": "bad report"})
    sent.refresh_from_db()
    assert sent.receipt == Receipt.NONE


def test_the_callback_does_not_exist_without_the_right_token(client, sent, settings):
    assert post(client, "aliyun", ALIYUN_DELIVERED, token="wrong").status_code == 404
    assert post(client, "other", ALIYUN_DELIVERED).status_code == 404
    settings.SMS_RECEIPT_TOKEN = ""
    assert post(client, "aliyun", ALIYUN_DELIVERED, token="").status_code == 404
    assert client.get(f"/sms/receipts/aliyun/{TOKEN}/").status_code in (404, 405)
    sent.refresh_from_db()
    assert sent.receipt == Receipt.NONE


@pytest.fixture
def failed():
    return OutboxMessage.objects.create(
        channel="sms",
        kind="booking.confirmed",
        recipient="13800000000",
        subject="t",
        body="t",
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="isv.BUSINESS_LIMIT_CONTROL: 流控",
    )


def test_retry_puts_a_failed_message_back_and_audits_it(failed, world):
    retry(message=failed, by=world.organizer_admin)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        OutboxStatus.PENDING,
        0,
        None,
    )
    entry = AuditEntry.objects.get(action="outbox.retry")
    assert entry.actor == world.organizer_admin
    assert entry.object_repr == f"#{failed.pk} booking.confirmed"
    assert "13800000000" not in json.dumps([entry.changes, entry.object_repr], ensure_ascii=False)


def test_retry_by_the_system_is_allowed(failed):
    retry(message=failed, by=None)
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING


def test_retry_refuses_a_message_that_has_not_failed(sent, world):
    with pytest.raises(ServiceError) as refusal:
        retry(message=sent, by=world.organizer_admin)
    assert refusal.value.code == "transition_not_allowed"


def test_retry_refuses_someone_who_is_not_the_organiser(failed, world):
    with pytest.raises(ServiceError) as refusal:
        retry(message=failed, by=world.area_admin)
    assert refusal.value.code == "permission_denied"
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED
