from django.urls import path

from . import views, views_media
from .cache import cached_public_page as cached

app_name = "showcase"

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("activities/", cached(views.ActivityListView.as_view()), name="activity-list"),
    path(
        "activities/<int:pk>/", cached(views.ActivityDetailView.as_view()), name="activity-detail"
    ),
    path(
        "activities/<int:pk>/poster.png", cached(views.PosterView.as_view()), name="activity-poster"
    ),
    path(
        "activities/<int:pk>/calendar.ics",
        cached(views.CalendarFeedView.as_view()),
        name="activity-ics",
    ),
    path("calendar/", cached(views.CalendarView.as_view()), name="calendar"),
    path("calendar.ics", cached(views.CalendarFeedView.as_view()), name="calendar-ics"),
    path(
        "areas/<slug:slug>/calendar.ics", cached(views.CalendarFeedView.as_view()), name="area-ics"
    ),
    path(
        "editions/<int:year>/calendar.ics",
        cached(views.CalendarFeedView.as_view()),
        name="edition-ics",
    ),
    path("areas/<slug:slug>/", cached(views.OrganizationPageView.as_view()), name="area"),
    path("units/<int:pk>/", cached(views.OrganizationPageView.as_view()), name="unit"),
    path("editions/", cached(views.EditionArchiveView.as_view()), name="edition-list"),
    path("editions/<int:year>/", cached(views.HomeView.as_view()), name="edition-home"),
    path(
        "editions/<int:year>/activities/",
        cached(views.ActivityListView.as_view()),
        name="edition-activities",
    ),
    path(
        "editions/<int:year>/calendar/",
        cached(views.CalendarView.as_view()),
        name="edition-calendar",
    ),
    path(
        "editions/<int:year>/areas/<slug:slug>/",
        cached(views.OrganizationPageView.as_view()),
        name="edition-area",
    ),
    path(
        "editions/<int:year>/units/<int:pk>/",
        cached(views.OrganizationPageView.as_view()),
        name="edition-unit",
    ),
    # The launch ceremony's selected exhibits (their booth labels' QR codes lead here)
    path("exhibits/<int:pk>/", cached(views.ExhibitDetailView.as_view()), name="exhibit-detail"),
    path(
        "exhibits/<int:pk>/label.png",
        cached(views.ExhibitLabelView.as_view()),
        name="exhibit-label",
    ),
    # Media and the online exhibition hall (云展厅)
    path("hall/", cached(views_media.HallView.as_view()), name="hall"),
    path("editions/<int:year>/hall/", cached(views_media.HallView.as_view()), name="edition-hall"),
    path(
        "media/thumbs/<uuid:key>.jpg",
        views_media.PublicMediaThumbnailView.as_view(),
        name="media-thumbnail",
    ),
    path(
        "media/<uuid:key>/<str:name>", views_media.PublicMediaFileView.as_view(), name="media-file"
    ),
]
