"""Failed logins go to the audit log (the user name, never the password tried); a sign-in
starts the session's clock."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from sciweek.audit import writer as audit

from .middleware import note_sign_in


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(actor=None, action="auth.login_failed", object_repr=username)


@receiver(user_logged_in)
def start_session_clock(sender, request=None, user=None, **kwargs):
    # The idle and absolute session limits (SessionLimitsMiddleware) count from here.
    if request is not None and hasattr(request, "session"):
        note_sign_in(request)
