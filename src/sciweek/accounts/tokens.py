"""API tokens expire ``API_TOKEN_LIFETIME`` seconds after they were issued, and can be revoked.

DRF's Token (one per user) keeps its ``created`` time; a token past its lifetime is refused by
``ExpiringTokenAuthentication`` and replaced by a fresh one the next time its user asks for one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from sciweek.audit import writer as audit


def expires_at(token: Token) -> datetime:
    return token.created + timedelta(seconds=settings.API_TOKEN_LIFETIME)


def is_expired(token: Token) -> bool:
    return timezone.now() >= expires_at(token)


def token_for(user) -> Token:
    """The user's token; a new one when they have none or theirs has expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not is_expired(token):
            return token
        if token is not None:
            token.delete()
        return Token.objects.create(user=user)


def token_revoke(*, user, by) -> bool:
    """Delete ``user``'s token; True when there was one. Side effect: an audit entry."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=by, action="auth.token_revoked", object_repr=user.get_username())
    return bool(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused once the token is past its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise AuthenticationFailed(
                _("The token has expired. Ask for a new one."), code="token_expired"
            )
        return user, token
