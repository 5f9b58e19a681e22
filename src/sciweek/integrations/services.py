"""Writes for API clients and webhook endpoints: each audited, secrets shown once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.audit import writer as audit
from sciweek.common.errors import PermissionRefused, ServiceError

from .addresses import refused_address
from .auth import key_hash
from .enums import EventKind, Scope
from .models import ApiClient, WebhookDelivery, WebhookEndpoint
from .webhooks import send_again


def _require_admin(by, org) -> None:
    if not by.has_perm("integrations.manage_integrations", org):
        raise PermissionRefused(_("Only an admin of %(org)s may do this.") % {"org": org.name})


def client_create(
    *, organization, name: str, scopes: Iterable[str], expires_at: datetime, by,
    requests_per_minute: int = 120,
) -> tuple[ApiClient, str]:  # fmt: skip
    """A new client and its key (``swc_<prefix>_<secret>``), which is not kept: show it once."""
    _require_admin(by, organization)
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(Scope.values):
        raise ServiceError({"scopes": [_("Choose at least one scope.")]})
    if expires_at <= timezone.now():
        raise ServiceError({"expires_at": [_("Choose a time in the future.")]})
    with transaction.atomic():
        prefix = secrets.token_hex(4)
        while ApiClient.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        key = f"swc_{prefix}_{secrets.token_urlsafe(32)}"
        client = ApiClient.objects.create(
            organization=organization, name=name.strip(), scopes=scopes, prefix=prefix,
            secret_hash=key_hash(key), expires_at=expires_at, created_by=by,
            requests_per_minute=requests_per_minute,
        )  # fmt: skip
        audit.record(actor=by, action="api_client.create", obj=client,
                     organization_id=organization.pk, object_repr=client.name,
                     after={"scopes": scopes, "expires_at": expires_at.isoformat()})  # fmt: skip
    return client, key


def client_revoke(*, client: ApiClient, by) -> ApiClient:
    _require_admin(by, client.organization)
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is None:
            client.revoked_at, client.revoked_by = timezone.now(), by
            client.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
            audit.record(actor=by, action="api_client.revoke", obj=client,
                         organization_id=client.organization_id, object_repr=client.name)  # fmt: skip
    return client


def _clean_events(events: Iterable[str]) -> list[str]:
    events = sorted(set(events))
    if not events or not set(events) <= set(EventKind.values):
        raise ServiceError({"events": [_("Choose at least one event.")]})
    return events


def endpoint_save(
    *, endpoint: WebhookEndpoint, events: Iterable[str], by
) -> tuple[WebhookEndpoint, str | None]:
    """Register or change an endpoint; a new one gets its secret, returned to be shown once."""
    _require_admin(by, endpoint.organization)
    endpoint.events = _clean_events(events)
    if refused := refused_address(endpoint.url):
        raise ServiceError(
            {"url": [_("%(address)s is not on the public internet: webhooks go only to public "
                       "addresses.") % {"address": refused}]}
        )  # fmt: skip
    creating = endpoint.pk is None
    with transaction.atomic():
        if creating:
            endpoint.secret = f"whsec_{secrets.token_urlsafe(32)}"
            endpoint.created_by = by
        endpoint.save()
        audit.record(actor=by, action="webhook.create" if creating else "webhook.update",
                     obj=endpoint, organization_id=endpoint.organization_id,
                     object_repr=endpoint.url,
                     after={"events": endpoint.events, "active": endpoint.is_active,
                            "personal_data": endpoint.personal_data})  # fmt: skip
    return endpoint, endpoint.secret if creating else None


def delivery_send_again(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    _require_admin(by, delivery.endpoint.organization)
    with transaction.atomic():
        again = send_again(delivery=delivery)
        audit.record(actor=by, action="webhook.send_again", obj=delivery.endpoint,
                     organization_id=delivery.endpoint.organization_id,
                     object_repr=f"{delivery.event} {delivery.delivery_id}")  # fmt: skip
    return again
