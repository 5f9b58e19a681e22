"""What a booker hears, and on which channel: the one place that decides.

Every message to a booker (confirmed, waiting with the position, promoted, changed time or venue,
cancelled, waiting list closed, the reminder the day before) goes through :func:`tell`, which asks
:func:`channels` where it goes:

- email when the booker gave an address;
- SMS when the booker gave a mobile number and no email, or when the kind is urgent (a place
  freed up, a change of time or venue, a cancellation: news that must not wait in an inbox);
- both whenever the organiser chose so for the edition (``Edition.booker_sms_always``).

The email is rendered from ``bookings/email/<kind>_{subject,body}.txt``; the SMS is the kind's
short text (:data:`SMS_TEXTS`) with its placeholders filled in, and the same placeholders go to the
gateway's approved template (``SMS_TEMPLATES``, kind ``booking.<kind>``).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sciweek.notifications.services import queue_email, queue_sms

KINDS = (
    "confirmed", "waiting", "promoted", "changed", "cancelled", "lapsed", "reminder", "resent",
)  # fmt: skip
# "resent": the gate sent the ticket link again because the booker stands there without it.
URGENT = frozenset({"promoted", "changed", "cancelled", "resent"})

# The placeholders a booker's text may use, with what they stand for.
PLACEHOLDERS = {
    "activity": _("the activity's title"),
    "time": _("the session's date and time"),
    "venue": _("the venue"),
    "link": _("the e-ticket link"),
    "position": _("the place on the waiting list"),
    "reason": _("the reason given"),
}

# Default SMS texts (the gateway adds the signature 【签名】 in front).
SMS_TEXTS = {
    "confirmed": _("Booked: {activity}, {time}, {venue}. Your e-ticket: {link}"),
    "waiting": _(
        "{activity} on {time} is full; you are number {position} on the waiting list. {link}"
    ),
    "promoted": _("A place freed up: {activity} on {time} is booked for you. E-ticket: {link}"),
    "changed": _("{activity} has changed: now {time} at {venue}. Your booking stands: {link}"),
    "cancelled": _("Your booking for {activity} on {time} is cancelled. {reason}"),
    "lapsed": _("{activity} on {time}: no place freed up and the waiting list has closed."),
    "reminder": _("Reminder: {activity} is tomorrow, {time}, {venue}. E-ticket: {link}"),
    "resent": _("Your e-ticket for {activity}, {time}: {link}"),
}


def channels(booking, kind: str) -> tuple[bool, bool]:
    """(email, sms): where the message of ``kind`` to ``booking`` goes."""
    email = bool(booking.email)
    if not booking.phone:
        return email, False
    both = booking.session.activity.edition.booker_sms_always
    return email, (not email) or kind in URGENT or both


def ticket_link(booking) -> str:
    return settings.SITE_URL + reverse("bookings:ticket", args=[booking.manage_token])


def placeholders(booking) -> dict[str, str]:
    """The values of :data:`PLACEHOLDERS` for ``booking``, in that order."""
    from .services import waiting_position

    session = booking.session
    activity = session.activity
    position = waiting_position(booking)
    return {
        "activity": activity.title,
        "time": timezone.localtime(session.starts_at).strftime("%m-%d %H:%M"),
        "venue": activity.venue_name or activity.address or "",
        "link": ticket_link(booking),
        "position": str(position) if position else "",
        "reason": booking.cancel_reason or "",
    }


def sms_text(kind: str, values: dict[str, str]) -> str:
    return " ".join(str(SMS_TEXTS[kind]).format(**values).split())


def tell(booking, kind: str) -> None:
    """Queue the message of ``kind`` to ``booking`` on its channels (outbox rows in the caller's
    transaction)."""
    email, sms = channels(booking, kind)
    if not (email or sms):
        return
    values = placeholders(booking)
    if email:
        queue_email(
            kind=f"booking.{kind}",
            to=[booking.email],
            template=f"bookings/email/{kind}",
            context={
                "booking": booking,
                "session": booking.session,
                "activity": booking.session.activity,
                "position": values["position"],
            },
        )
    if sms:
        with translation.override(settings.LANGUAGE_CODE):
            text = sms_text(kind, values)
        queue_sms(
            kind=f"booking.{kind}",
            to=[booking.phone],
            template="",
            context={},
            text=text,
            params=values,
        )
