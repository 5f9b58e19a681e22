"""What an admin sees of integrations: those of the organisations they administer."""

from __future__ import annotations

from sciweek.organizations.access import access_for
from sciweek.organizations.enums import Role
from sciweek.organizations.models import Organization

from .models import ApiClient, WebhookEndpoint


def _visible(user, queryset, field: str):
    # The platform's own admins (operators) see and may act on every organisation's.
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(**{f"{field}__in": access_for(user).organization_ids(Role.ADMIN)})


def administered(user):
    return _visible(user, Organization.objects.order_by("path"), "pk")


def api_clients_of(user):
    return _visible(user, ApiClient.objects.select_related("organization"), "organization_id")


def endpoints_of(user):
    return _visible(user, WebhookEndpoint.objects.select_related("organization"), "organization_id")
