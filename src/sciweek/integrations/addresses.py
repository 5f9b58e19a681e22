"""Where webhooks may go: only to addresses on the public internet.

An organisation's admin types the URL; without this check the platform's own servers would
POST to whatever that URL reaches from inside the network (the database host, a metadata
service, an intranet admin page). The host is resolved when the endpoint is saved and again at
every delivery (a name can be re-pointed later), and deliveries do not follow redirects.
``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` lifts the rule for an intranet-only deployment and tests.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def refused_address(url: str) -> str | None:
    """The address of ``url``'s host that is not public, or None when it may be called (or the
    name does not resolve: the delivery will fail on its own)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not address.is_global:
            return str(address)
    return None
