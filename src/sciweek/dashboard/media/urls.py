from django.urls import path

from . import views

# No menu entry: these pages are reached from the pages of activities and sessions.
MENU = ()

urlpatterns = [
    path("activities/<int:pk>/media/", views.MediaUploadView.as_view(), name="media-upload"),
    path("media/<int:item_pk>/file/", views.MediaOfficeFileView.as_view(), name="media-file"),
    path(
        "media/<int:item_pk>/thumbnail/",
        views.MediaOfficeFileView.as_view(thumbnail=True),
        name="media-thumbnail",
    ),
    path("media/<int:item_pk>/hide/", views.MediaHideView.as_view(), name="media-hide"),
    path("media/<int:item_pk>/unhide/", views.MediaUnhideView.as_view(), name="media-unhide"),
    path("media/<int:item_pk>/feature/", views.MediaFeatureView.as_view(), name="media-feature"),
    path("media/<int:item_pk>/delete/", views.MediaDeleteView.as_view(), name="media-delete"),
    path("hall/", views.HallCurationView.as_view(), name="hall-curation"),
]
