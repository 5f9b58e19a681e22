"""Audit actions written for activity media; they appear in the activity's history."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "activity.media_add": _("Media added"),
    "activity.media_hide": _("Media hidden"),
    "activity.media_unhide": _("Media shown again"),
    "activity.media_feature": _("Media featured in the online hall"),
    "activity.media_unfeature": _("Media taken out of the online hall"),
    "activity.media_delete": _("Media deleted"),
}
