"""Sending one webhook delivery (the outbox's sender for the ``webhook`` channel)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from django.conf import settings

from .addresses import refused_address
from .models import WebhookAttempt, WebhookDelivery
from .signing import signature


class WebhookFailed(Exception):
    pass


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (3xx, a failed attempt), never followed: it could lead to an
    address the endpoint's own check did not see."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def deliver(message) -> str:
    """POST the body, signed; a 2xx answer is delivered, anything else raises (the outbox
    retries with back-off, then gives up). Every attempt is logged."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(message=message)
    endpoint = delivery.endpoint
    body = message.body.encode()
    timestamp = int(time.time())
    if not endpoint.url.startswith(("https://", "http://")):
        raise WebhookFailed("not an http(s) URL")
    if refused := refused_address(endpoint.url):
        raise WebhookFailed(f"{refused} is not a public address")
    request = urllib.request.Request(  # noqa: S310 (http and https only, checked above)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "SciWeek-Webhooks/1",
            "X-SciWeek-Event": delivery.event,
            "X-SciWeek-Delivery": str(delivery.delivery_id),
            "X-SciWeek-Signature": signature(endpoint.secret, body, timestamp),
        },
    )
    started = time.monotonic()
    status, excerpt, error = None, "", ""
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            status, excerpt = response.status, response.read(500).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        status, excerpt = exc.code, exc.read(500).decode(errors="replace")
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration = int((time.monotonic() - started) * 1000)
    WebhookAttempt.objects.create(
        delivery=delivery, status_code=status, response_excerpt=excerpt[:500],
        error=error, duration_ms=duration,
    )  # fmt: skip
    if status is None or not 200 <= status < 300:
        raise WebhookFailed(error or f"HTTP {status}")
    return ""
