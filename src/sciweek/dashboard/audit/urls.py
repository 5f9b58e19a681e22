from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("Audit log"),
        "dashboard:audit-list",
        nav="audit",
        order=110,
        permission="audit.view_auditentry",
        more=True,
    ),
)

urlpatterns = [
    path("audit/", views.AuditListView.as_view(), name="audit-list"),
]
