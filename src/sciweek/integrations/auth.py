"""``Authorization: Bearer swc_…``: another system calling as an organisation's API client.

The client acts as the admin who made it, narrowed to its scopes: a call outside them answers
403, a revoked or expired client (or one whose creator is no longer that organisation's admin)
401. Every call is logged with the client's name; each client has its own rate limit.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.throttling import SimpleRateThrottle

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role

from .enums import Scope
from .models import ApiClient

logger = logging.getLogger("sciweek.api.clients")

KEYWORD = "Bearer"
KEY_RE = re.compile(r"^swc_([0-9a-f]{8})_[A-Za-z0-9_-]{20,}$")
SAFE = {"GET", "HEAD", "OPTIONS"}
API_ROOT = "/api/v1/"
# (path pattern under /api/v1/, scope for every method); then safe methods need ``read`` and
# unsafe ones the scope of the resource they write.
PATH_SCOPES = (
    (re.compile(r"^sessions/\d+/checkins/"), Scope.CHECKIN),
    (re.compile(r"^sessions/\d+/bookings/"), Scope.BOOKINGS),
)
WRITE_SCOPES = (("activities/", Scope.ACTIVITIES_WRITE), ("reports/", Scope.REPORTS))


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def required_scope(method: str, path: str) -> str | None:
    """The scope a call needs; None: no client may make it (a person's own business, such as
    asking for a personal token)."""
    rest = path[len(API_ROOT) :] if path.startswith(API_ROOT) else path.lstrip("/")
    for pattern, scope in PATH_SCOPES:
        if pattern.match(rest):
            return scope
    if method.upper() in SAFE:
        return Scope.READ
    for prefix, scope in WRITE_SCOPES:
        if rest.startswith(prefix):
            return scope
    return None


class ApiClientAuthentication(BaseAuthentication):
    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != KEYWORD.lower().encode():
            return None
        if len(auth) != 2:
            raise AuthenticationFailed(_("Invalid token header."), code="invalid_token")
        key = auth[1].decode(errors="replace")
        match = KEY_RE.match(key)
        client = (
            ApiClient.objects.select_related("created_by", "organization")
            .filter(prefix=match.group(1))
            .first()
            if match
            else None
        )
        if client is None or not hmac.compare_digest(client.secret_hash, key_hash(key)):
            raise AuthenticationFailed(_("Invalid token."), code="invalid_token")
        if client.revoked_at is not None:
            raise AuthenticationFailed(
                _("This API client has been revoked."), code="client_revoked"
            )
        if client.is_expired:
            raise AuthenticationFailed(_("This API client has expired."), code="client_expired")
        user = client.created_by
        if not user.is_active or not access_for(user).has_role(client.organization, Role.ADMIN):
            raise AuthenticationFailed(
                _("The admin who made this API client no longer administers its organisation."),
                code="client_orphaned",
            )
        scope = required_scope(request.method, request.path)
        logger.info(
            "api client call",
            extra={"api_client": client.name, "api_client_id": client.pk,
                   "method": request.method, "path": request.path, "scope": scope},
        )  # fmt: skip
        if scope is None or scope not in client.scopes:
            raise PermissionDenied(
                _("This API client lacks the scope this call needs (%(scope)s).")
                % {"scope": scope or "—"},
                code="scope_missing",
            )
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=1):
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return user, client


class ApiClientRateThrottle(SimpleRateThrottle):
    """Each client's own ``requests_per_minute``, counted per client wherever it calls from."""

    scope = "api_client"

    def __init__(self):
        pass  # the rate is the client's, known only once the request is authenticated

    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        self.rate = f"{client.requests_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return f"throttle_api_client_{request.auth.pk}"


class ApiClientScheme(OpenApiAuthenticationExtension):
    """The schema names the API clients' bearer token beside the personal token."""

    target_class = ApiClientAuthentication
    name = "apiClient"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's API client: `Authorization: Bearer swc_…`.",
        }
