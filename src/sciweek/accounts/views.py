from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View

from sciweek.common.errors import ServiceError
from sciweek.organizations.models import Invitation
from sciweek.organizations.services import invitation_accept

from .forms import InvitationAcceptForm, OutboxPasswordResetForm, ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboard:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class InvitationAcceptView(View):
    """The one-time link from an invitation email: set a user name and password, or, when
    already signed in, add the role to the current account."""

    template_name = "accounts/invitation_accept.html"

    def _invitation(self, token):
        return get_object_or_404(Invitation.objects.select_related("organization"), token=token)

    def get(self, request, token):
        invitation = self._invitation(token)
        return render(
            request, self.template_name, {"invitation": invitation, "form": InvitationAcceptForm()}
        )

    def post(self, request, token):
        invitation = self._invitation(token)
        if request.user.is_authenticated:
            form = None
            username = password = ""
        else:
            form = InvitationAcceptForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    self.template_name,
                    {"invitation": invitation, "form": form},
                    status=400,
                )
            username, password = form.cleaned_data["username"], form.cleaned_data["password1"]
        try:
            user = invitation_accept(
                invitation=invitation,
                username=username,
                password=password,
                user=request.user if request.user.is_authenticated else None,
            )
        except ServiceError as exc:
            messages.error(request, exc.messages[0])
            return render(
                request,
                self.template_name,
                {"invitation": invitation, "form": form or InvitationAcceptForm()},
                status=400,
            )
        if not request.user.is_authenticated:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome. You now belong to %(org)s.") % {"org": invitation.organization.name},
        )
        return redirect("dashboard:home")
