"""Audit actions written for editions and notices."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "edition.create": _("Edition created"),
    "edition.update": _("Edition changed"),
    "edition.copy": _("Edition copied"),
    "edition.published": _("Edition published"),
    "edition.closed": _("Edition closed"),
    "edition.archived": _("Edition archived"),
    "notice.create": _("Notice drafted"),
    "notice.update": _("Notice changed"),
    "notice.attach": _("Attachment added"),
    "notice.detach": _("Attachment removed"),
    "notice.publish": _("Notice published"),
    "notice.acknowledge": _("Receipt acknowledged"),
    "notice.remind": _("Reminder sent"),
}
