from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from sciweek.common.requestlocal import client_ip
from sciweek.notifications.services import queue_email

from . import throttle, two_factor


class LockoutMixin(forms.Form):
    """The shared sign-in lock-out (``throttle``) for an AuthenticationForm: a locked user name or
    address is refused before its password is even tested, and each failure counts. An account
    with two-factor sign-in also needs its current code; a wrong one is a failure too."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Only if you turned on two-factor sign-in."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        until = throttle.locked_until(username, ip)
        if until is not None:
            raise forms.ValidationError(throttle.locked_message(until), code="locked")
        try:
            cleaned = super().clean()
            self.check_second_factor()
        except forms.ValidationError:
            throttle.note_failure(username, ip)
            raise
        throttle.clear(username, ip)
        return cleaned

    def check_second_factor(self):
        user = self.get_user()
        if user is None or two_factor.confirmed_device(user) is None:
            return
        device = two_factor.verified_device(user, self.cleaned_data.get("otp_token", ""))
        if device is None:
            raise forms.ValidationError(
                _("Enter the current code from your authenticator app."), code="otp_invalid"
            )
        # django-otp marks the session verified when login() runs for a user carrying this.
        user.otp_device = device


class ThrottledAuthenticationForm(LockoutMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    pass


class TwoFactorForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class InvitationAcceptForm(forms.Form):
    """New account from an invitation: a user name and a password typed twice."""

    username = forms.CharField(label=_("User name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        field = get_user_model()._meta.get_field("username")
        for validator in field.validators:
            validator(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That user name is taken."), code="username_taken")
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        queue_email(
            kind="password_reset",
            to=[to_email],
            template="accounts/email/password_reset",
            context={key: value for key, value in context.items() if key != "user"}
            | {"username": context["user"].get_username()},
        )


__all__ = [
    "InvitationAcceptForm",
    "OutboxPasswordResetForm",
    "SetPasswordForm",
    "ThrottledAdminAuthenticationForm",
    "ThrottledAuthenticationForm",
    "TwoFactorForm",
]
