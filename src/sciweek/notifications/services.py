"""The outbox: queue messages inside a transaction, send them after it commits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from .models import Channel, OutboxMessage, OutboxStatus, Receipt
from .workflow import OUTBOX, OutboxAction

logger = logging.getLogger(__name__)


def queue_email(
    *, kind: str, to: Iterable[str], template: str, context: dict, language: str | None = None
) -> list[OutboxMessage]:
    """Render ``template`` (``<name>_subject.txt`` and ``<name>_body.txt``) once per address and
    store one outbox row each. Sending is scheduled for after the surrounding transaction commits.
    """
    addresses = list(dict.fromkeys(a.strip() for a in to if a and a.strip()))
    if not addresses:
        return []
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(kind=kind, recipient=a, subject=subject, body=body) for a in addresses
    )
    transaction.on_commit(_dispatch)
    return messages


def queue_sms(
    *,
    kind: str,
    to: Iterable[str],
    template: str,
    context: dict,
    language: str | None = None,
    params: dict | None = None,
    text: str | None = None,
) -> list[OutboxMessage]:
    """One SMS outbox row per mobile number, sent through the configured gateway after the commit.

    The text is the template's subject line (a short message) unless ``text`` is given. ``params``
    are the placeholders of the kind's approved gateway template (``SMS_TEMPLATES``), in the
    template's order; without them the gateway gets the whole text as ``content``."""
    numbers = list(dict.fromkeys(n.strip() for n in to if n and n.strip()))
    if not numbers:
        return []
    if text is None:
        with translation.override(language or settings.LANGUAGE_CODE):
            context = {"site_url": settings.SITE_URL, **context}
            text = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    pairs = [[str(k), str(v)] for k, v in (params or {}).items()]
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=Channel.SMS,
            kind=kind,
            recipient=n,
            subject=text[:255],
            body=text,
            params=pairs,
        )
        for n in numbers
    )
    transaction.on_commit(_dispatch)
    return messages


def queue_everywhere(
    *, kind: str, emails: Iterable[str], mobiles: Iterable[str], template: str, context: dict
) -> list[OutboxMessage]:
    """The same message on every channel the platform has: email and SMS."""
    return [
        *queue_email(kind=kind, to=emails, template=template, context=context),
        *queue_sms(kind=kind, to=mobiles, template=template, context=context),
    ]


def _dispatch() -> None:
    from .tasks import send_pending

    try:
        send_pending.delay()
    except Exception:
        logger.warning("outbox: broker unavailable; messages wait for the next send run")


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def _sms_postponed_until(message: OutboxMessage, now):
    """The time a number may get its next SMS, when it has had ``SMS_RATE_PER_PHONE`` in the
    window already (a gateway blocks the number for a day when flooded); None when it may now."""
    window = timedelta(seconds=settings.SMS_RATE_WINDOW)
    recent = list(
        OutboxMessage.objects.filter(
            channel=Channel.SMS,
            recipient=message.recipient,
            status=OutboxStatus.SENT,
            sent_at__gt=now - window,
        )
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)[: settings.SMS_RATE_PER_PHONE]
    )
    if len(recent) < settings.SMS_RATE_PER_PHONE:
        return None
    return recent[-1] + window


def send_pending(*, limit: int = 200) -> dict[str, int]:
    """Send what is due. Each row is claimed under a row lock so two senders never send it twice.

    A failed attempt is retried with back-off until ``OUTBOX_MAX_ATTEMPTS``; an SMS gateway's
    answer that no retry can change (a bad number, a template not approved) gives up at once.
    The error (the gateway's code and message) stays on the row. An SMS to a number that had its
    share in the window waits, without counting as an attempt. Returns counts of sent, failed and
    postponed messages.
    """
    from .sms import SmsError

    now = timezone.now()
    sent = failed = postponed = 0
    due = (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .exclude(next_attempt_at__gt=now)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for message_id in list(due):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, status=OutboxStatus.PENDING)
                .first()
            )
            if message is None:
                continue
            if message.channel == Channel.SMS:
                until = _sms_postponed_until(message, timezone.now())
                if until is not None:
                    message.next_attempt_at = until
                    message.save(update_fields=["next_attempt_at"])
                    postponed += 1
                    continue
            attempts = message.attempts + 1
            try:
                gateway_id = _deliver(message)
            except Exception as exc:
                final = isinstance(exc, SmsError) and not exc.retry
                if isinstance(exc, SmsError):
                    error = str(exc)[:2000]
                else:
                    error = f"{type(exc).__name__}: {exc}"[:2000]
                if final or attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    OUTBOX.transition(
                        message,
                        OutboxAction.GIVE_UP,
                        by=None,
                        locked=True,
                        changes={"attempts": attempts, "last_error": error},
                    )
                else:
                    message.attempts, message.last_error = attempts, error
                    message.next_attempt_at = timezone.now() + _backoff(attempts)
                    message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                failed += 1
            else:
                OUTBOX.transition(
                    message,
                    OutboxAction.SEND,
                    by=None,
                    locked=True,
                    changes={"attempts": attempts, "last_error": "", "gateway_id": gateway_id},
                )
                sent += 1
    return {"sent": sent, "failed": failed, "postponed": postponed}


# Senders of the channels that apps above this one add (``webhook``: ``integrations``), each
# registered by its app's ready(): ``sender(message) -> gateway id``; raising is a failed attempt.
CHANNEL_SENDERS: dict[str, Callable[[OutboxMessage], str]] = {}


def register_sender(channel: str, sender: Callable[[OutboxMessage], str]) -> None:
    CHANNEL_SENDERS[channel] = sender


def _deliver(message: OutboxMessage) -> str:
    """Send one row; returns the gateway's id of the message ("" for email)."""
    if message.channel in CHANNEL_SENDERS:
        return CHANNEL_SENDERS[message.channel](message)[:64]
    if message.channel == Channel.EMAIL:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
        ).send(fail_silently=False)
        return ""
    from . import sms

    return sms.deliver(message).gateway_id[:64]


def record_receipts(*, backend: str, payload) -> int:
    """Store the delivery reports a gateway pushed (``sms.parse_receipts``) on the rows it sent;
    returns how many rows they matched. A report is kept once: a repeated push changes nothing.
    Raises ValueError for a payload that is not the gateway's format."""
    from .sms import parse_receipts

    receipts = parse_receipts(backend, payload)
    matched = 0
    with transaction.atomic():
        for receipt in receipts:
            if not receipt.gateway_id:
                continue
            at = (
                parse_datetime(receipt.reported_at.replace(" ", "T"))
                if receipt.reported_at
                else None
            )
            if at is not None and timezone.is_naive(at):
                at = timezone.make_aware(at)
            matched += OutboxMessage.objects.filter(
                channel=Channel.SMS, gateway_id=receipt.gateway_id, receipt=Receipt.NONE
            ).update(
                receipt=Receipt.DELIVERED if receipt.delivered else Receipt.UNDELIVERED,
                receipt_at=at or timezone.now(),
                receipt_error=receipt.error,
            )
    return matched


def retry(*, message: OutboxMessage, by=None) -> OutboxMessage:
    """Put a message that gave up back in the queue (an operator's ``sciweek outbox --retry``):
    it is sent by the next run with a fresh count of attempts."""
    with transaction.atomic():
        OUTBOX.transition(
            message, OutboxAction.RETRY, by=by, changes={"attempts": 0, "next_attempt_at": None}
        )
    transaction.on_commit(_dispatch)
    return message
