"""Audit actions written by the organisations app."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "organization.create": _("Organisation created"),
    "organization.update": _("Organisation changed"),
    "membership.add": _("Member added"),
    "membership.remove": _("Member removed"),
    "contact.create": _("Contact person added"),
    "contact.update": _("Contact person changed"),
    "contact.delete": _("Contact person removed"),
    "invitation.create": _("Invitation sent"),
    "invitation.accept": _("Invitation accepted"),
    "invitation.revoke": _("Invitation revoked"),
}
