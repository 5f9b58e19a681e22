from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..menu import MenuEntry
from . import views

MENU = (
    MenuEntry(
        _("Organisations"),
        "dashboard:organization-list",
        nav="organizations",
        order=100,
        permission="organizations.view_organization_tree",
        more=True,
    ),
)

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/new/",
        views.OrganizationEditView.as_view(),
        name="organization-create",
    ),
    path(
        "organizations/<int:pk>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "organizations/<int:pk>/edit/",
        views.OrganizationEditView.as_view(),
        name="organization-edit",
    ),
    path(
        "organizations/<int:pk>/members/add/",
        views.MembershipAddView.as_view(),
        name="membership-add",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/delete/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path(
        "organizations/<int:pk>/invitations/",
        views.InvitationCreateView.as_view(),
        name="invitation-create",
    ),
    path(
        "organizations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path(
        "organizations/<int:pk>/contacts/add/",
        views.ContactAddView.as_view(),
        name="contact-add",
    ),
    path(
        "organizations/<int:pk>/contacts/<int:contact_pk>/edit/",
        views.ContactEditView.as_view(),
        name="contact-edit",
    ),
    path(
        "organizations/<int:pk>/contacts/<int:contact_pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact-delete",
    ),
]
