"""Systems that talk to SciWeek: API clients (tokens for machines) and webhook endpoints."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.common.models import TimeStampedModel


class ApiClient(TimeStampedModel):
    """A token for another system, made by an admin of ``organization``. The secret is shown
    once; only its SHA-256 is kept (the secret is 32 random bytes, so a slow hash adds nothing).
    The client acts as its creator, narrowed to ``scopes``: never more than that admin may do."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["organization_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class WebhookEndpoint(TimeStampedModel):
    """Where ``organization`` wants to hear of events about itself and what lies below it."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    # Names and phone numbers of bookers travel only to an endpoint allowed to receive them.
    personal_data = models.BooleanField(_("include personal data"), default=False)
    secret = models.CharField(max_length=64, editable=False)  # signs; must be kept readable
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organization_id", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint, sent through the outbox row it owns (its retries, back-off,
    row lock and giving up are the outbox's)."""

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message = models.OneToOneField(
        "notifications.OutboxMessage", on_delete=models.CASCADE, related_name="webhook_delivery"
    )
    event = models.CharField(_("event"), max_length=40)
    event_id = models.UUIDField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} {self.delivery_id}"


class WebhookAttempt(models.Model):
    """The log of one POST: what the receiver answered and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} ({self.duration_ms} ms)"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
