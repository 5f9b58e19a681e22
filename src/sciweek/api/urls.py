from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .views.activities import ActivityViewSet
from .views.auth import TokenObtainView
from .views.bookings import SessionBookingView
from .views.campaigns import NoticeViewSet
from .views.checkin_sync import SessionCheckInBatchView, SessionCheckInManifestView
from .views.checkins import SessionCheckInView
from .views.docs import SwaggerDocsView
from .views.editions import EditionViewSet
from .views.exhibition import CeremonyViewSet, ExhibitViewSet, JuryAssignmentViewSet, RsvpView
from .views.media import ActivityMediaView, MediaItemViewSet
from .views.organizations import OrganizationViewSet
from .views.reports import ReportViewSet
from .views.session_bookings import BookingCancelView, SessionBookingsExportView
from .views.statistics import StatisticsView
from .views.walkins import SessionWalkInView

app_name = "api"

router = DefaultRouter()
router.register("editions", EditionViewSet, basename="edition")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("notices", NoticeViewSet, basename="notice")
router.register("activities", ActivityViewSet, basename="activity")
router.register("reports", ReportViewSet, basename="report")
router.register("ceremonies", CeremonyViewSet, basename="ceremony")
router.register("exhibits", ExhibitViewSet, basename="exhibit")
router.register("media", MediaItemViewSet, basename="media")
router.register("jury-assignments", JuryAssignmentViewSet, basename="jury-assignment")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path(
        "sessions/<int:session_id>/checkins/", SessionCheckInView.as_view(), name="session-checkins"
    ),
    path(
        "sessions/<int:session_id>/walk-ins/",
        SessionWalkInView.as_view(),
        name="session-walk-ins",
    ),
    path(
        "sessions/<int:session_id>/checkins/batch/",
        SessionCheckInBatchView.as_view(),
        name="session-checkins-batch",
    ),
    path(
        "sessions/<int:session_id>/checkin-manifest/",
        SessionCheckInManifestView.as_view(),
        name="session-checkin-manifest",
    ),
    path(
        "sessions/<int:session_id>/bookings/",
        SessionBookingView.as_view(),
        name="session-bookings",
    ),
    path(
        "sessions/<int:session_id>/bookings/export/",
        SessionBookingsExportView.as_view(),
        name="session-bookings-export",
    ),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/cancel/",
        BookingCancelView.as_view(),
        name="booking-cancel",
    ),
    path("rsvp/<str:token>/", RsvpView.as_view(), name="rsvp"),
    path("activities/<int:activity_id>/media/", ActivityMediaView.as_view(), name="activity-media"),
    *router.urls,
]
