from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import excel, views

MENU = (
    MenuEntry(
        _("Activities"),
        "dashboard:activity-list",
        nav="activities",
        order=30,
        permission="activities.browse_activities",
    ),
)

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/bulk/", views.ActivityBulkView.as_view(), name="activity-bulk"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path(
        "activities/import/template.xlsx",
        excel.ActivityImportTemplateView.as_view(),
        name="activity-import-template",
    ),
    path("activities/import/", excel.ActivityImportView.as_view(), name="activity-import"),
    path(
        "activities/export.xlsx",
        excel.ActivityExportView.as_view(),
        name="activity-export",
    ),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity-edit"),
    path(
        "activities/<int:pk>/transitions/",
        views.ActivityTransitionView.as_view(),
        name="activity-transition",
    ),
    path(
        "activities/<int:pk>/duplicate/",
        views.ActivityDuplicateView.as_view(),
        name="activity-duplicate",
    ),
    path(
        "activities/<int:pk>/documents/",
        views.ActivityDocumentUploadView.as_view(),
        name="activity-document-upload",
    ),
    path(
        "activities/<int:pk>/documents/<int:document_pk>/",
        views.ActivityDocumentView.as_view(),
        name="activity-document",
    ),
    path(
        "activities/<int:pk>/documents/<int:document_pk>/delete/",
        views.ActivityDocumentRemoveView.as_view(),
        name="activity-document-remove",
    ),
    path(
        "activities/<int:pk>/results/",
        views.ActivityResultsView.as_view(),
        name="activity-results",
    ),
    path(
        "activities/<int:pk>/coverage/",
        views.ActivityCoverageAddView.as_view(),
        name="activity-coverage-add",
    ),
    path(
        "activities/<int:pk>/coverage/<int:coverage_pk>/delete/",
        views.ActivityCoverageRemoveView.as_view(),
        name="activity-coverage-remove",
    ),
]
