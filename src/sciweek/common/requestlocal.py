"""The client IP of a request: for rate limits, and for the audit entries written while it is
served (:class:`RequestIPMiddleware` hands it to ``sciweek.audit.context``)."""

from django.conf import settings

from sciweek.audit.context import request_ip


def client_ip(request) -> str | None:
    # Behind nginx REMOTE_ADDR is the proxy; the header is trusted only when the operator says so,
    # since any client can send it.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR")


class RequestIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_ip(client_ip(request)):
            return self.get_response(request)
