"""The SMS gateway interface. No provider is wired yet; a deployment names one in SMS_GATEWAY."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class NoGateway:
    def send(self, phone: str, text: str) -> None:
        raise RuntimeError("No SMS gateway is configured (set SMS_GATEWAY).")


class LogGateway:
    """Writes each message to the log: the console backend until a real gateway is wired."""

    def send(self, phone: str, text: str) -> None:
        logging.getLogger("sciweek.sms").info("SMS to %s: %s", phone, text)


def get_gateway() -> SmsGateway:
    path = getattr(settings, "SMS_GATEWAY", "")
    return import_string(path)() if path else NoGateway()
