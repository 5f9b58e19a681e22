from django.urls import path

from . import views

app_name = "exhibition"

urlpatterns = [
    path("ceremony/rsvp/<str:token>/", views.RsvpView.as_view(), name="rsvp"),
    path("ceremony/rsvp/<str:token>/qr.png", views.InvitationQRView.as_view(), name="rsvp-qr"),
]
