"""Events become webhook deliveries: one outbox row per interested endpoint, written in the
event's transaction (an event rolled back sends nothing; one committed is never lost)."""

from __future__ import annotations

import json
import uuid

from django.db import transaction
from django.utils import timezone

from sciweek.notifications.models import Channel, OutboxMessage
from sciweek.notifications.services import _dispatch

from .enums import EventKind as E
from .models import WebhookDelivery, WebhookEndpoint
from .payloads import describe

# A workflow move (``<workflow>.<action>``, and for approvals the state it lands on) or a
# service's own event → the public event kind. Moves not named here are not announced.
MOVES: dict[tuple[str, str], str] = {
    ("activity.submit", ""): E.ACTIVITY_SUBMITTED,
    ("activity.return", ""): E.ACTIVITY_RETURNED,
    ("activity.approve", "published"): E.ACTIVITY_PUBLISHED,
    ("activity.cancel", ""): E.ACTIVITY_CANCELLED,
    ("booking.promote", ""): E.BOOKING_PROMOTED,
    ("booking.cancel", ""): E.BOOKING_CANCELLED,
    ("booking.call_off", ""): E.BOOKING_CANCELLED,
    ("booking.check_in", ""): E.BOOKING_CHECKED_IN,
    ("notice.publish", ""): E.NOTICE_PUBLISHED,
    ("summary.submit", ""): E.SUMMARY_SUBMITTED,
    ("summary.return", ""): E.SUMMARY_RETURNED,
    ("summary.accept", ""): E.SUMMARY_ACCEPTED,
    ("compilation.finish", ""): E.COMPILATION_READY,
}


def public_kind(kind: str, state: str) -> str | None:
    if kind in E.values:
        return kind
    return MOVES.get((kind, state)) or MOVES.get((kind, ""))


def _ancestor_ids(org) -> list[int]:
    return [int(part) for part in org.path.strip("/").split("/") if part]


def endpoints_for(event: str, org) -> list[WebhookEndpoint]:
    """Active endpoints of ``org`` and of the organisations above it that listen to ``event``."""
    if org is None:
        return []
    candidates = WebhookEndpoint.objects.filter(
        is_active=True, organization_id__in=_ancestor_ids(org) or [org.pk]
    )
    return [e for e in candidates if event in e.events]


def on_event(sender, *, kind: str, obj, state: str = "", by=None, **kwargs) -> None:
    event = public_kind(kind, state)
    if event is None:
        return
    org = describe(obj, personal=False)[1]
    endpoints = endpoints_for(event, org)
    if endpoints:
        queue(event=event, obj=obj, endpoints=endpoints)


def _body(*, event: str, event_id: uuid.UUID, data: dict) -> str:
    envelope = {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.localtime().isoformat(),
        "data": data,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, cls=_Encoder)


class _Encoder(json.JSONEncoder):
    def default(self, o):
        return str(o)


def queue(
    *, event: str, obj, endpoints, event_id: uuid.UUID | None = None
) -> list[WebhookDelivery]:
    """One outbox row and delivery per endpoint, in the caller's transaction."""
    event_id = event_id or uuid.uuid4()
    deliveries = []
    for endpoint in endpoints:
        data = describe(obj, personal=endpoint.personal_data)[0]
        deliveries.append(
            _queue_body(endpoint, event, event_id, _body(event=event, event_id=event_id, data=data))
        )
    return deliveries


def _queue_body(endpoint, event: str, event_id, body: str) -> WebhookDelivery:
    message = OutboxMessage.objects.create(
        channel=Channel.WEBHOOK,
        kind=f"webhook.{event}",
        recipient=endpoint.url[:254],
        subject=event,
        body=body,
    )
    transaction.on_commit(_dispatch)
    return WebhookDelivery.objects.create(
        endpoint=endpoint, message=message, event=event, event_id=event_id
    )


def send_again(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """The same event (same ``id`` in the body) once more, as a new delivery with its own
    ``X-SciWeek-Delivery``: for a receiver that lost what it had, or an endpoint fixed after
    the outbox gave up."""
    with transaction.atomic():
        return _queue_body(delivery.endpoint, delivery.event, delivery.event_id,
                           delivery.message.body)  # fmt: skip
