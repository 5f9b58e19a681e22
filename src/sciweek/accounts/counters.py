"""Counts of attempts in fixed windows, in the database (``AttemptCounter``).

Used for the sign-in lock-out and the password-reset rate limit: both must hold when the cache is
down ("fail safe"), so they do not live in the cache. Only attempts that matter are counted
(failures, reset requests), so the writes are few.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import AttemptCounter


def counter_key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:64]}"


def hit(key: str, window: int) -> AttemptCounter:
    """Count one attempt for ``key``; a new window of ``window`` seconds opens when none is open.

    Side effects: deletes every counter whose window has ended.
    """
    now = timezone.now()
    with transaction.atomic():
        AttemptCounter.objects.filter(window_ends__lte=now).delete()
        if not AttemptCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    AttemptCounter.objects.create(
                        key=key, count=1, window_ends=now + timedelta(seconds=window)
                    )
            except IntegrityError:  # another process opened the window first
                AttemptCounter.objects.filter(key=key).update(count=F("count") + 1)
        return AttemptCounter.objects.get(key=key)


def open_counts(keys: list[str]) -> dict[str, tuple[int, datetime]]:
    """``{key: (count, window_ends)}`` for the keys whose window is still open."""
    rows = AttemptCounter.objects.filter(key__in=keys, window_ends__gt=timezone.now())
    return {row.key: (row.count, row.window_ends) for row in rows}


def reset(key: str) -> None:
    AttemptCounter.objects.filter(key=key).delete()
