"""The outbox: queue messages inside a transaction, send them after it commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Channel, OutboxMessage, OutboxStatus
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
    *, kind: str, to: Iterable[str], template: str, context: dict, language: str | None = None
) -> list[OutboxMessage]:
    """One SMS outbox row per mobile number; the text is the template's subject line (a short
    message), sent through the configured gateway after the commit."""
    numbers = list(dict.fromkeys(n.strip() for n in to if n and n.strip()))
    if not numbers:
        return []
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        text = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=Channel.SMS, kind=kind, recipient=n, subject=text, body=text)
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


def send_pending(*, limit: int = 200) -> dict[str, int]:
    """Send what is due. Each row is claimed under a row lock so two senders never send it twice.

    Returns counts of sent and failed attempts.
    """
    now = timezone.now()
    sent = failed = 0
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
            attempts = message.attempts + 1
            try:
                _deliver(message)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:2000]
                if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
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
                    changes={"attempts": attempts, "last_error": ""},
                )
                sent += 1
    return {"sent": sent, "failed": failed}


def _deliver(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
        ).send(fail_silently=False)
    else:
        from .sms import get_gateway

        get_gateway().send(message.recipient, message.body)
