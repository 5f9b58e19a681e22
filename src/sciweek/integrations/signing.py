"""The webhook signature: ``X-SciWeek-Signature: t=<unix time>,v1=<hex>``, where ``v1`` is
HMAC-SHA256 with the endpoint's secret over ``"<t>.<body>"``. Signing the time with the body
lets a receiver refuse an old delivery replayed at it (a window of ``REPLAY_WINDOW`` seconds)."""

from __future__ import annotations

import hashlib
import hmac
import time

REPLAY_WINDOW = 300


def signature(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None) -> bool:
    """What a receiver does (docs/api.md shows the same in a few lines)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > REPLAY_WINDOW:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
