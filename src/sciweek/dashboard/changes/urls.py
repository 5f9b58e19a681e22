from django.urls import path

from . import views

# No menu entry: the area's and the city's review queues show the changes waiting (one place
# for a reviewer's work).
MENU = ()

urlpatterns = [
    path(
        "activities/<int:pk>/published/edit/",
        views.PublishedEditView.as_view(),
        name="published-edit",
    ),
    path(
        "activities/<int:pk>/published/sessions/new/",
        views.PublishedSessionAddView.as_view(),
        name="published-session-add",
    ),
    path(
        "activities/<int:pk>/published/sessions/series/",
        views.PublishedSeriesView.as_view(),
        name="published-series",
    ),
    path("activities/<int:pk>/replay/", views.ReplayView.as_view(), name="published-replay"),
    path("changes/", views.ChangeQueueView.as_view(), name="change-queue"),
    path("changes/<int:pk>/decide/", views.ChangeDecideView.as_view(), name="change-decide"),
]
