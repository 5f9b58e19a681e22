"""Sign-in lock-out shared by every way in: the office sign-in page, the admin sign-in page and the
API token endpoint. Too many failures for one user name, or from one address, lock further
attempts until the window that counted them ends.

The counts live in the database (``sciweek.accounts.counters``), not the cache: the lock-out must
hold in every process and keep holding when the cache is down (it fails safe), while sign-in
itself keeps working.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import counters


def _keys(username: str, ip: str | None) -> dict[str, int]:
    """Each counter key with its limit."""
    # An address gets more room than an account, so one office behind a NAT is not locked out.
    keys = {
        counters.counter_key("login:user", username.strip().lower()): settings.LOGIN_FAILURE_LIMIT
    }
    if ip:
        keys[counters.counter_key("login:ip", ip)] = settings.LOGIN_FAILURE_LIMIT * 4
    return keys


def locked_until(username: str, ip: str | None) -> datetime | None:
    """When the lock on this user name or address ends, or None when neither is locked."""
    limits = _keys(username, ip)
    ends = [
        window_ends
        for key, (count, window_ends) in counters.open_counts(list(limits)).items()
        if count >= limits[key]
    ]
    return max(ends) if ends else None


def is_locked(username: str, ip: str | None) -> bool:
    return locked_until(username, ip) is not None


def locked_message(until: datetime) -> str:
    """The refusal, with the end of the lock in local time, in the active language."""
    return _("Too many failed attempts. You can try again after %(time)s.") % {
        "time": formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    }


def note_failure(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        counters.hit(key, settings.LOGIN_FAILURE_WINDOW)


def clear(username: str, ip: str | None) -> None:
    # Only the account's counter: a success must not wipe what an address tried on other accounts.
    counters.reset(next(iter(_keys(username, ip))))


def password_reset_refused_until(email: str, ip: str | None) -> datetime | None:
    """Count one password-reset request; when the address or the account (the typed email, known
    or not, so the answer tells nothing) is over its limit, when the refusal ends."""
    window = settings.PASSWORD_RESET_RATE_WINDOW
    limits = {
        counters.counter_key(
            "reset:email", email.strip().lower()
        ): settings.PASSWORD_RESET_PER_EMAIL
    }
    if ip:
        limits[counters.counter_key("reset:ip", ip)] = settings.PASSWORD_RESET_PER_IP
    ends = []
    for key, limit in limits.items():
        row = counters.hit(key, window)
        if row.count > limit:
            ends.append(row.window_ends)
    return max(ends) if ends else None


def password_reset_refused_message(until: datetime) -> str:
    return _("Too many password reset requests. You can try again after %(time)s.") % {
        "time": formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    }
