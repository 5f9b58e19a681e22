"""Audit actions written for editions and notices."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "edition.create": _("Edition created"),
    "edition.update": _("Edition changed"),
    "edition.copy": _("Edition copied"),
    "edition.published": _("Edition published"),
    "edition.closed": _("Edition closed"),
    "edition.archived": _("Edition archived"),
    "edition.document_add": _("Basis document added"),
    "edition.document_update": _("Basis document changed"),
    "edition.document_remove": _("Basis document removed"),
    "edition.focus_add": _("Focus area added"),
    "edition.focus_update": _("Focus area changed"),
    "edition.focus_remove": _("Focus area removed"),
    "notice.create": _("Notice drafted"),
    "notice.update": _("Notice changed"),
    "notice.attach": _("Attachment added"),
    "notice.detach": _("Attachment removed"),
    "notice.publish": _("Notice published"),
    "notice.acknowledge": _("Receipt acknowledged"),
    "notice.remind": _("Reminder sent"),
}
