from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("API clients"),
        "dashboard:api-client-list",
        nav="api-clients",
        order=116,
        permission="integrations.view_integrations",
        more=True,
    ),
    MenuEntry(
        _("Webhooks"),
        "dashboard:webhook-list",
        nav="webhooks",
        order=117,
        permission="integrations.view_integrations",
        more=True,
    ),
)

urlpatterns = [
    path("integrations/clients/", views.ApiClientListView.as_view(), name="api-client-list"),
    path(
        "integrations/clients/new/", views.ApiClientCreateView.as_view(), name="api-client-create"
    ),
    path(
        "integrations/clients/<int:pk>/revoke/",
        views.ApiClientRevokeView.as_view(),
        name="api-client-revoke",
    ),
    path("integrations/webhooks/", views.WebhookListView.as_view(), name="webhook-list"),
    path("integrations/webhooks/new/", views.WebhookFormView.as_view(), name="webhook-create"),
    path("integrations/webhooks/<int:pk>/", views.WebhookFormView.as_view(), name="webhook-edit"),
    path(
        "integrations/webhooks/<int:pk>/deliveries/",
        views.WebhookDeliveriesView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "integrations/deliveries/<int:pk>/send-again/",
        views.WebhookSendAgainView.as_view(),
        name="webhook-send-again",
    ),
]
