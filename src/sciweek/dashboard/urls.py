from django.urls import path

from sciweek.bookings import views_gate

from .views import (
    activities,
    activity_excel,
    audit,
    bookings,
    editions,
    home,
    media,
    notices,
    organizations,
    reports,
    reviews,
)

app_name = "dashboard"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # Editions
    path("editions/", editions.EditionListView.as_view(), name="edition-list"),
    path("editions/new/", editions.EditionEditView.as_view(), name="edition-create"),
    path("editions/<int:pk>/", editions.EditionEditView.as_view(), name="edition-edit"),
    path("editions/<int:pk>/copy/", editions.EditionCopyView.as_view(), name="edition-copy"),
    path(
        "editions/<int:pk>/status/",
        editions.EditionTransitionView.as_view(),
        name="edition-transition",
    ),
    # Notices
    path("notices/", notices.NoticeListView.as_view(), name="notice-list"),
    path("notices/new/", notices.NoticeEditView.as_view(), name="notice-create"),
    path("notices/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>/edit/", notices.NoticeEditView.as_view(), name="notice-edit"),
    path("notices/<int:pk>/publish/", notices.NoticePublishView.as_view(), name="notice-publish"),
    path(
        "notices/<int:pk>/acknowledge/",
        notices.NoticeAcknowledgeView.as_view(),
        name="notice-acknowledge",
    ),
    path("notices/<int:pk>/board/", notices.NoticeBoardView.as_view(), name="notice-board"),
    path("notices/<int:pk>/remind/", notices.NoticeRemindView.as_view(), name="notice-remind"),
    path("notices/<int:pk>/attachments/", notices.NoticeAttachView.as_view(), name="notice-attach"),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        notices.NoticeAttachmentDownloadView.as_view(),
        name="notice-attachment",
    ),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/delete/",
        notices.NoticeDetachView.as_view(),
        name="notice-detach",
    ),
    # Organisations, members, invitations
    path("organizations/", organizations.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/new/",
        organizations.OrganizationEditView.as_view(),
        name="organization-create",
    ),
    path(
        "organizations/<int:pk>/",
        organizations.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "organizations/<int:pk>/edit/",
        organizations.OrganizationEditView.as_view(),
        name="organization-edit",
    ),
    path(
        "organizations/<int:pk>/members/add/",
        organizations.MembershipAddView.as_view(),
        name="membership-add",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/delete/",
        organizations.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path(
        "organizations/<int:pk>/invitations/",
        organizations.InvitationCreateView.as_view(),
        name="invitation-create",
    ),
    path(
        "organizations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        organizations.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    # Activities
    path("activities/", activities.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", activities.ActivityCreateView.as_view(), name="activity-create"),
    path(
        "activities/import/template.xlsx",
        activity_excel.ActivityImportTemplateView.as_view(),
        name="activity-import-template",
    ),
    path("activities/import/", activity_excel.ActivityImportView.as_view(), name="activity-import"),
    path(
        "activities/export.xlsx",
        activity_excel.ActivityExportView.as_view(),
        name="activity-export",
    ),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", activities.ActivityEditView.as_view(), name="activity-edit"),
    path(
        "activities/<int:pk>/transitions/",
        activities.ActivityTransitionView.as_view(),
        name="activity-transition",
    ),
    path(
        "activities/<int:pk>/duplicate/",
        activities.ActivityDuplicateView.as_view(),
        name="activity-duplicate",
    ),
    path(
        "activities/<int:pk>/documents/",
        activities.ActivityDocumentUploadView.as_view(),
        name="activity-document-upload",
    ),
    path(
        "activities/<int:pk>/documents/<int:document_pk>/",
        activities.ActivityDocumentView.as_view(),
        name="activity-document",
    ),
    path(
        "activities/<int:pk>/documents/<int:document_pk>/delete/",
        activities.ActivityDocumentRemoveView.as_view(),
        name="activity-document-remove",
    ),
    path(
        "activities/<int:pk>/results/",
        activities.ActivityResultsView.as_view(),
        name="activity-results",
    ),
    path(
        "activities/<int:pk>/coverage/",
        activities.ActivityCoverageAddView.as_view(),
        name="activity-coverage-add",
    ),
    path(
        "activities/<int:pk>/coverage/<int:coverage_pk>/delete/",
        activities.ActivityCoverageRemoveView.as_view(),
        name="activity-coverage-remove",
    ),
    # Activity media and the online hall
    path("activities/<int:pk>/media/", media.MediaUploadView.as_view(), name="media-upload"),
    path("media/<int:item_pk>/file/", media.MediaOfficeFileView.as_view(), name="media-file"),
    path(
        "media/<int:item_pk>/thumbnail/",
        media.MediaOfficeFileView.as_view(thumbnail=True),
        name="media-thumbnail",
    ),
    path("media/<int:item_pk>/hide/", media.MediaHideView.as_view(), name="media-hide"),
    path("media/<int:item_pk>/unhide/", media.MediaUnhideView.as_view(), name="media-unhide"),
    path("media/<int:item_pk>/feature/", media.MediaFeatureView.as_view(), name="media-feature"),
    path("media/<int:item_pk>/delete/", media.MediaDeleteView.as_view(), name="media-delete"),
    path("hall/", media.HallCurationView.as_view(), name="hall-curation"),
    path("reviews/area/", reviews.AreaReviewQueueView.as_view(), name="review-area"),
    path("reviews/city/", reviews.CityReviewQueueView.as_view(), name="review-city"),
    # Summary reporting
    path("summary/", reports.SummaryMineView.as_view(), name="summary-mine"),
    path("summaries/board/", reports.SummaryBoardView.as_view(), name="summary-board"),
    path("summaries/compile/", reports.SummaryCompileView.as_view(), name="summary-compile"),
    path(
        "summaries/compile/progress/",
        reports.SummaryCompileProgressView.as_view(),
        name="summary-compile-progress",
    ),
    path(
        "summaries/compiled/<int:pk>/",
        reports.CompiledDownloadView.as_view(),
        name="compiled-download",
    ),
    path(
        "summaries/task/<int:edition_id>/", reports.SummaryTaskView.as_view(), name="summary-task"
    ),
    path(
        "summaries/task/<int:edition_id>/remind/",
        reports.SummaryRemindView.as_view(),
        name="summary-remind",
    ),
    path("summaries/<int:pk>/", reports.SummaryDetailView.as_view(), name="summary-detail"),
    path(
        "summaries/<int:pk>/figures/", reports.SummaryFiguresView.as_view(), name="summary-figures"
    ),
    path(
        "summaries/<int:pk>/figures/refresh/",
        reports.SummaryRefreshView.as_view(),
        name="summary-refresh",
    ),
    path(
        "summaries/<int:pk>/narrative/",
        reports.SummaryNarrativeView.as_view(),
        name="summary-narrative",
    ),
    path(
        "summaries/<int:pk>/files/", reports.SummaryFileUploadView.as_view(), name="summary-upload"
    ),
    path(
        "summaries/<int:pk>/files/<int:file_pk>/",
        reports.SummaryFileView.as_view(),
        name="summary-file",
    ),
    path(
        "summaries/<int:pk>/files/<int:file_pk>/thumbnail/",
        reports.SummaryFileView.as_view(thumbnail=True),
        name="summary-file-thumbnail",
    ),
    path(
        "summaries/<int:pk>/files/<int:file_pk>/delete/",
        reports.SummaryFileRemoveView.as_view(),
        name="summary-file-remove",
    ),
    path(
        "summaries/<int:pk>/transitions/",
        reports.SummaryTransitionView.as_view(),
        name="summary-transition",
    ),
    # Audit log
    path("audit/", audit.AuditListView.as_view(), name="audit-list"),
    # Bookings per session, and the gate
    path(
        "sessions/<int:pk>/bookings/",
        bookings.SessionBookingsView.as_view(),
        name="session-bookings",
    ),
    path(
        "sessions/<int:pk>/bookings/export.xlsx",
        bookings.SessionExportView.as_view(),
        name="session-bookings-export",
    ),
    path(
        "sessions/<int:pk>/bookings/export-unmasked/",
        bookings.SessionExportUnmaskedView.as_view(),
        name="session-bookings-export-unmasked",
    ),
    path(
        "sessions/<int:pk>/capacity/",
        bookings.SessionCapacityView.as_view(),
        name="session-capacity",
    ),
    path(
        "sessions/<int:pk>/booking-closed/",
        bookings.SessionBookingClosedView.as_view(),
        name="session-booking-closed",
    ),
    path(
        "sessions/<int:pk>/cancel-bookings/",
        bookings.SessionCancelBookingsView.as_view(),
        name="session-cancel-bookings",
    ),
    path(
        "sessions/<int:pk>/bookings/<int:booking_pk>/cancel/",
        bookings.BookingCancelView.as_view(),
        name="booking-cancel",
    ),
    path("gate/", views_gate.GateListView.as_view(), name="gate"),
    path("gate/sessions/<int:pk>/", views_gate.GateSessionView.as_view(), name="gate-session"),
    path(
        "gate/sessions/<int:pk>/check-in/",
        views_gate.GateCheckInView.as_view(),
        name="gate-check-in",
    ),
    path("gate/sessions/<int:pk>/counts/", views_gate.GateCountsView.as_view(), name="gate-counts"),
]
