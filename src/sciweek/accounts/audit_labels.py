"""Audit actions written by the accounts app (sign-in)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "auth.login_failed": _("Failed sign-in"),
    "auth.token_revoked": _("API token revoked"),
}
