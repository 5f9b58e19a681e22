"""Every back-office URL keeps its name and path, whichever module declares it."""

import pytest
from django.urls import reverse

from sciweek.dashboard import urls

# name, arguments, path: written down before the back office was split per domain.
URLS = [
    ("home", [], "/office/"),
    ("edition-list", [], "/office/editions/"),
    ("edition-create", [], "/office/editions/new/"),
    ("edition-edit", [1], "/office/editions/1/"),
    ("edition-copy", [1], "/office/editions/1/copy/"),
    ("edition-transition", [1], "/office/editions/1/status/"),
    ("notice-list", [], "/office/notices/"),
    ("notice-create", [], "/office/notices/new/"),
    ("notice-detail", [1], "/office/notices/1/"),
    ("notice-edit", [1], "/office/notices/1/edit/"),
    ("notice-publish", [1], "/office/notices/1/publish/"),
    ("notice-acknowledge", [1], "/office/notices/1/acknowledge/"),
    ("notice-acknowledge-all", [1], "/office/notices/1/acknowledge-all/"),
    ("notice-board", [1], "/office/notices/1/board/"),
    ("notice-remind", [1], "/office/notices/1/remind/"),
    ("notice-attach", [1], "/office/notices/1/attachments/"),
    ("notice-attachment", [1, 2], "/office/notices/1/attachments/2/"),
    ("notice-detach", [1, 2], "/office/notices/1/attachments/2/delete/"),
    ("organization-list", [], "/office/organizations/"),
    ("organization-create", [], "/office/organizations/new/"),
    ("organization-detail", [1], "/office/organizations/1/"),
    ("organization-edit", [1], "/office/organizations/1/edit/"),
    ("membership-add", [1], "/office/organizations/1/members/add/"),
    ("membership-remove", [1, 2], "/office/organizations/1/members/2/delete/"),
    ("invitation-create", [1], "/office/organizations/1/invitations/"),
    ("invitation-revoke", [1, 2], "/office/organizations/1/invitations/2/revoke/"),
    ("activity-list", [], "/office/activities/"),
    ("activity-bulk", [], "/office/activities/bulk/"),
    ("activity-create", [], "/office/activities/new/"),
    ("activity-import-template", [], "/office/activities/import/template.xlsx"),
    ("activity-import", [], "/office/activities/import/"),
    ("activity-export", [], "/office/activities/export.xlsx"),
    ("activity-detail", [1], "/office/activities/1/"),
    ("activity-edit", [1], "/office/activities/1/edit/"),
    ("activity-transition", [1], "/office/activities/1/transitions/"),
    ("activity-duplicate", [1], "/office/activities/1/duplicate/"),
    ("activity-document-upload", [1], "/office/activities/1/documents/"),
    ("activity-document", [1, 2], "/office/activities/1/documents/2/"),
    ("activity-document-remove", [1, 2], "/office/activities/1/documents/2/delete/"),
    ("activity-results", [1], "/office/activities/1/results/"),
    ("activity-coverage-add", [1], "/office/activities/1/coverage/"),
    ("activity-coverage-remove", [1, 2], "/office/activities/1/coverage/2/delete/"),
    ("media-upload", [1], "/office/activities/1/media/"),
    ("media-file", [1], "/office/media/1/file/"),
    ("media-thumbnail", [1], "/office/media/1/thumbnail/"),
    ("media-hide", [1], "/office/media/1/hide/"),
    ("media-unhide", [1], "/office/media/1/unhide/"),
    ("media-feature", [1], "/office/media/1/feature/"),
    ("media-delete", [1], "/office/media/1/delete/"),
    ("hall-curation", [], "/office/hall/"),
    ("review-area", [], "/office/reviews/area/"),
    ("review-city", [], "/office/reviews/city/"),
    ("summary-mine", [], "/office/summary/"),
    ("summary-board", [], "/office/summaries/board/"),
    ("summary-compile", [], "/office/summaries/compile/"),
    ("summary-compile-progress", [], "/office/summaries/compile/progress/"),
    ("compiled-download", [1], "/office/summaries/compiled/1/"),
    ("summary-task", [1], "/office/summaries/task/1/"),
    ("summary-remind", [1], "/office/summaries/task/1/remind/"),
    ("summary-detail", [1], "/office/summaries/1/"),
    ("summary-figures", [1], "/office/summaries/1/figures/"),
    ("summary-refresh", [1], "/office/summaries/1/figures/refresh/"),
    ("summary-narrative", [1], "/office/summaries/1/narrative/"),
    ("summary-upload", [1], "/office/summaries/1/files/"),
    ("summary-file", [1, 2], "/office/summaries/1/files/2/"),
    ("summary-file-thumbnail", [1, 2], "/office/summaries/1/files/2/thumbnail/"),
    ("summary-file-remove", [1, 2], "/office/summaries/1/files/2/delete/"),
    ("summary-transition", [1], "/office/summaries/1/transitions/"),
    ("audit-list", [], "/office/audit/"),
    ("session-bookings", [1], "/office/sessions/1/bookings/"),
    ("session-bookings-export", [1], "/office/sessions/1/bookings/export.xlsx"),
    ("session-bookings-export-unmasked", [1], "/office/sessions/1/bookings/export-unmasked/"),
    ("session-capacity", [1], "/office/sessions/1/capacity/"),
    ("session-booking-closed", [1], "/office/sessions/1/booking-closed/"),
    ("session-cancel-bookings", [1], "/office/sessions/1/cancel-bookings/"),
    ("booking-cancel", [1, 2], "/office/sessions/1/bookings/2/cancel/"),
    ("gate", [], "/office/gate/"),
    ("gate-session", [1], "/office/gate/sessions/1/"),
    ("gate-check-in", [1], "/office/gate/sessions/1/check-in/"),
    ("gate-counts", [1], "/office/gate/sessions/1/counts/"),
]


@pytest.mark.parametrize(("name", "args", "path"), URLS)
def test_dashboard_url_keeps_its_path(name, args, path):
    assert reverse(f"dashboard:{name}", args=args) == path


def test_every_dashboard_url_is_listed():
    assert [p.name for p in urls.urlpatterns] == [row[0] for row in URLS]
