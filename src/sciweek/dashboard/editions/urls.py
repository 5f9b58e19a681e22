from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("Editions"),
        "dashboard:edition-list",
        nav="editions",
        order=90,
        permission="campaigns.manage_edition",
        more=True,
    ),
)

urlpatterns = [
    path("editions/", views.EditionListView.as_view(), name="edition-list"),
    path("editions/new/", views.EditionEditView.as_view(), name="edition-create"),
    path("editions/<int:pk>/", views.EditionEditView.as_view(), name="edition-edit"),
    path("editions/<int:pk>/copy/", views.EditionCopyView.as_view(), name="edition-copy"),
    path(
        "editions/<int:pk>/status/",
        views.EditionTransitionView.as_view(),
        name="edition-transition",
    ),
]
