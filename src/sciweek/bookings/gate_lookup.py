"""Identity at the gate of a real-name session: who holds the ticket just scanned, and finding a
visitor who lost the ticket by ID number, mobile number or name.

Only the venue's own people (``bookings.identify_at_gate``: the host unit's gate staff and office,
its area's admin) see a full name and the last four characters of the ID, and only for the one
ticket just scanned or the few bookings one look-up found; never a list of the session. An ID
number is matched by its keyed hash (``Booking.person_key``), so it is never decrypted nor
compared in clear. Every look-up is audited (who, which kind, which session, how many found;
never what was typed) and limited per gate user (``GATE_LOOKUPS_PER_USER`` per
``GATE_LOOKUP_WINDOW`` seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from sciweek.activities.models import Session
from sciweek.audit import writer as audit
from sciweek.common.crypto import keyed_hash
from sciweek.common.errors import ServiceError
from sciweek.common.validators import is_mobile, normalize_mobile

from .enums import BookingStatus, CheckInResult, GateLookupKind, IdType
from .models import Booking
from .ratelimit import RateLimited, _hit
from .validation import MAX_NAME, normalize_id_number

# More matches than this (a common name) say "narrow it down" rather than list them.
MAX_MATCHES = 5


def is_real_name(session: Session) -> bool:
    activity = session.activity
    return activity.real_name_required or activity.id_number_required


def id_tail(booking: Booking) -> str:
    """The last four characters of the ID number (the masked form keeps exactly those)."""
    return booking.id_number_masked[-4:] if booking.id_number_masked else ""


def may_identify(user, session: Session) -> bool:
    return is_real_name(session) and user.has_perm("bookings.identify_at_gate", session)


@dataclass(frozen=True)
class Match:
    booking: Booking
    full_name: str
    id_tail: str


@dataclass(frozen=True)
class LookupResult:
    kind: str
    matches: list[Match]
    too_many: bool = False


def _query(session: Session, kind: str, value: str):
    qs = Booking.objects.filter(session=session).exclude(status=BookingStatus.LAPSED)
    if kind == GateLookupKind.ID_NUMBER:
        number = normalize_id_number(value)
        if len(number) < 5:
            raise ServiceError({"q": [_("Type the whole ID number.")]}, code="invalid_id_number")
        # The same string ``validation.person_identity`` hashed at booking, for every type.
        keys = [keyed_hash(f"id:{id_type}:{number}") for id_type in IdType.values]
        return qs.filter(person_key__in=keys)
    if kind == GateLookupKind.MOBILE:
        mobile = normalize_mobile(value)
        if not is_mobile(mobile):
            raise ServiceError(
                {"q": [_("Enter an 11-digit mobile number, e.g. 13812345678.")]},
                code="invalid_mobile",
            )
        return qs.filter(phone=mobile)
    if kind == GateLookupKind.NAME:
        name = (value or "").strip()
        if not name or len(name) > MAX_NAME:
            raise ServiceError({"q": [_("Type the visitor's full name.")]}, code="invalid_name")
        # The whole name, not a part: the gate finds a visitor, it does not browse the list.
        return qs.filter(name=name)
    raise ServiceError({"kind": [_("Choose how to look the visitor up.")]}, code="invalid_kind")


def lookup(*, session: Session, kind: str, value: str, by) -> LookupResult:
    """Find the session's bookings of one visitor. Raises ServiceError for bad input and
    RateLimited (429) past the per-user limit. Side effect: the audit entry
    ``booking.gate_lookup`` (kind and number found, never the value typed)."""
    if _hit(f"rl:gate-lookup:{by.pk}", settings.GATE_LOOKUPS_PER_USER, settings.GATE_LOOKUP_WINDOW):
        raise RateLimited(
            _("Too many look-ups in a short time. Please wait a few minutes."),
            code="lookup_rate_limited",
        )
    found = list(_query(session, kind, value).order_by("created_at", "id")[: MAX_MATCHES + 1])
    too_many = len(found) > MAX_MATCHES
    activity = session.activity
    audit.record(
        actor=by,
        action="booking.gate_lookup",
        obj=activity,
        object_repr=f"{activity} · {session}",
        after={"session": session.pk, "kind": kind, "found": len(found)},
        organization_id=activity.host_id,
    )
    if too_many:
        return LookupResult(kind, [], too_many=True)
    reveal = may_identify(by, session)
    matches = [
        Match(b, b.name if reveal else b.masked_name, id_tail(b) if reveal else "") for b in found
    ]
    return LookupResult(kind, matches)


def scanned_identity(*, outcome, session: Session, user) -> dict:
    """The full name and ID tail of the ticket just scanned, for the venue's people at a
    real-name session; empty otherwise (and for refused tickets: only a ticket of this session
    that is or was just admitted is shown)."""
    booking = outcome.booking
    if (
        not isinstance(booking, Booking)
        or booking.session_id != session.pk
        or outcome.result not in (CheckInResult.OK, CheckInResult.ALREADY)
        or not may_identify(user, session)
    ):
        return {}
    return {"full_name": booking.name, "id_tail": id_tail(booking)}
