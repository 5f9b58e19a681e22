"""The outbox's state for ``/metrics``: messages waiting and given up, by channel.

Read at each scrape from the database (one grouped query), so every web node reports the same
numbers and nothing needs to be counted as messages move.
"""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .models import OutboxMessage, OutboxStatus


def outbox_state():
    messages = GaugeMetricFamily(
        "sciweek_outbox_messages",
        "Outbox messages waiting to be sent or given up, by channel.",
        labels=["status", "channel"],
    )
    oldest = GaugeMetricFamily(
        "sciweek_outbox_oldest_pending_seconds",
        "Age of the oldest message still waiting to be sent (0 when none waits).",
    )
    rows = (
        OutboxMessage.objects.filter(status__in=(OutboxStatus.PENDING, OutboxStatus.FAILED))
        .values("status", "channel")
        .annotate(n=Count("pk"), first=Min("created_at"))
    )
    found = {(row["status"], row["channel"]): row for row in rows}
    first_pending = None
    for status in (OutboxStatus.PENDING, OutboxStatus.FAILED):
        for channel in ("email", "sms"):
            row = found.get((status, channel))
            messages.add_metric([status, channel], row["n"] if row else 0)
            if row and status == OutboxStatus.PENDING:
                first_pending = min(filter(None, (first_pending, row["first"])))
    age = (timezone.now() - first_pending).total_seconds() if first_pending else 0
    oldest.add_metric([], age)
    return [messages, oldest]
