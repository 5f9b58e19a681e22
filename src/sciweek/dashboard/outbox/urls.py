from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("Outbox"),
        "dashboard:outbox-list",
        nav="outbox",
        order=115,
        permission="notifications.view_outboxmessage",
        more=True,
    ),
)

urlpatterns = [
    path("outbox/", views.OutboxListView.as_view(), name="outbox-list"),
    path("outbox/<int:pk>/retry/", views.OutboxRetryView.as_view(), name="outbox-retry"),
]
