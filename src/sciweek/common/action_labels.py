"""Readable names for audit actions, shown in histories and the audit log. An action without a
label is shown by its code."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login_failed": _("Failed sign-in"),
    "admin.add": _("Added in site admin"),
    "admin.change": _("Changed in site admin"),
    "admin.delete": _("Deleted in site admin"),
    "organization.create": _("Organisation created"),
    "organization.update": _("Organisation changed"),
    "membership.add": _("Member added"),
    "membership.remove": _("Member removed"),
    "invitation.create": _("Invitation sent"),
    "invitation.accept": _("Invitation accepted"),
    "invitation.revoke": _("Invitation revoked"),
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
    "activity.results": _("Results recorded"),
    "activity.coverage_add": _("Media report added"),
    "activity.coverage_remove": _("Media report removed"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
