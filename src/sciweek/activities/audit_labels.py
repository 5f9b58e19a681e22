"""Audit actions written for activities: edits, sessions, documents and the review workflow
(``activity.<action>`` for every workflow action)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "activity.create": _("Activity filed"),
    "activity.update": _("Activity edited"),
    "activity.session_add": _("Session added"),
    "activity.session_update": _("Session changed"),
    "activity.session_delete": _("Session removed"),
    "activity.document_add": _("Document attached"),
    "activity.document_remove": _("Document removed"),
    "activity.submit": _("Submitted for review"),
    "activity.approve": _("Approved"),
    "activity.return": _("Returned for revision"),
    "activity.withdraw": _("Withdrawn"),
    "activity.cancel": _("Cancelled"),
    "activity.mark_held": _("Marked as held"),
    "activity.duplicate": _("Duplicated"),
    "activity.mark_key": _("Marked as a key activity"),
    "activity.unmark_key": _("No longer a key activity"),
    "activity.results": _("Results recorded"),
    "activity.coverage_add": _("Media report added"),
    "activity.coverage_remove": _("Media report removed"),
    "activity.import": _("Activities imported from Excel"),
    "activity.correct": _("Published activity corrected"),
    "activity.change_propose": _("Change proposed"),
    "activity_change.approve": _("Change approved and applied"),
    "activity_change.reject": _("Change rejected"),
    "activity.sessions_add_series": _("Series of sessions added"),
    "activity.replay": _("Replay link added"),
}
