from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .views.activities import ActivityViewSet
from .views.auth import TokenObtainView
from .views.bookings import SessionBookingView
from .views.campaigns import EditionViewSet, NoticeViewSet
from .views.checkin_sync import SessionCheckInBatchView, SessionCheckInManifestView
from .views.checkins import SessionCheckInView
from .views.docs import SwaggerDocsView
from .views.exhibition import CeremonyViewSet, ExhibitViewSet, JuryAssignmentViewSet, RsvpView
from .views.organizations import OrganizationViewSet
from .views.reports import ReportViewSet
from .views.statistics import StatisticsView

app_name = "api"

router = DefaultRouter()
router.register("editions", EditionViewSet, basename="edition")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("notices", NoticeViewSet, basename="notice")
router.register("activities", ActivityViewSet, basename="activity")
router.register("reports", ReportViewSet, basename="report")
router.register("ceremonies", CeremonyViewSet, basename="ceremony")
router.register("exhibits", ExhibitViewSet, basename="exhibit")
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
    path("rsvp/<str:token>/", RsvpView.as_view(), name="rsvp"),
    *router.urls,
]
