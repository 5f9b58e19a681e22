"""Reads of the outbox, for `sciweek outbox` and the back office's outbox page."""

from __future__ import annotations

from sciweek.common.masking import mask_email, mask_phone

from .models import Channel, OutboxMessage, OutboxStatus


def outbox_messages(*, failed: bool = False, channel: str = ""):
    """Newest first; only those that gave up with ``failed``; one channel with ``channel``."""
    messages = OutboxMessage.objects.order_by("-created_at", "-id")
    if failed:
        messages = messages.filter(status=OutboxStatus.FAILED)
    if channel:
        messages = messages.filter(channel=channel)
    return messages


def masked_recipient(message: OutboxMessage) -> str:
    if not message.recipient:
        return "—"  # purged with the booking's personal data
    if message.channel == Channel.WEBHOOK:
        return message.recipient.split("?", 1)[0]  # an endpoint's URL; a query may hold a key
    if message.channel == Channel.SMS:
        return mask_phone(message.recipient)
    return mask_email(message.recipient)
