"""Ticket recovery without the ticket: a one-time code by SMS lists a number's tickets, and the
gate sends a booker's ticket link again to the booker's own number.

A booker who closed the confirmation page (most book from a WeChat page and keep nothing) still
has the mobile number they booked with. ``/tickets/lookup/`` sends a 6-digit code to that number
(only if it has bookings; the page answers the same either way, so it tells nobody whether a
number booked) and, with the code, lists that number's tickets. Limits: ``TICKET_LOOKUP_CODES_PER_PHONE``
codes per number per hour (counted in the database, so it holds across nodes and without Redis),
``TICKET_LOOKUP_PER_IP`` requests per address per hour, ``TICKET_LOOKUP_ATTEMPTS`` guesses per code.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.crypto import keyed_hash
from sciweek.common.errors import ServiceError
from sciweek.common.masking import mask_phone
from sciweek.common.validators import is_mobile, normalize_mobile
from sciweek.notifications.services import queue_sms

from .enums import ACTIVE_STATUSES, BookingStatus
from .messages import tell
from .models import Booking, LookupCode
from .purge import LOOKUP_CODE_KIND
from .ratelimit import RateLimited, _hit

HOUR = 3600


def _phone_key(mobile: str) -> str:
    return keyed_hash(f"lookup:{mobile}")


def _code_hash(mobile: str, code: str) -> str:
    return keyed_hash(f"lookup:{mobile}:{code}")


def _mobile(phone: str) -> str:
    mobile = normalize_mobile(phone or "")
    if not is_mobile(mobile):
        raise ServiceError({"phone": [_("Enter the 11-digit mobile number you booked with.")]})
    return mobile


def recoverable_bookings(mobile: str):
    """The number's tickets worth showing: active ones and those of the last week, newest first."""
    since = timezone.now() - timedelta(days=7)
    return (
        Booking.objects.filter(phone=mobile, session__ends_at__gte=since)
        .filter(status__in=(*ACTIVE_STATUSES, BookingStatus.CANCELLED))
        .select_related("session", "session__activity")
        .order_by("session__starts_at", "pk")
    )


def send_lookup_code(*, phone: str, ip: str | None) -> str:
    """Send a code to ``phone`` if it has bookings; return the masked number for the page.

    Raises RateLimited (429) past the limits, ServiceError for a number that is not a mobile."""
    mobile = _mobile(phone)
    if ip and _hit(f"rl:lookup:ip:{ip}", settings.TICKET_LOOKUP_PER_IP, HOUR):
        raise RateLimited(_("Too many requests from your network. Please wait a while."))
    key = _phone_key(mobile)
    now = timezone.now()
    with transaction.atomic():
        recent = LookupCode.objects.filter(phone_key=key, created_at__gte=now - timedelta(hours=1))
        if recent.count() >= settings.TICKET_LOOKUP_CODES_PER_PHONE:
            raise RateLimited(
                _(
                    "Several codes were sent to this number in the last hour. Please use the latest one or wait."
                )
            )
        if recoverable_bookings(mobile).exists():
            code = f"{secrets.randbelow(10**6):06d}"
            minutes = settings.TICKET_LOOKUP_CODE_MINUTES
            LookupCode.objects.create(
                phone_key=key,
                code_hash=_code_hash(mobile, code),
                expires_at=now + timedelta(minutes=minutes),
            )
            values = {"code": code, "minutes": str(minutes)}
            text = (
                _(
                    "Your code to find your SciWeek e-tickets is %(code)s, valid for %(minutes)s"
                    " minutes. If you did not ask for it, ignore this message."
                )
                % values
            )
            queue_sms(
                kind=LOOKUP_CODE_KIND,
                to=[mobile],
                template="",
                context={},
                text=text,
                params=values,
            )
        else:
            # Counted all the same: the limit must not tell which numbers booked.
            LookupCode.objects.create(phone_key=key, code_hash="", expires_at=now)
    return mask_phone(mobile)


def verify_lookup_code(*, phone: str, code: str) -> list[Booking]:
    """The number's tickets when ``code`` is its latest valid code; ServiceError otherwise."""
    mobile = _mobile(phone)
    wrong = ServiceError(
        {"otp": [_("This code is wrong or has expired. Ask for a new one.")]}, code="wrong_code"
    )
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    now = timezone.now()
    with transaction.atomic():
        latest = (
            LookupCode.objects.select_for_update()
            .filter(phone_key=_phone_key(mobile), used_at__isnull=True, expires_at__gt=now)
            .exclude(code_hash="")
            .first()
        )
        if latest is None:
            raise wrong
        right = (
            latest.attempts < settings.TICKET_LOOKUP_ATTEMPTS
            and len(typed) == 6
            and hmac.compare_digest(latest.code_hash, _code_hash(mobile, typed))
        )
        if right:
            latest.used_at = now
            latest.save(update_fields=["used_at"])
        else:
            # Counted in this transaction, which commits: the refusal is raised after it.
            LookupCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
    if not right:
        raise wrong
    return list(recoverable_bookings(mobile))


def resend_ticket(*, session, phone: str, by) -> Booking | None:
    """At the gate: send the ticket link again to the number the booker gives, if it booked this
    session. The gate learns only whether it did; the link goes to the booker's own phone."""
    mobile = _mobile(phone)
    booking = (
        Booking.objects.select_related("session__activity__edition")
        .filter(session=session, phone=mobile, status__in=ACTIVE_STATUSES)
        .first()
    )
    if booking is None:
        return None
    if _hit(f"rl:resend:{booking.pk}", 1, settings.TICKET_RESEND_INTERVAL):
        raise RateLimited(_("The link was sent to this number a moment ago. Please wait a minute."))
    with transaction.atomic():
        tell(booking, "resent")
        activity = session.activity
        audit.record(
            actor=by,
            action="booking.ticket_resent",
            obj=activity,
            object_repr=f"{activity} · {session}",
            after={"session": session.pk, "booking": booking.pk},
            organization_id=activity.host_id,
        )
    return booking
