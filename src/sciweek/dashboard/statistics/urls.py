from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("Dashboard"),
        "dashboard:statistics",
        nav="statistics",
        order=15,
        permission="reports.view_statistics",
    ),
)

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="statistics"),
    path("dashboard/export.xlsx", views.DashboardExportView.as_view(), name="statistics-export"),
    path("dashboard/live/", views.LiveView.as_view(), name="statistics-live"),
    path(
        "dashboard/live/sessions/",
        views.LiveFragmentView.as_view(),
        name="statistics-live-sessions",
    ),
]
