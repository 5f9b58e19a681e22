"""The client IP of the request being served, for entries written deep inside services.

Set for each request by ``common.requestlocal.RequestIPMiddleware``; ``None`` outside a request
(commands, tasks). It lives here, not in ``common``, so that the audit app imports no other app
and anything, ``common`` included, may write to the log.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("sciweek_request_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


@contextmanager
def request_ip(ip: str | None) -> Iterator[None]:
    token = _ip.set(ip)
    try:
        yield
    finally:
        _ip.reset(token)
