from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("sessions/<int:session_id>/book/", views.BookView.as_view(), name="book"),
    path("sessions/<int:session_id>/places/", views.SessionWidgetView.as_view(), name="widget"),
    path("tickets/lookup/", views.LookupView.as_view(), name="lookup"),
    path("tickets/<str:token>/", views.TicketView.as_view(), name="ticket"),
    path("tickets/<str:token>/qr.png", views.TicketQRView.as_view(), name="ticket-qr"),
    path("tickets/<str:token>/ticket.png", views.TicketImageView.as_view(), name="ticket-png"),
    path("tickets/<str:token>/calendar.ics", views.TicketCalendarView.as_view(), name="ticket-ics"),
    path("tickets/<str:token>/survey/", views.TicketSurveyView.as_view(), name="survey"),
    path("tickets/<str:token>/cancel/", views.TicketCancelView.as_view(), name="cancel"),
]
