"""Livestream links must point at a platform the organiser allows (LIVESTREAM_ALLOWED_HOSTS):
a public page must not send visitors to an arbitrary site."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def host_allowed(host: str, allowed: list[str]) -> bool:
    """``host`` is an allowed host or a subdomain of one written as ``.example.com``."""
    host = host.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower().strip()
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def validate_livestream_url(url: str) -> str:
    """Raise ValidationError unless ``url`` is https/http on an allowed host; return it."""
    if not url:
        return url
    parts = urlsplit(url)
    allowed = settings.LIVESTREAM_ALLOWED_HOSTS
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(_("Enter a web link (https://…)."), code="livestream_scheme")
    if parts.username or parts.password:
        raise ValidationError(
            _("A livestream link must not contain a user name or password."),
            code="livestream_credentials",
        )
    if not host_allowed(parts.hostname, allowed):
        raise ValidationError(
            _("%(host)s is not an allowed livestream platform. Allowed: %(allowed)s.")
            % {"host": parts.hostname, "allowed": ", ".join(a.lstrip(".") for a in allowed)},
            code="livestream_host",
        )
    return url
