"""Rate limits for the public booking endpoints, per client address and per mobile number.

Counts live in the cache (Redis when scaled out), in fixed windows. Switch off with
BOOKING_RATE_LIMITS=0 (benchmarks).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from sciweek.common.errors import ServiceError
from sciweek.common.validators import normalize_mobile


class RateLimited(ServiceError):
    status = 429

    def __init__(self, message, code: str = "rate_limited", params=None):
        super().__init__(message, code=code, params=params)


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one hit; True when over the limit."""
    if cache.add(key, 1, window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return False


def check_booking_rate(*, ip: str | None, phone: str) -> None:
    if not settings.BOOKING_RATE_LIMITS:
        return
    window = settings.BOOKING_RATE_WINDOW
    if ip and _hit(f"rl:book:ip:{ip}", settings.BOOKING_RATE_PER_IP, window):
        raise RateLimited(
            _("Too many booking attempts from your network. Please wait a few minutes.")
        )
    mobile = normalize_mobile(phone or "")
    if mobile and _hit(f"rl:book:phone:{mobile}", settings.BOOKING_RATE_PER_PHONE, window):
        raise RateLimited(
            _("Too many booking attempts for this mobile number. Please wait a few minutes.")
        )
