from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("Area review"),
        "dashboard:review-area",
        nav="review-area",
        order=50,
        permission="activities.view_area_queue",
    ),
    MenuEntry(
        _("City review"),
        "dashboard:review-city",
        nav="review-city",
        order=60,
        permission="activities.view_city_queue",
    ),
)

urlpatterns = [
    path("reviews/area/", views.AreaReviewQueueView.as_view(), name="review-area"),
    path("reviews/city/", views.CityReviewQueueView.as_view(), name="review-city"),
]
