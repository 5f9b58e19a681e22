from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import app, people, views

MENU = (
    MenuEntry(
        _("Gate"),
        "dashboard:gate",
        nav="gate",
        order=40,
        permission="bookings.use_gate",
        icon="bi-qr-code-scan",
    ),
)

urlpatterns = [
    path("gate/", views.GateListView.as_view(), name="gate"),
    path(
        "gate/manifest.webmanifest",
        app.GateWebManifestView.as_view(),
        name="gate-webmanifest",
    ),
    path("gate/sw.js", app.GateServiceWorkerView.as_view(), name="gate-sw"),
    path("gate/sessions/<int:pk>/", views.GateSessionView.as_view(), name="gate-session"),
    path(
        "gate/sessions/<int:pk>/check-in/",
        views.GateCheckInView.as_view(),
        name="gate-check-in",
    ),
    path("gate/sessions/<int:pk>/resend/", views.GateResendView.as_view(), name="gate-resend"),
    path("gate/sessions/<int:pk>/counts/", views.GateCountsView.as_view(), name="gate-counts"),
    path("gate/sessions/<int:pk>/lookup/", people.GateLookupView.as_view(), name="gate-lookup"),
    path(
        "gate/sessions/<int:pk>/lookup/check-in/",
        people.GateLookupCheckInView.as_view(),
        name="gate-lookup-check-in",
    ),
    path("gate/sessions/<int:pk>/walk-in/", people.GateWalkInView.as_view(), name="gate-walk-in"),
    path("gate/sessions/<int:pk>/tally/", people.GateTallyView.as_view(), name="gate-tally"),
]
