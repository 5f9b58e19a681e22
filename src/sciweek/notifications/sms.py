"""The SMS gateway interface. A deployment names its provider in SMS_GATEWAY; development and the
demo default to the log gateway, production to none (rows fail visibly rather than pretend)."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from sciweek.common.masking import mask_phone


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class NoGateway:
    def send(self, phone: str, text: str) -> None:
        raise RuntimeError("No SMS gateway is configured (set SMS_GATEWAY).")


class LogGateway:
    """Writes each message to the log: the console backend until a real gateway is wired. The
    number is masked and the text left out: logs never hold personal data or ticket codes."""

    def send(self, phone: str, text: str) -> None:
        logging.getLogger("sciweek.sms").info(
            "SMS to %s (%d characters)", mask_phone(phone), len(text)
        )


def get_gateway() -> SmsGateway:
    path = getattr(settings, "SMS_GATEWAY", "")
    return import_string(path)() if path else NoGateway()
