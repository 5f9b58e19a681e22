"""The client IP of the request being served, for audit entries written deep inside services.

Set by :class:`RequestIPMiddleware`; ``None`` outside a request (commands, tasks).
"""

from contextvars import ContextVar

from django.conf import settings

_ip: ContextVar[str | None] = ContextVar("sciweek_request_ip", default=None)


def client_ip(request) -> str | None:
    # Behind nginx REMOTE_ADDR is the proxy; the header is trusted only when the operator says so,
    # since any client can send it.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR")


def current_ip() -> str | None:
    return _ip.get()


class RequestIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)
