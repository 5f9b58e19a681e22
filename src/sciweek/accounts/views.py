import time
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from sciweek.common.errors import ServiceError
from sciweek.common.requestlocal import client_ip
from sciweek.organizations.models import Invitation
from sciweek.organizations.services import invitation_accept

from . import throttle, tokens, two_factor
from .forms import (
    InvitationAcceptForm,
    OutboxPasswordResetForm,
    ThrottledAuthenticationForm,
    TwoFactorForm,
)


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
    """Rate-limited per address and per typed email, and answering in (nearly) constant time:
    every accepted request takes at least PASSWORD_RESET_MIN_SECONDS, so how long the answer takes
    does not tell whether the address has an account (only then is a mail rendered and queued)."""

    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        started = time.monotonic()
        until = throttle.password_reset_refused_until(
            form.cleaned_data["email"], client_ip(self.request)
        )
        if until is not None:
            form.add_error(None, throttle.password_reset_refused_message(until))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().form_valid(form)
        time.sleep(max(0.0, settings.PASSWORD_RESET_MIN_SECONDS - (time.monotonic() - started)))
        return response


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


class ApiTokenView(LoginRequiredMixin, View):
    """The signed-in user's own API token: when it was issued and expires, and a button to revoke
    it. Administrators revoke anyone's in the site admin (Auth Token)."""

    template_name = "accounts/api_token.html"

    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        if token is not None and tokens.is_expired(token):
            token = None
        return render(
            request,
            self.template_name,
            {"token": token, "expires_at": tokens.expires_at(token) if token else None},
        )

    def post(self, request):
        if tokens.token_revoke(user=request.user, by=request.user):
            messages.success(request, _("Your API token has been revoked."))
        return redirect("accounts:api-token")


class TwoFactorView(LoginRequiredMixin, View):
    """Turn TOTP two-factor sign-in on (scan the QR code, confirm with a code) or off (with a
    current code)."""

    template_name = "accounts/two_factor.html"

    def context(self, request, form):
        device = two_factor.confirmed_device(request.user)
        context = {"form": form, "enabled": device is not None}
        if device is None:
            pending = two_factor.pending_device(request.user)
            context["qr"] = segno.make(pending.config_url, error="m").png_data_uri(scale=4)
            context["key"] = b32encode(pending.bin_key).decode()
        return context

    def get(self, request):
        return render(request, self.template_name, self.context(request, TwoFactorForm()))

    def post(self, request):
        form = TwoFactorForm(request.POST)
        if form.is_valid():
            enabled = two_factor.confirmed_device(request.user) is not None
            code = form.cleaned_data["code"]
            if not enabled:
                device = two_factor.pending_device(request.user)
                if device.verify_token(code):
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    django_otp.login(request, device)
                    messages.success(request, _("Two-factor sign-in is on."))
                    return redirect("accounts:two-factor")
            elif two_factor.verified_device(request.user, code) is not None:
                TOTPDevice.objects.filter(user=request.user).delete()
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two-factor")
            form.add_error("code", _("Enter the current code from your authenticator app."))
        return render(request, self.template_name, self.context(request, form), status=400)
