from django.utils.translation import gettext_lazy as _

# Written by signals.record_admin_action for work done in Django's site admin.
AUDIT_ACTIONS = {
    "admin.add": _("Added in site admin"),
    "admin.change": _("Changed in site admin"),
    "admin.delete": _("Deleted in site admin"),
    "admin.other": _("Other change in site admin"),
}
