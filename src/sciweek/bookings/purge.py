"""Removal of bookers' personal data once the retention period after their session has passed.

What the consent text promises: only a masked name is kept (for the statistics); the ID number,
mobile number, email and guardian go; the ticket code and the manage link are replaced, so the
old ones, printed or mailed, lead nowhere; the ID keyed hash, needed only to refuse a second
active booking in the same session, is replaced by a random value; and the booking's outbox
messages lose their recipient, body, SMS placeholders and error texts (which can quote the address).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from sciweek.common.masking import mask_name
from sciweek.notifications.models import OutboxMessage, OutboxStatus
from sciweek.notifications.workflow import OUTBOX, OutboxAction

from .models import Booking, LookupCode, new_manage_token, new_ticket_code

# The SMS that carries a ticket-recovery code (bookings.recovery).
LOOKUP_CODE_KIND = "ticket.lookup_code"

BATCH = 500
PURGED_FIELDS = [
    "name",
    "phone",
    "email",
    "id_number_encrypted",
    "id_number_masked",
    "guardian_name",
    "code",
    "manage_token",
    "person_key",
    "personal_data_purged_at",
]


def _purge_outbox(booking: Booking) -> None:
    # Booking mails carry the manage link (and the ticket code) of exactly one booking.
    # An SMS's text may leave the link out (a cancellation), but its placeholders keep it.
    messages = OutboxMessage.objects.annotate(params_text=Cast("params", TextField())).filter(
        Q(body__contains=booking.manage_token)
        | Q(body__contains=booking.code)
        | Q(params_text__contains=booking.manage_token),
        kind__startswith="booking.",
    )
    # Mail about a session long over is not worth sending once it has no address.
    pending = messages.filter(status=OutboxStatus.PENDING).select_for_update()
    OUTBOX.transition_many(pending, OutboxAction.GIVE_UP, by=None)
    # An SMS row also keeps its text as its subject, its template's placeholders (the ticket link
    # among them) and the gateway's delivery report (which quotes the number).
    messages.update(recipient="", subject="", body="", last_error="", params=[], receipt_error="")


def purge_personal_data(*, days: int = 30, now: datetime | None = None) -> int:
    """Purge bookings whose session ended more than ``days`` ago; the number purged.

    Side effects: the bookings' outbox messages are emptied (pending ones marked failed).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    due = list(
        Booking.objects.filter(
            session__ends_at__lt=cutoff, personal_data_purged_at__isnull=True
        ).values_list("pk", flat=True)
    )
    purged = 0
    for start in range(0, len(due), BATCH):
        with transaction.atomic():
            batch = Booking.objects.select_for_update().filter(
                pk__in=due[start : start + BATCH], personal_data_purged_at__isnull=True
            )
            for booking in batch:
                _purge_outbox(booking)
                booking.name = mask_name(booking.name)
                booking.phone = booking.email = booking.guardian_name = ""
                booking.id_number_encrypted = booking.id_number_masked = ""
                booking.code = new_ticket_code()
                booking.manage_token = new_manage_token()
                booking.person_key = f"purged:{secrets.token_hex(24)}"
                booking.personal_data_purged_at = now
                booking.save(update_fields=PURGED_FIELDS)
                purged += 1
    _purge_lookup_codes(now)
    return purged


def _purge_lookup_codes(now: datetime) -> None:
    """Ticket-recovery codes (and their SMS: a number and a code) are kept a day, to count them."""
    day_ago = now - timedelta(days=1)
    LookupCode.objects.filter(created_at__lt=day_ago).delete()
    OutboxMessage.objects.filter(
        kind=LOOKUP_CODE_KIND, created_at__lt=day_ago, status=OutboxStatus.PENDING
    ).update(status=OutboxStatus.FAILED, last_error="purged")
    OutboxMessage.objects.filter(kind=LOOKUP_CODE_KIND, created_at__lt=day_ago).exclude(
        recipient=""
    ).update(recipient="", subject="", body="", params=[])
