from django.http import Http404
from django.views import View

from ..mixins import OfficeMixin


class AuditListView(OfficeMixin, View):
    def get(self, request, *args, **kwargs):
        raise Http404
