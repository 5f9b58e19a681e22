"""Limits on signed-in sessions, and no caching of private pages.

A session ends after ``SESSION_IDLE_TIMEOUT`` seconds without a request and, however busy,
``SESSION_ABSOLUTE_LIFETIME`` seconds after sign-in: office computers are shared and left open.
The last-seen time is written at most once a minute, so a busy officer does not cost a session
write per request.

Pages of the back office, the admin and the account pages answer ``Cache-Control: private,
no-store``: they show personal data and must stay out of shared and browser caches.

With ``TWO_FACTOR_REQUIRED_FOR_ADMINS`` an administrator signed in without a second factor is sent
to set it up before the back office or the admin opens.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import two_factor

SIGNED_IN_AT = "sciweek_signed_in_at"
LAST_SEEN_AT = "sciweek_last_seen_at"
# Seconds between two writes of the last-seen time.
LAST_SEEN_RESOLUTION = 60
PRIVATE_PREFIXES = ("/office/", "/accounts/", "/admin/")
# Where an administrator without two-factor sign-in is stopped when TWO_FACTOR_REQUIRED_FOR_ADMINS.
TWO_FACTOR_GUARDED = ("/office/", "/admin/")


def note_sign_in(request) -> None:
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionLimitsMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.enforce_limits(request)
        if (
            request.user.is_authenticated
            and request.path.startswith(TWO_FACTOR_GUARDED)
            and two_factor.must_set_up(request.user)
        ):
            return redirect("accounts:two-factor")
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def enforce_limits(request) -> None:
        session = request.session
        now = int(time.time())
        # A session from before these limits existed starts counting now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.setdefault(LAST_SEEN_AT, now)
        if (
            now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME
            or now - last_seen_at > settings.SESSION_IDLE_TIMEOUT
        ):
            logout(request)
            messages.info(
                request, _("For your security you were signed out. Please sign in again.")
            )
            return
        if now - last_seen_at >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now
