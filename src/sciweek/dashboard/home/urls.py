from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (MenuEntry(_("Home"), "dashboard:home", nav="home", order=10),)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
