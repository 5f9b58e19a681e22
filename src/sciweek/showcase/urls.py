from django.urls import path

from . import views, views_media
from .cache import LIST_PARAMS, cached_public_page, iso_date, page_number, positive_id, slug

# What each cached page shows, as tags (``showcase/cache.py``; ``receivers.py`` replaces them).


def _list_tags(kwargs, params):
    """An activity list: filtered by area or category, only changes there touch it; otherwise
    (all, searched, by audience, mode or dates) any activity can appear in it."""
    tags = [f"{name}:{params[name]}" for name in ("area", "category") if name in params]
    return tags or ["lists"]


def _activity_tags(kwargs, params):
    return [f"activity:{kwargs['pk']}"]


def _organization_tags(kwargs, params):
    return [f"area-slug:{kwargs['slug']}"] if "slug" in kwargs else [f"unit:{kwargs['pk']}"]


def _tags(*names):
    return lambda kwargs, params: list(names)


def home(view):
    return cached_public_page(view, tags=_tags("home"))


def activity_list(view):
    return cached_public_page(view, params=LIST_PARAMS, tags=_list_tags)


def activity_page(view):
    return cached_public_page(view, tags=_activity_tags)


def calendar(view):
    # ``day``, ``week`` and ``page``: the calendar's paging (one day or week at a time).
    return cached_public_page(
        view,
        params={"day": iso_date, "week": iso_date, "page": page_number},
        tags=_tags("calendar"),
    )


def organization_page(view):
    return cached_public_page(view, params={"page": page_number}, tags=_organization_tags)


def area_feed(view):
    return cached_public_page(view, tags=_organization_tags)


def hall(view):
    return cached_public_page(
        view, params={"area": slug, "field": positive_id}, tags=_tags("media", "lists")
    )


def plain(*tags):
    """A page without parameters showing ``tags``."""
    return lambda view: cached_public_page(view, tags=_tags(*tags))


app_name = "showcase"

urlpatterns = [
    path("", home(views.HomeView.as_view()), name="home"),
    path("activities/", activity_list(views.ActivityListView.as_view()), name="activity-list"),
    path(
        "activities/<int:pk>/",
        activity_page(views.ActivityDetailView.as_view()),
        name="activity-detail",
    ),
    path(
        "activities/<int:pk>/poster.png",
        activity_page(views.PosterView.as_view()),
        name="activity-poster",
    ),
    path(
        "activities/<int:pk>/calendar.ics",
        activity_page(views.CalendarFeedView.as_view()),
        name="activity-ics",
    ),
    path("calendar/", calendar(views.CalendarView.as_view()), name="calendar"),
    path("calendar.ics", plain("calendar")(views.CalendarFeedView.as_view()), name="calendar-ics"),
    path(
        "areas/<slug:slug>/calendar.ics",
        area_feed(views.CalendarFeedView.as_view()),
        name="area-ics",
    ),
    path(
        "editions/<int:year>/calendar.ics",
        plain("calendar")(views.CalendarFeedView.as_view()),
        name="edition-ics",
    ),
    path(
        "areas/<slug:slug>/", organization_page(views.OrganizationPageView.as_view()), name="area"
    ),
    path("units/<int:pk>/", organization_page(views.OrganizationPageView.as_view()), name="unit"),
    path("editions/", plain()(views.EditionArchiveView.as_view()), name="edition-list"),
    path("editions/<int:year>/", home(views.HomeView.as_view()), name="edition-home"),
    path(
        "editions/<int:year>/activities/",
        activity_list(views.ActivityListView.as_view()),
        name="edition-activities",
    ),
    path(
        "editions/<int:year>/calendar/",
        calendar(views.CalendarView.as_view()),
        name="edition-calendar",
    ),
    path(
        "editions/<int:year>/areas/<slug:slug>/",
        organization_page(views.OrganizationPageView.as_view()),
        name="edition-area",
    ),
    path(
        "editions/<int:year>/units/<int:pk>/",
        organization_page(views.OrganizationPageView.as_view()),
        name="edition-unit",
    ),
    # The launch ceremony's selected exhibits (their booth labels' QR codes lead here)
    path(
        "exhibits/<int:pk>/",
        plain("exhibits")(views.ExhibitDetailView.as_view()),
        name="exhibit-detail",
    ),
    path(
        "exhibits/<int:pk>/label.png",
        plain("exhibits")(views.ExhibitLabelView.as_view()),
        name="exhibit-label",
    ),
    path(
        "exhibits/media/thumbs/<uuid:key>.jpg",
        views_media.PublicExhibitMediaView.as_view(thumbnail=True),
        name="exhibit-media-thumbnail",
    ),
    path(
        "exhibits/media/<uuid:key>/<str:name>",
        views_media.PublicExhibitMediaView.as_view(),
        name="exhibit-media-file",
    ),
    # Media and the online exhibition hall (云展厅)
    path("hall/", hall(views_media.HallView.as_view()), name="hall"),
    path("editions/<int:year>/hall/", hall(views_media.HallView.as_view()), name="edition-hall"),
    path(
        "media/thumbs/<uuid:key>.jpg",
        views_media.PublicMediaThumbnailView.as_view(),
        name="media-thumbnail",
    ),
    path(
        "media/<uuid:key>/<str:name>", views_media.PublicMediaFileView.as_view(), name="media-file"
    ),
]
