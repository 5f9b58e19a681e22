"""Whole-page caching of the public site for anonymous visitors, with an ETag.

Every cached page's key carries a generation token; any change to what public pages show (an
activity, its sessions or media, an edition, an organisation) replaces the token, so all pages
are fresh at once without tracking which page shows what. Signed-in users are never cached.

The token lives in the shared cache (Redis in production) and is read on every request, so every
worker sees a change on its next request. Pages themselves are kept in the shared cache and, once
read, in a small per-process store keyed by the same token: a hit costs one small cache read
instead of fetching and unpickling the whole page again.

When the shared cache is unreachable there is no token every worker agrees on, so nothing is cached
or served from the cache: every page is rendered from the database until the cache is back.

The key carries the (validated) host, so a page is only ever served for a host in ALLOWED_HOSTS,
and a page rendered for one host name is never served for another.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "showcase:generation"
PAGE_TIMEOUT = 60 * 60
BROWSER_MAX_AGE = 60
MESSAGES_COOKIE = CookieStorage.cookie_name
# Pages each process keeps in memory (a few hundred pages of 5-50 KB).
LOCAL_PAGES = 256

logger = logging.getLogger(__name__)

_local_pages: OrderedDict[str, dict] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> dict | None:
    with _local_lock:
        stored = _local_pages.get(key)
        if stored is not None:
            _local_pages.move_to_end(key)
        return stored


def _local_put(key: str, stored: dict) -> None:
    with _local_lock:
        _local_pages[key] = stored
        _local_pages.move_to_end(key)
        while len(_local_pages) > LOCAL_PAGES:
            _local_pages.popitem(last=False)


def generation() -> str | None:
    """The current token, or None when the shared cache cannot keep one (it is unreachable)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        # add() so that concurrent first requests agree on one token; when it fails and there is
        # still no token, the cache is not storing anything and pages must not be cached.
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY)
    return token


def invalidate() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    # Entries of older generations can never be hit again; free them.
    with _local_lock:
        _local_pages.clear()


def _key(request, language: str | None = None) -> str | None:
    """The page's cache key, or None when pages cannot be cached right now.

    ``get_host()`` raises DisallowedHost (a 400) for a host outside ALLOWED_HOSTS.
    """
    host = request.get_host()
    token = generation()
    if token is None:
        return None
    path = hashlib.sha256(f"{host}{request.get_full_path()}".encode()).hexdigest()[:32]
    language = language or get_language()
    # The local date is part of the key: "today", the countdown and "bookable" move at midnight.
    return f"showcase:page:{token}:{timezone.localdate():%Y%m%d}:{language}:{path}"


def _lookup(key: str) -> dict | None:
    stored = _local_get(key)
    if stored is None:
        stored = cache.get(key)
        if stored is not None:
            _local_put(key, stored)
    return stored


def cached_public_page(view):
    """Decorate a public view function (use ``method_decorator`` on class-based views)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or MESSAGES_COOKIE in request.COOKIES
            or request.user.is_authenticated
        ):
            # A visitor with a flash message waiting gets (and must not store) a page of their own.
            return view(request, *args, **kwargs)
        key = _key(request)
        if key is None:
            return view(request, *args, **kwargs)
        stored = _lookup(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            stored = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
                "extra": {h: response[h] for h in ("Content-Disposition",) if h in response},
            }
            cache.set(key, stored, PAGE_TIMEOUT)
            _local_put(key, stored)
        # For PublicPageCacheMiddleware: this response is the cached page ``key``.
        request._showcase_page = (key, stored)
        response = get_conditional_response(request, etag=stored["etag"])
        if response is None:
            response = HttpResponse(stored["content"], content_type=stored["content_type"])
            for header, value in stored["extra"].items():
                response[header] = value
        response["ETag"] = stored["etag"]
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped


class PublicPageCacheMiddleware:
    """Serve cached public pages to anonymous visitors before the rest of the middleware runs.

    Optional; place it right after WhiteNoise. ``cached_public_page`` stays the source of truth: it
    decides what is cached and renders; on the way out this middleware adds the final response
    headers (CSP, Vary, Content-Language, X-Frame-Options, …) to the stored page, and from then on
    answers repeat visits itself, without sessions, auth, CSRF or URL resolving. Only requests
    without a session cookie qualify (signed-in users always carry one) and without a pending
    flash message; the language comes from the same cookie and header LocaleMiddleware reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
        ):
            language = translation.get_language_from_request(request)
            key = _key(request, language)
            stored = _lookup(key) if key is not None else None
            if stored is not None and "headers" in stored:
                return self.replay(request, stored)
        response = self.get_response(request)
        page = getattr(request, "_showcase_page", None)
        if (
            page is not None
            and "headers" not in page[1]
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            key, stored = page
            full = {**stored, "headers": [(k, v) for k, v in response.items()]}
            cache.set(key, full, PAGE_TIMEOUT)
            _local_put(key, full)
        return response

    @staticmethod
    def replay(request, stored: dict) -> HttpResponse:
        response = get_conditional_response(request, etag=stored["etag"])
        if response is None:
            response = HttpResponse(stored["content"])
            for header, value in stored["headers"]:
                response.headers[header] = value
        else:
            for header, value in stored["headers"]:
                if header.lower() not in ("content-type", "content-length"):
                    response.headers[header] = value
        return response
