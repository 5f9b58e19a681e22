"""A Redis cache that degrades instead of failing.

The cache only ever speeds things up or holds soft limits: every page, session and booking is
answered from the database. So when Redis refuses or hangs, each call answers as a cache miss
(``get`` gives the default, ``add`` and ``set`` store nothing, ``incr`` finds no key) instead of
raising, and the site keeps working uncached.

Each call is bounded by the socket timeouts in ``OPTIONS``; after a failure the cache is skipped
altogether for ``RETRY_INTERVAL`` seconds (a circuit breaker), so a hanging server costs one
timeout per interval and process, not one per call. The outage is logged when it starts, once per
interval while it lasts, and when it ends.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger("sciweek.cache")

DEFAULT_RETRY_INTERVAL = 15.0


@dataclass
class _Breaker:
    """Outage state of one Redis location, shared by the per-thread backend instances."""

    down_until: float = 0.0
    logged_at: float | None = None
    failures: int = 0


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _miss(default=None):
    return lambda *args, **kwargs: default


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; a Redis error or timeout is logged and answered as a cache miss."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        # redis-py retries with a back-off by default; one short attempt is the whole budget.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self.retry_interval = float(params.get("RETRY_INTERVAL", DEFAULT_RETRY_INTERVAL))
        with _breakers_lock:
            self._breaker = _breakers.setdefault(str(server), _Breaker())

    # -- outage bookkeeping -------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while the breaker is open (a recent call failed)."""
        return time.monotonic() >= self._breaker.down_until

    def _failed(self, exc: Exception) -> None:
        now = time.monotonic()
        with _breakers_lock:
            breaker = self._breaker
            breaker.down_until = now + self.retry_interval
            breaker.failures += 1
            due = breaker.logged_at is None or now - breaker.logged_at >= self.retry_interval
            if due:
                breaker.logged_at = now
                failures, breaker.failures = breaker.failures, 0
        if due:
            logger.warning(
                "Cache unreachable (%s: %s); answering without it, retrying every %ss"
                " (%d failed call(s) since the last message).",
                type(exc).__name__,
                exc,
                self.retry_interval,
                failures,
            )

    def _succeeded(self) -> None:
        breaker = self._breaker
        if breaker.logged_at is None:
            return
        with _breakers_lock:
            was_down, breaker.logged_at, breaker.failures = breaker.logged_at, None, 0
            breaker.down_until = 0.0
        if was_down is not None:
            logger.warning("Cache reachable again.")

    def _call(self, name: str, fallback, *args, **kwargs):
        if not self.available:
            return fallback(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            self._failed(exc)
            return fallback(*args, **kwargs)
        self._succeeded()
        return result

    def probe(self) -> None:
        """Write and read one key, ignoring the breaker; raise what Redis raised (``/healthz``)."""
        try:
            super().set("healthz", "1", 5)
            if super().get("healthz") != "1":
                raise RedisError("value not kept")
        except RedisError as exc:
            self._failed(exc)
            raise
        self._succeeded()


def _fallback_get(key, default=None, version=None):
    return default


def _fallback_incr(key, delta=1, version=None):
    # The key cannot be read, so it does not exist: the same ValueError as for a missing key.
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


def _fallback_set_many(data, timeout=None, version=None):
    return list(data)


_FALLBACKS = {
    "add": _miss(False),
    "get": _fallback_get,
    "set": _miss(None),
    "touch": _miss(False),
    "delete": _miss(False),
    "get_many": _miss({}),
    "has_key": _miss(False),
    "incr": _fallback_incr,
    "set_many": _fallback_set_many,
    "delete_many": _miss(None),
    "clear": _miss(False),
}


# Every RedisCache method that talks to Redis, with what it answers when Redis does not.
def _guarded(name, fallback):
    def method(self, *args, **kwargs):
        return self._call(name, fallback, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = getattr(RedisCache, name).__doc__
    return method


for _name, _fallback in _FALLBACKS.items():
    setattr(ResilientRedisCache, _name, _guarded(_name, _fallback))
del _name, _fallback
