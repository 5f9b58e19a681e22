"""The offline gate: every scan recorded, the manifest a device checks against offline, and the
batch of offline scans it syncs when the network returns.

Every scan, online or synced, goes through :func:`services.check_in` (the same answers, the same
locks, the same override audit entry) and leaves one :class:`CheckInScan` row in the same
transaction. A synced scan carries its device's id, its own id on that device and the time it
was scanned: the pair of ids is unique, so a batch sent twice (or by two threads at once)
records each scan once and answers the first answer again. A ticket scanned on two offline
devices is one check-in at the earlier time; both scans stay in the history.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from sciweek.activities.models import Session

from . import services
from .enums import BookingStatus, CheckInResult
from .models import Booking, CheckInScan

MANIFEST_HASH = "sha256"


def _booking_of(outcome: services.CheckInOutcome) -> Booking | None:
    # A ceremony guest's invitation answers too; its history is the guest's own.
    return outcome.booking if isinstance(outcome.booking, Booking) else None


def _record(session: Session, outcome, *, by, scanned_at, source, **fields) -> CheckInScan:
    booking = _booking_of(outcome)
    if booking is not None and booking.session_id != session.pk:
        booking = None  # another session's ticket: this gate's history does not name it
    return CheckInScan.objects.create(
        session=session,
        booking=booking,
        scanned_at=scanned_at,
        by=by if getattr(by, "is_authenticated", False) else None,
        source=source,
        result=outcome.result,
        **fields,
    )


def scan_online(
    *, session: Session, code: str, by, override: bool = False
) -> services.CheckInOutcome:
    """A scan at the online gate (page or API): :func:`services.check_in`, recorded."""
    with transaction.atomic():
        outcome = services.check_in(session=session, code=code, by=by, override=override)
        _record(
            session,
            outcome,
            by=by,
            scanned_at=timezone.now(),
            source=CheckInScan.Source.ONLINE,
            override=override and outcome.ok,
        )
    return outcome


# --- the manifest -------------------------------------------------------------------------


def ticket_hash(salt: str, code: str) -> str:
    """What the manifest holds for a ticket code: SHA-256 of ``salt:code`` (normalised code), in
    hex. The gate's JavaScript computes the same with ``crypto.subtle``."""
    normal = services.normalize_code(code)
    return hashlib.sha256(f"{salt}:{normal}".encode()).hexdigest()


def _state(booking: Booking) -> str:
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.LAPSED):
        return CheckInResult.CANCELLED
    if booking.status == BookingStatus.WAITING:
        return CheckInResult.WAITING
    return "checked_in" if booking.checked_in_at else "confirmed"


def checkin_manifest(session: Session, *, now: datetime | None = None) -> dict:
    """The session's tickets for a device to check offline: codes hashed with a salt new for
    each manifest, names masked, the ID's last four characters where the activity is real-name;
    tickets of the activity's other sessions by hash only (to answer "another session")."""
    now = now or timezone.now()
    salt = secrets.token_hex(16)
    real_name = session.activity.real_name_required
    opens, closes = services.checkin_window(session)
    bookings = (
        Booking.objects.filter(session__activity_id=session.activity_id)
        .select_related("session")
        .only(
            "code",
            "name",
            "party_size",
            "group_name",
            "status",
            "checked_in_at",
            "id_number_masked",
            "session__starts_at",
            "session__ends_at",
            "session__activity_id",
        )
        .order_by("id")
    )
    tickets, elsewhere = [], []
    for booking in bookings:
        digest = ticket_hash(salt, booking.code)
        if booking.session_id != session.pk:
            elsewhere.append({"hash": digest, "session": str(booking.session)})
            continue
        tickets.append(
            {
                "hash": digest,
                "name": booking.masked_name,
                "party_size": booking.party_size,
                "group_name": booking.group_name,
                "id_tail": booking.id_number_masked[-4:] if real_name else "",
                "state": _state(booking),
                "checked_in_at": booking.checked_in_at,
            }
        )
    return {
        "session": session.pk,
        "generated_at": now,
        "hash": MANIFEST_HASH,
        "salt": salt,
        "real_name": real_name,
        "window_opens_at": opens,
        "window_closes_at": closes,
        "labels": {value: str(label) for value, label in CheckInResult.choices},
        "tickets": tickets,
        "other_sessions": elsewhere,
    }


# --- the batch ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfflineScan:
    client_scan_id: str
    device_id: str
    code: str
    scanned_at: datetime
    device_result: str = ""
    override: bool = False


@dataclass(frozen=True)
class SyncAnswer:
    scan: CheckInScan
    duplicate: bool  # this scan had been received before: nothing changed

    @property
    def conflict(self) -> bool:
        """The device admitted (or refused) where the server says otherwise."""
        device = self.scan.device_result
        return bool(device) and device != self.scan.result


def _received(scan: OfflineScan) -> CheckInScan | None:
    return (
        CheckInScan.objects.select_related("booking")
        .filter(device_id=scan.device_id, client_scan_id=scan.client_scan_id)
        .first()
    )


def _apply(session: Session, scan: OfflineScan, by, now: datetime) -> CheckInScan:
    # A device's clock ahead of the server's gives no check-in in the future.
    scanned_at = min(scan.scanned_at, now)
    outcome = services.check_in(
        session=session, code=scan.code, by=by, override=scan.override, now=scanned_at
    )
    result = outcome.result
    booking = _booking_of(outcome)
    checker = by if getattr(by, "is_authenticated", False) else None
    if booking is not None and booking.session_id == session.pk:
        if result == CheckInResult.OK:
            # Checked in when it was scanned, not when the device found the network.
            Booking.objects.filter(pk=booking.pk).update(checked_in_at=scanned_at)
        elif result == CheckInResult.ALREADY and scanned_at < booking.checked_in_at:
            opens, _closes = services.checkin_window(session)
            if scanned_at >= opens or scan.override:
                # Scanned earlier on this (offline) device: this scan is the check-in.
                booking.scans.filter(result=CheckInResult.OK).update(result=CheckInResult.ALREADY)
                Booking.objects.filter(pk=booking.pk).update(
                    checked_in_at=scanned_at, checked_in_by=checker
                )
                result = CheckInResult.OK
    outcome = services.CheckInOutcome(result, outcome.booking, outcome.when)
    return _record(
        session,
        outcome,
        by=by,
        scanned_at=scanned_at,
        source=CheckInScan.Source.SYNCED,
        device_id=scan.device_id,
        client_scan_id=scan.client_scan_id,
        device_result=scan.device_result,
        override=scan.override and result == CheckInResult.OK,
    )


def sync_scans(
    *, session: Session, scans: list[OfflineScan], by, now: datetime | None = None
) -> list[SyncAnswer]:
    """Apply a device's offline scans in the order they were scanned; one answer per scan, in
    the order given. Idempotent per ``(device_id, client_scan_id)``."""
    now = now or timezone.now()
    answers: dict[int, SyncAnswer] = {}
    order = sorted(range(len(scans)), key=lambda i: scans[i].scanned_at)
    for i in order:
        scan = scans[i]
        if (seen := _received(scan)) is not None:
            answers[i] = SyncAnswer(seen, duplicate=True)
            continue
        try:
            with transaction.atomic():
                answers[i] = SyncAnswer(_apply(session, scan, by, now), duplicate=False)
        except IntegrityError:
            # The same scan, received at this moment by another request: its answer stands.
            answers[i] = SyncAnswer(_received(scan), duplicate=True)
    return [answers[i] for i in range(len(scans))]
