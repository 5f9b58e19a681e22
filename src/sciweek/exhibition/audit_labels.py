"""Audit actions written for the launch ceremony, its guests and the exhibition."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "ceremony.save": _("Ceremony set up"),
    "ceremony.quota": _("Delegation quota set"),
    "ceremony.remind": _("RSVP reminders sent"),
    "ceremony.auto_remind": _("Automatic RSVP reminders sent"),
    "ceremony.quota_remind": _("Quota reminders sent to areas"),
    "guest.add": _("Guest named"),
    "guest.remove": _("Guest removed"),
    "guest.attend": _("Guest will attend"),
    "guest.decline": _("Guest declined"),
    "guest.substitute": _("Guest sends a substitute"),
    "guest.check_in": _("Guest arrived"),
    "exhibit.create": _("Exhibit created"),
    "exhibit.update": _("Exhibit changed"),
    "exhibit.submit": _("Exhibit submitted"),
    "exhibit.select": _("Exhibit selected"),
    "exhibit.return": _("Exhibit returned for revision"),
    "exhibit.decline": _("Exhibit not selected"),
    "exhibit.media_add": _("Exhibit photo or video added"),
    "exhibit.media_remove": _("Exhibit photo or video removed"),
}
