from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import jury, views

MENU = (
    MenuEntry(
        _("Launch ceremony"),
        "dashboard:ceremony",
        nav="ceremony",
        order=82,
        permission="exhibition.view_delegation",
        icon="bi-flag",
    ),
    MenuEntry(
        _("Exhibits"),
        "dashboard:exhibit-list",
        nav="exhibits",
        order=84,
        permission="exhibition.list_exhibits",
        icon="bi-easel",
    ),
    MenuEntry(
        _("My scoring"),
        "dashboard:my-scoring",
        nav="scoring",
        order=85,
        permission="exhibition.view_my_assignments",
        icon="bi-star-half",
    ),
)

urlpatterns = [
    path("ceremony/", views.CeremonyHomeView.as_view(), name="ceremony"),
    path("ceremony/<int:ceremony>/edit/", views.CeremonyEditView.as_view(), name="ceremony-edit"),
    path("ceremony/<int:ceremony>/quotas/", views.QuotaView.as_view(), name="ceremony-quotas"),
    path("ceremony/<int:ceremony>/guests/", views.GuestListView.as_view(), name="ceremony-guests"),
    path(
        "ceremony/<int:ceremony>/seating.xlsx",
        views.SeatingExportView.as_view(),
        name="ceremony-seating",
    ),
    path(
        "ceremony/<int:ceremony>/seating.docx",
        views.SeatingWordView.as_view(),
        name="ceremony-seating-docx",
    ),
    path("ceremony/<int:ceremony>/badges.pdf", views.BadgesView.as_view(), name="ceremony-badges"),
    path(
        "ceremony/<int:ceremony>/table-cards.pdf",
        views.TableCardsView.as_view(),
        name="ceremony-table-cards",
    ),
    path(
        "ceremony/<int:ceremony>/remind/", views.GuestRemindView.as_view(), name="ceremony-remind"
    ),
    path(
        "ceremony/<int:ceremony>/remind-areas/",
        views.QuotaRemindView.as_view(),
        name="ceremony-remind-areas",
    ),
    path(
        "ceremony/<int:ceremony>/areas/<int:area>/",
        views.DelegationView.as_view(),
        name="ceremony-delegation",
    ),
    path("ceremony/guests/<int:pk>/remove/", views.GuestRemoveView.as_view(), name="guest-remove"),
    path("exhibits/", views.ExhibitListView.as_view(), name="exhibit-list"),
    path("exhibits/new/", views.ExhibitCreateView.as_view(), name="exhibit-create"),
    path("exhibits/<int:pk>/", views.ExhibitDetailView.as_view(), name="exhibit-detail"),
    path("exhibits/<int:pk>/media/", views.ExhibitMediaUploadView.as_view(), name="exhibit-media"),
    path(
        "exhibit-media/<uuid:key>/",
        views.ExhibitMediaFileView.as_view(),
        name="exhibit-media-file",
    ),
    path(
        "exhibit-media/<uuid:key>/thumb.jpg",
        views.ExhibitMediaFileView.as_view(thumbnail=True),
        name="exhibit-media-thumbnail",
    ),
    path(
        "exhibit-media/<uuid:key>/delete/",
        views.ExhibitMediaDeleteView.as_view(),
        name="exhibit-media-delete",
    ),
    path(
        "exhibits/<int:pk>/transitions/",
        views.ExhibitTransitionView.as_view(),
        name="exhibit-transition",
    ),
    path("ceremony/<int:ceremony>/jury/", jury.JuryView.as_view(), name="jury"),
    path("ceremony/<int:ceremony>/jury/jurors/", jury.JurorAddView.as_view(), name="jury-jurors"),
    path("ceremony/jurors/<int:pk>/remove/", jury.JurorRemoveView.as_view(), name="juror-remove"),
    path("ceremony/<int:ceremony>/jury/assign/", jury.JuryAssignView.as_view(), name="jury-assign"),
    path("ceremony/<int:ceremony>/jury/close/", jury.JuryCloseView.as_view(), name="jury-close"),
    path(
        "ceremony/<int:ceremony>/jury/results/",
        jury.JuryResultsView.as_view(),
        name="jury-results",
    ),
    path("ceremony/<int:ceremony>/jury/decide/", jury.JuryDecideView.as_view(), name="jury-decide"),
    path("scoring/", jury.MyScoringView.as_view(), name="my-scoring"),
    path("scoring/<int:pk>/", jury.ScoreView.as_view(), name="score"),
]
