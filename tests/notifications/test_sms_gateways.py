"""SMS through the real SDKs (Aliyun, Tencent) against a local gateway that answers in each
gateway's own format: the SDK's request reaches it, a throttled or failed answer is retried and
then given up with the gateway's message, a bad number or an unapproved template gives up at once,
nothing is sent twice, a number gets at most SMS_RATE_PER_PHONE in the window."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sciweek.notifications.models import OutboxMessage, OutboxStatus
from sciweek.notifications.services import queue_sms, send_pending
from sciweek.notifications.sms import AliyunGateway, TencentGateway, get_gateway, segments
from tests.notifications.sms_server import ALIYUN, TENCENT, GatewayServer

pytestmark = pytest.mark.django_db

# backend: (answers, the error kept for each refusal)
BACKENDS = {
    "aliyun": (
        ALIYUN,
        {
            "throttled": "isv.BUSINESS_LIMIT_CONTROL: 触发小时级流控Permits:5",
            "bad_number": "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号",
            "template": "isv.SMS_TEMPLATE_ILLEGAL: 该账号下找不到对应模板",
        },
    ),
    "tencent": (
        TENCENT,
        {
            "throttled": "LimitExceeded.PhoneNumberThirtySecondLimit: "
            "单个手机号30秒内下发短信条数超过设定的上限",
            "bad_number": "InvalidParameterValue.IncorrectPhoneNumber: 手机号格式错误",
            "template": "FailedOperation.TemplateUnapprovedOrNotExist: 模板未审批或内容不匹配",
        },
    ),
}
GATEWAY_IDS = {"aliyun": "900619746936498440^0", "tencent": "2028:4301912331323435"}


@pytest.fixture(params=sorted(BACKENDS))
def gateway(request, settings):
    answers, errors = BACKENDS[request.param]
    server = GatewayServer(answers)
    server.backend, server.errors = request.param, errors
    settings.SMS_GATEWAY = ""
    settings.SMS_BACKEND = request.param
    settings.SMS_ENDPOINT = server.url
    settings.SMS_SIGN_NAME = "淄博科技"
    settings.SMS_TEMPLATES = {
        "booking.confirmed": "SMS_100" if request.param == "aliyun" else "1001"
    }
    settings.SMS_ACCESS_KEY_ID = "test-id"
    settings.SMS_ACCESS_KEY_SECRET = "test-secret"
    settings.SMS_APP_ID = "1400000001"
    settings.SMS_TIMEOUT = 5
    settings.OUTBOX_MAX_ATTEMPTS = 3
    yield server
    server.close()


def queue(number="13800000000", kind="booking.confirmed"):
    with transaction.atomic():
        (message,) = queue_sms(
            kind=kind,
            to=[number],
            template="unused",
            context={},
            text="【淄博科技】您已预约 科技馆开放日 5月21日 09:00，票号 AB12。",
            params={"activity": "科技馆开放日", "time": "5月21日 09:00", "code": "AB12"},
        )
    return message


def due_now():
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_backend_setting_picks_the_sdk(gateway):
    expected = AliyunGateway if gateway.backend == "aliyun" else TencentGateway
    assert type(get_gateway()) is expected


def test_success_reaches_the_gateway_through_the_sdk(gateway):
    gateway.answer("success")
    message = queue()
    assert send_pending() == {"sent": 1, "failed": 0, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.gateway_id == GATEWAY_IDS[gateway.backend]
    assert message.attempts == 1
    (request,) = gateway.requests
    if gateway.backend == "aliyun":
        query = request["query"]
        assert request["headers"]["x-acs-action"] == "SendSms"
        assert query["PhoneNumbers"] == "13800000000"
        assert query["SignName"] == "淄博科技"
        assert query["TemplateCode"] == "SMS_100"
        assert json.loads(query["TemplateParam"]) == {
            "activity": "科技馆开放日",
            "time": "5月21日 09:00",
            "code": "AB12",
        }
        assert query["OutId"] == str(message.pk)
        assert "test-id" in request["headers"]["Authorization"]
    else:
        body = json.loads(request["body"])
        assert request["headers"]["X-TC-Action"] == "SendSms"
        assert body == {
            "PhoneNumberSet": ["+8613800000000"],
            "SmsSdkAppId": "1400000001",
            "SignName": "淄博科技",
            "TemplateId": "1001",
            "TemplateParamSet": ["科技馆开放日", "5月21日 09:00", "AB12"],
            "SessionContext": str(message.pk),
        }
        assert "test-id" in request["headers"]["Authorization"]


def test_a_sent_message_is_never_sent_again(gateway):
    gateway.answer("success")
    queue()
    send_pending()
    due_now()
    assert send_pending() == {"sent": 0, "failed": 0, "postponed": 0}
    assert len(gateway.requests) == 1


def test_throttled_is_retried_with_backoff_then_sent(gateway):
    gateway.answer("throttled", "success")
    message = queue()
    before = timezone.now()
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == gateway.errors["throttled"]
    assert message.next_attempt_at >= before + timedelta(minutes=2)
    # Not due yet: nothing is tried.
    assert send_pending() == {"sent": 0, "failed": 0, "postponed": 0}
    due_now()
    assert send_pending() == {"sent": 1, "failed": 0, "postponed": 0}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, "")
    assert len(gateway.requests) == 2


def test_throttled_every_time_gives_up_after_max_attempts_with_the_gateways_message(gateway):
    gateway.answer("throttled")
    message = queue()
    for attempt in (1, 2, 3):
        due_now()
        assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
        assert OutboxMessage.objects.get().attempts == attempt
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert message.last_error == gateway.errors["throttled"]
    due_now()
    assert send_pending() == {"sent": 0, "failed": 0, "postponed": 0}
    assert len(gateway.requests) == 3


@pytest.mark.parametrize("answer", ["bad_number", "template"])
def test_an_answer_no_retry_can_change_gives_up_at_once(gateway, answer):
    gateway.answer(answer)
    message = queue()
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == gateway.errors[answer]
    due_now()
    assert send_pending()["failed"] == 0
    assert len(gateway.requests) == 1


def test_a_gateway_that_is_down_is_retried_then_given_up(gateway):
    gateway.answer("down")
    message = queue()
    due_now()
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error != ""
    for _ in (2, 3):
        due_now()
        send_pending()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert len(gateway.requests) >= 3


def test_a_gateway_that_does_not_answer_at_all_is_retried(gateway, settings):
    gateway.close()
    message = queue()
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error != ""


def test_a_kind_without_an_approved_template_fails_without_asking_the_gateway(gateway):
    gateway.answer("success")
    message = queue(kind="booking.reminder")
    assert send_pending() == {"sent": 0, "failed": 1, "postponed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == (
        "no_template: No approved template code for “booking.reminder” (SMS_TEMPLATES)."
    )
    assert gateway.requests == []


def test_a_number_gets_at_most_its_share_in_the_window(gateway, settings):
    settings.SMS_RATE_PER_PHONE = 2
    settings.SMS_RATE_WINDOW = 3600
    gateway.answer("success")
    first, second, third = queue(), queue(), queue()
    other = queue(number="13900000000")
    assert send_pending() == {"sent": 3, "failed": 0, "postponed": 1}
    third.refresh_from_db()
    first.refresh_from_db()
    assert third.status == OutboxStatus.PENDING
    assert third.attempts == 0
    assert third.next_attempt_at == first.sent_at + timedelta(seconds=3600)
    other.refresh_from_db()
    second.refresh_from_db()
    assert (other.status, second.status) == (OutboxStatus.SENT, OutboxStatus.SENT)
    # When the window has passed, it goes.
    OutboxMessage.objects.filter(status=OutboxStatus.SENT).update(
        sent_at=timezone.now() - timedelta(seconds=3601)
    )
    due_now()
    assert send_pending() == {"sent": 1, "failed": 0, "postponed": 0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 1), ("短" * 70, 1), ("短" * 71, 2), ("短" * 134, 2), ("短" * 135, 3)],
)
def test_segments_follow_the_70_and_67_rule(text, expected):
    assert segments(text) == expected
