"""Organisation management pages (to be completed: tree, edit, members, invitations)."""

from django.http import Http404
from django.views import View

from ..mixins import OfficeMixin


class _Pending(OfficeMixin, View):
    def get(self, request, *args, **kwargs):
        raise Http404


OrganizationListView = OrganizationEditView = OrganizationDetailView = _Pending
MembershipRemoveView = InvitationCreateView = InvitationRevokeView = _Pending
