from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (MenuEntry(_("Notices"), "dashboard:notice-list", nav="notices", order=20),)

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("notices/new/", views.NoticeEditView.as_view(), name="notice-create"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>/edit/", views.NoticeEditView.as_view(), name="notice-edit"),
    path("notices/<int:pk>/publish/", views.NoticePublishView.as_view(), name="notice-publish"),
    path(
        "notices/<int:pk>/acknowledge/",
        views.NoticeAcknowledgeView.as_view(),
        name="notice-acknowledge",
    ),
    path(
        "notices/<int:pk>/acknowledge-all/",
        views.NoticeAcknowledgeAllView.as_view(),
        name="notice-acknowledge-all",
    ),
    path("notices/<int:pk>/board/", views.NoticeBoardView.as_view(), name="notice-board"),
    path("notices/<int:pk>/remind/", views.NoticeRemindView.as_view(), name="notice-remind"),
    path("notices/<int:pk>/attachments/", views.NoticeAttachView.as_view(), name="notice-attach"),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        views.NoticeAttachmentDownloadView.as_view(),
        name="notice-attachment",
    ),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.NoticeDetachView.as_view(),
        name="notice-detach",
    ),
]
