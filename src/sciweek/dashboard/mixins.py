"""View helpers shared by the back office."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rules.contrib.views import PermissionRequiredMixin


class OfficeMixin(LoginRequiredMixin):
    """Every back-office page. ``nav`` names the menu entry to highlight."""

    nav = ""

    def handle_no_permission(self):
        # Anonymous users are sent to sign in; signed-in users without the right get 403.
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(
            self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = self.nav
        return context


class OfficePermissionMixin(OfficeMixin, PermissionRequiredMixin):
    """A back-office page guarded by a rules permission (object-level via ``get_permission_object``)."""
