"""Audit actions written for API clients and webhook endpoints."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "api_client.create": _("API client created"),
    "api_client.revoke": _("API client revoked"),
    "webhook.create": _("Webhook endpoint registered"),
    "webhook.update": _("Webhook endpoint changed"),
    "webhook.send_again": _("Webhook delivery sent again"),
}
