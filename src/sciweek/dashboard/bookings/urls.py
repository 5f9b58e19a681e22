from django.urls import path

from . import views

# No menu entry: these pages are reached from the pages of activities and sessions.
MENU = ()

urlpatterns = [
    path(
        "sessions/<int:pk>/bookings/",
        views.SessionBookingsView.as_view(),
        name="session-bookings",
    ),
    path(
        "sessions/<int:pk>/bookings/export.xlsx",
        views.SessionExportView.as_view(),
        name="session-bookings-export",
    ),
    path(
        "sessions/<int:pk>/bookings/export-unmasked/",
        views.SessionExportUnmaskedView.as_view(),
        name="session-bookings-export-unmasked",
    ),
    path(
        "sessions/<int:pk>/capacity/",
        views.SessionCapacityView.as_view(),
        name="session-capacity",
    ),
    path(
        "sessions/<int:pk>/booking-closed/",
        views.SessionBookingClosedView.as_view(),
        name="session-booking-closed",
    ),
    path(
        "sessions/<int:pk>/cancel-bookings/",
        views.SessionCancelBookingsView.as_view(),
        name="session-cancel-bookings",
    ),
    path(
        "sessions/<int:pk>/bookings/<int:booking_pk>/cancel/",
        views.BookingCancelView.as_view(),
        name="booking-cancel",
    ),
]
