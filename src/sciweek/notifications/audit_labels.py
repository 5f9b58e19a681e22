"""Audit actions written for the outbox."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "outbox.retry": _("Message put back in the outbox to be sent again"),
}
