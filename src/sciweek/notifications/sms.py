"""The SMS interface: one gateway per deployment, chosen by ``SMS_BACKEND``.

- ``console`` (default outside production): the message is written to the log (number masked,
  text left out) and kept in the outbox, for the demo and development;
- ``aliyun``: Alibaba Cloud SMS through its official SDK (``alibabacloud-dysmsapi20170525``);
- ``tencent``: Tencent Cloud SMS through its official SDK (``tencentcloud-sdk-python-sms``);
- ``none`` (default in production): every SMS fails visibly until a backend is chosen.

``SMS_GATEWAY`` (a dotted path of a class with ``send(phone, text)``) still works and, when set,
wins over ``SMS_BACKEND``. A gateway may also offer ``deliver(message) -> SendResult``, which gets
the whole outbox row (its kind, hence the approved template code, and its placeholders).

A gateway refuses by raising ``SmsError``; ``retry=False`` marks an answer that no retry can
change (a bad number, a template that is not approved), so the sender gives up at once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

from sciweek.common.masking import mask_phone

logger = logging.getLogger("sciweek.sms")


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


@dataclass(frozen=True)
class SendResult:
    gateway_id: str = ""  # the gateway's id of the message (Aliyun BizId, Tencent SerialNo)


class SmsError(Exception):
    """A gateway's refusal, with its own code and message kept for the outbox row."""

    def __init__(self, code: str, message: str, *, retry: bool = True):
        super().__init__(f"{code}: {message}" if code else message)
        self.code, self.message, self.retry = code, message, retry


class NoGateway:
    def send(self, phone: str, text: str) -> None:
        raise RuntimeError("No SMS gateway is configured (set SMS_BACKEND).")


class ConsoleGateway:
    """Writes each message to the log. The number is masked and the text left out: logs never
    hold personal data or ticket codes (the text stays in the outbox row)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s (%d characters)", mask_phone(phone), len(text))


LogGateway = ConsoleGateway  # the name SMS_GATEWAY has always accepted


def _endpoint() -> tuple[str, str]:
    """``SMS_ENDPOINT`` as (scheme, host[:port]); ("", "") when the SDK's default is wanted."""
    value = settings.SMS_ENDPOINT.strip()
    if not value:
        return "", ""
    parts = urlsplit(value if "://" in value else f"https://{value}")
    return parts.scheme, parts.netloc


def _template_code(kind: str) -> str:
    code = settings.SMS_TEMPLATES.get(kind, "")
    if not code:
        raise SmsError(
            "no_template", f"No approved template code for “{kind}” (SMS_TEMPLATES).", retry=False
        )
    return code


def _params(message) -> dict[str, str]:
    """The row's placeholders, in the template's order."""
    return {str(k): str(v) for k, v in (message.params or [["content", message.body]])}


# Gateway codes that no retry can change. Everything else (throttling, a gateway that is down,
# an unknown answer) is retried with back-off until OUTBOX_MAX_ATTEMPTS.
ALIYUN_FINAL = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.SMS_SIGN_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.TEMPLATE_PARAMS_ILLEGAL",
        "isv.INVALID_PARAMETERS",
        "isv.BLACK_KEY_CONTROL_LIMIT",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
        "isp.RAM_PERMISSION_DENY",
        "InvalidAccessKeyId.NotFound",
        "SignatureDoesNotMatch",
    }
)
TENCENT_FINAL_PREFIXES = (
    "InvalidParameterValue.",
    "InvalidParameter.",
    "FailedOperation.TemplateUnapprovedOrNotExist",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.ContainSensitiveWord",
    "UnauthorizedOperation.",
    "AuthFailure.",
    "UnsupportedOperation.",
)


class AliyunGateway:
    """Alibaba Cloud SMS (Dysmsapi 2017-05-25, ``SendSms``) through the official SDK."""

    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        scheme, host = _endpoint()
        timeout_ms = settings.SMS_TIMEOUT * 1000
        self.client = Client(
            Config(
                access_key_id=settings.SMS_ACCESS_KEY_ID,
                access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
                endpoint=host or "dysmsapi.aliyuncs.com",
                protocol=scheme or "https",
                region_id=settings.SMS_REGION or "cn-hangzhou",
                connect_timeout=timeout_ms,
                read_timeout=timeout_ms,
            )
        )

    def send(self, phone: str, text: str) -> None:
        raise SmsError("no_template", "Aliyun sends approved templates only.", retry=False)

    def deliver(self, message) -> SendResult:
        from alibabacloud_dysmsapi20170525 import models

        request = models.SendSmsRequest(
            phone_numbers=message.recipient,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=_template_code(message.kind),
            template_param=json.dumps(_params(message), ensure_ascii=False),
            out_id=str(message.pk),
        )
        try:
            body = self.client.send_sms(request).body
        except Exception as exc:  # network, HTTP 5xx, unreadable answer: the SDK's own errors
            code = str(getattr(exc, "code", "") or type(exc).__name__)
            raise SmsError(code, str(getattr(exc, "message", "") or exc)[:500]) from exc
        if body.code != "OK":
            raise SmsError(body.code or "", body.message or "", retry=body.code not in ALIYUN_FINAL)
        return SendResult(gateway_id=body.biz_id or "")


class TencentGateway:
    """Tencent Cloud SMS (2021-01-11, ``SendSms``) through the official SDK."""

    def __init__(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        scheme, host = _endpoint()
        profile = HttpProfile(
            protocol=scheme or "https",
            endpoint=host or "sms.tencentcloudapi.com",
            reqTimeout=settings.SMS_TIMEOUT,
        )
        self.client = sms_client.SmsClient(
            credential.Credential(settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET),
            settings.SMS_REGION or "ap-guangzhou",
            ClientProfile(httpProfile=profile),
        )

    def send(self, phone: str, text: str) -> None:
        raise SmsError("no_template", "Tencent sends approved templates only.", retry=False)

    @staticmethod
    def _final(code: str) -> bool:
        return code.startswith(TENCENT_FINAL_PREFIXES)

    def deliver(self, message) -> SendResult:
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        number = message.recipient
        request.PhoneNumberSet = [number if number.startswith("+") else f"+86{number}"]
        request.SmsSdkAppId = settings.SMS_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = _template_code(message.kind)
        request.TemplateParamSet = list(_params(message).values())
        request.SessionContext = str(message.pk)
        try:
            response = self.client.SendSms(request)
        except Exception as exc:  # TencentCloudSDKException: an Error answer or the network
            code = str(getattr(exc, "code", "") or type(exc).__name__)
            detail = str(getattr(exc, "message", "") or exc)[:500]
            raise SmsError(code, detail, retry=not self._final(code)) from exc
        status = (response.SendStatusSet or [None])[0]
        if status is None:
            raise SmsError("empty", "The gateway answered without a send status.")
        if status.Code != "Ok":
            raise SmsError(
                status.Code or "", status.Message or "", retry=not self._final(status.Code or "")
            )
        return SendResult(gateway_id=status.SerialNo or "")


BACKENDS = {
    "console": ConsoleGateway,
    "aliyun": AliyunGateway,
    "tencent": TencentGateway,
    "none": NoGateway,
}


def get_gateway():
    path = getattr(settings, "SMS_GATEWAY", "")
    if path:
        return import_string(path)()
    backend = BACKENDS.get(getattr(settings, "SMS_BACKEND", "none"), NoGateway)
    return backend()


def deliver(message) -> SendResult:
    """Send one outbox row through the configured gateway."""
    gateway = get_gateway()
    if hasattr(gateway, "deliver"):
        return gateway.deliver(message) or SendResult()
    gateway.send(message.recipient, message.body)
    return SendResult()


def segments(text: str) -> int:
    """SMS segments a text takes: 70 characters in one, 67 each when it is longer (the carriers'
    rule for texts with Chinese, which every message here has)."""
    length = len(text)
    return 1 if length <= 70 else -(-length // 67)


@dataclass(frozen=True)
class Receipt:
    gateway_id: str
    delivered: bool
    error: str
    reported_at: str  # the gateway's local time, "YYYY-MM-DD HH:MM:SS" (Asia/Shanghai)


def parse_receipts(backend: str, payload) -> list[Receipt]:
    """Delivery reports as each gateway pushes them to the receipt callback: Aliyun's
    ``SmsReport`` batch and Tencent's status callback are both JSON arrays of objects."""
    items = payload if isinstance(payload, list) else [payload]
    receipts = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("a report is not an object")
        if backend == "aliyun":
            gateway_id, delivered = str(item["biz_id"]), bool(item["success"])
            error = "" if delivered else f"{item.get('err_code', '')}: {item.get('err_msg', '')}"
            at = str(item.get("report_time", ""))
        elif backend == "tencent":
            gateway_id = str(item["sid"])
            delivered = item["report_status"] == "SUCCESS"
            error = "" if delivered else f"{item.get('errmsg', '')}: {item.get('description', '')}"
            at = str(item.get("user_receive_time", ""))
        else:
            raise ValueError("unknown backend")
        receipts.append(Receipt(gateway_id, delivered, error[:500], at))
    return receipts
