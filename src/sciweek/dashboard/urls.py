from django.urls import path

from .views import (
    activities,
    activity_excel,
    audit,
    editions,
    home,
    notices,
    organizations,
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
    path("reviews/area/", reviews.AreaReviewQueueView.as_view(), name="review-area"),
    path("reviews/city/", reviews.CityReviewQueueView.as_view(), name="review-city"),
    # Audit log
    path("audit/", audit.AuditListView.as_view(), name="audit-list"),
]
