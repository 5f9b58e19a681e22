from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import photo_views, views

MENU = (
    MenuEntry(
        _("Summary report"),
        "dashboard:summary-mine",
        nav="summary",
        order=70,
        permission="reports.file_summary",
    ),
    MenuEntry(
        _("Summaries board"),
        "dashboard:summary-board",
        nav="summary-board",
        order=80,
        permission="reports.view_board",
    ),
)

urlpatterns = [
    path("summary/", views.SummaryMineView.as_view(), name="summary-mine"),
    path("summaries/board/", views.SummaryBoardView.as_view(), name="summary-board"),
    path("summaries/compile/", views.SummaryCompileView.as_view(), name="summary-compile"),
    path(
        "summaries/compile/progress/",
        views.SummaryCompileProgressView.as_view(),
        name="summary-compile-progress",
    ),
    path(
        "summaries/compile/prose/",
        views.SummaryCompileProseView.as_view(),
        name="summary-compile-prose",
    ),
    path(
        "summaries/compile/photo/",
        photo_views.SummaryCompilePhotoView.as_view(),
        name="summary-compile-photo",
    ),
    path(
        "summaries/compiled/<int:pk>/",
        views.CompiledDownloadView.as_view(),
        name="compiled-download",
    ),
    path("summaries/task/<int:edition_id>/", views.SummaryTaskView.as_view(), name="summary-task"),
    path(
        "summaries/task/<int:edition_id>/remind/",
        views.SummaryRemindView.as_view(),
        name="summary-remind",
    ),
    path("summaries/<int:pk>/", views.SummaryDetailView.as_view(), name="summary-detail"),
    path("summaries/<int:pk>/figures/", views.SummaryFiguresView.as_view(), name="summary-figures"),
    path(
        "summaries/<int:pk>/figures/<str:key>/records/",
        views.SummaryFigureRecordsView.as_view(),
        name="summary-figure-records",
    ),
    path(
        "summaries/<int:pk>/figures/refresh/",
        views.SummaryRefreshView.as_view(),
        name="summary-refresh",
    ),
    path(
        "summaries/<int:pk>/narrative/",
        views.SummaryNarrativeView.as_view(),
        name="summary-narrative",
    ),
    path("summaries/<int:pk>/files/", views.SummaryFileUploadView.as_view(), name="summary-upload"),
    path(
        "summaries/<int:pk>/files/<int:file_pk>/",
        views.SummaryFileView.as_view(),
        name="summary-file",
    ),
    path(
        "summaries/<int:pk>/files/<int:file_pk>/thumbnail/",
        views.SummaryFileView.as_view(thumbnail=True),
        name="summary-file-thumbnail",
    ),
    path(
        "summaries/<int:pk>/files/<int:file_pk>/delete/",
        views.SummaryFileRemoveView.as_view(),
        name="summary-file-remove",
    ),
    path(
        "summaries/<int:pk>/transitions/",
        views.SummaryTransitionView.as_view(),
        name="summary-transition",
    ),
]
