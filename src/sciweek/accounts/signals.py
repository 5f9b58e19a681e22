"""Failed logins go to the audit log (the user name, never the password tried)."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from sciweek.audit import writer as audit


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(actor=None, action="auth.login_failed", object_repr=username)
