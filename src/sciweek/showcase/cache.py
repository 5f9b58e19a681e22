"""Whole-page caching of the public site for anonymous visitors, with an ETag.

A page's key is made of what decides its content and nothing else: the host, the path, the
page's *recognised* parameters (each page declares them with a normaliser; unknown parameters and
invalid values are dropped, the rest put in one order, free text bounded), the local date, the
language, and the tokens of the page's *tags*. The view itself renders from the same normalised
parameters (``request.GET`` is replaced), so a key always holds the page its parameters render,
and junk in a query string can neither add a key nor show up in a page. Pages with parameters are
stored within an hourly budget (searches a smaller one), so even valid combinations cannot fill
the cache; beyond it they are rendered, not stored.

A tag names what a page shows (``activity:7``, ``area:3``, ``lists``, ``home``, ``calendar``…).
A change replaces the tokens of the tags it touches (``showcase/receivers.py``), which makes
exactly the pages showing it fresh; every key also carries the ``site`` tag, which changes of
what every page shows (an edition, an organisation, a category) replace.

Tokens live in the shared cache (Redis in production), read on every request in one round trip,
so every worker sees a change on its next request. Pages are kept in the shared cache and, once
read, in a small per-process store keyed by the same key: a hit costs one small cache read
instead of fetching and unpickling the whole page again.

When the shared cache is unreachable there are no tokens every worker agrees on, so nothing is
cached or served from the cache: every page is rendered from the database until the cache is back.

The key carries the (validated) host, so a page is only ever served for a host in ALLOWED_HOSTS,
and a page rendered for one host name is never served for another. Signed-in users are never
served a cached page (``showcase/fragments.py`` caches the parts of lists they share).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from sciweek.activities.enums import Audience, Mode

TAG_PREFIX = "showcase:tag:"
SITE = "site"
GENERATION_KEY = TAG_PREFIX + SITE
PAGE_TIMEOUT = 60 * 60
BROWSER_MAX_AGE = 60
MESSAGES_COOKIE = CookieStorage.cookie_name
# Pages each process keeps in memory (a few hundred pages of 5-50 KB).
LOCAL_PAGES = 256
# Pages with parameters stored per hour (all processes together), and of those with a search.
FILTERED_PAGES_PER_HOUR = 5000
SEARCH_PAGES_PER_HOUR = 500
# The public search box's limit (PublicFilterForm.q).
SEARCH_LENGTH = 60

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


# Normalisers of recognised parameters: the canonical value, or None to drop it. Each agrees
# with how the page's view reads the value, so dropping or rewriting never changes the page.


def text(value: str) -> str | None:
    return " ".join(value.split())[:SEARCH_LENGTH] or None


def positive_id(value: str) -> str | None:
    value = value.strip()
    return str(int(value)) if value.isdigit() and len(value) <= 9 and int(value) > 0 else None


def slug(value: str) -> str | None:
    value = value.strip()
    return value if re.fullmatch(r"[-a-zA-Z0-9_]{1,50}", value) else None


def page_number(value: str) -> str | None:
    # Page 1 is the page without the parameter.
    value = value.strip()
    return str(int(value)) if value.isdigit() and len(value) <= 5 and int(value) > 1 else None


def iso_date(value: str) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def flag(value: str) -> str | None:
    # forms.BooleanField: "false", "0" and "" are False, anything else True.
    return "on" if value.strip() and value.strip().lower() not in ("false", "0") else None


def one_of(choices: Iterable[str]) -> Callable[[str], str | None]:
    allowed = frozenset(choices)
    return lambda value: value if value in allowed else None


LIST_PARAMS = {
    "q": text,
    "area": positive_id,
    "category": positive_id,
    "audience": one_of(Audience.values),
    "mode": one_of(Mode.values),
    "date_from": iso_date,
    "date_to": iso_date,
    "bookable": flag,
    "page": page_number,
}


@dataclass(frozen=True)
class PageSpec:
    """What a cached page's content depends on: its recognised parameters and its tags (from
    the URL's keyword arguments and the normalised parameters)."""

    params: dict[str, Callable[[str], str | None]] = field(default_factory=dict)
    tags: Callable[[dict, dict], list[str]] = lambda kwargs, params: []

    def normalise(self, query: QueryDict) -> list[tuple[str, str]]:
        pairs = []
        for name in sorted(self.params):
            raw = query.get(name)
            value = self.params[name](raw) if raw is not None else None
            if value is not None:
                pairs.append((name, value))
        return pairs


def _new_token() -> str:
    return uuid.uuid4().hex


def tokens(tags: list[str]) -> list[str] | None:
    """The current token of each tag (in order), or None when the shared cache cannot keep them
    (it is unreachable)."""
    keys = [TAG_PREFIX + t for t in tags]
    found = cache.get_many(keys)
    result = []
    for key in keys:
        token = found.get(key)
        if token is None:
            # add() so that concurrent first requests agree on one token; when it fails and
            # there is still no token, the cache is not storing anything.
            token = _new_token()
            if not cache.add(key, token, None):
                token = cache.get(key)
            if token is None:
                return None
            found[key] = token
        result.append(token)
    return result


def generation() -> str | None:
    """The ``site`` token, or None when the shared cache cannot keep one."""
    found = tokens([SITE])
    return found[0] if found else None


def invalidate_tags(tags: Iterable[str]) -> None:
    """Make every page carrying one of ``tags`` fresh (its key changes)."""
    tags = set(tags)
    if tags:
        cache.set_many({TAG_PREFIX + t: _new_token() for t in tags}, None)


def invalidate() -> None:
    """Make every page fresh."""
    invalidate_tags([SITE])
    # Entries of the older site token can never be hit again; free them.
    with _local_lock:
        _local_pages.clear()


def _page_key(request, spec: PageSpec, kwargs: dict, language: str | None = None):
    """(key, canonical parameters) of the page, or (None, parameters) when pages cannot be cached
    right now. ``get_host()`` raises DisallowedHost (a 400) for a host outside ALLOWED_HOSTS."""
    host = request.get_host()
    params = spec.normalise(request.GET)
    found = tokens([SITE, *spec.tags(kwargs, dict(params))])
    if found is None:
        return None, params
    digest = hashlib.sha256(
        f"{host}{request.path}?{urlencode(params)}|{':'.join(found)}".encode()
    ).hexdigest()[:32]
    language = language or get_language()
    # The local date is part of the key: "today", the countdown and "bookable" move at midnight.
    return f"showcase:page:{timezone.localdate():%Y%m%d}:{language}:{digest}", params


def _within_budget(params: list[tuple[str, str]]) -> bool:
    """Whether one more page with these parameters may be stored this hour."""
    if not params:
        return True
    hour = timezone.now().strftime("%Y%m%d%H")
    budgets = [("filtered", FILTERED_PAGES_PER_HOUR)]
    if any(name == "q" for name, _ in params):
        budgets.append(("search", SEARCH_PAGES_PER_HOUR))
    for kind, limit in budgets:
        key = f"showcase:budget:{kind}:{hour}"
        cache.add(key, 0, 2 * 60 * 60)
        try:
            if cache.incr(key) > limit:
                return False
        except ValueError:  # the counter expired or the cache lost it: do not store
            return False
    return True


def store_within_budget(request) -> bool:
    """For a fragment of the current page: whether it may be stored (see ``_within_budget``)."""
    return _within_budget(getattr(request, "showcase_params", []))


def _lookup(key: str) -> dict | None:
    stored = _local_get(key)
    if stored is None:
        stored = cache.get(key)
        if stored is not None:
            _local_put(key, stored)
    return stored


def _canonical(request, params: list[tuple[str, str]]) -> None:
    """Let the view see only the recognised parameters, as the key has them."""
    query = urlencode(params)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def cached_public_page(view, *, params: dict | None = None, tags=None):
    """Wrap a public view function (use ``method_decorator`` on class-based views). ``params``:
    the parameters the page reads, each with its normaliser; ``tags(kwargs, params)``: what the
    page shows (see the module's docstring)."""
    spec = PageSpec(params=params or {}, tags=tags or (lambda kwargs, params: []))

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key, canonical = _page_key(request, spec, kwargs)
        _canonical(request, canonical)
        # For showcase_fragment: the parts of this page signed-in visitors share.
        request.showcase_key, request.showcase_params = key, canonical
        if (
            key is None
            or request.method not in ("GET", "HEAD")
            or MESSAGES_COOKIE in request.COOKIES
            or request.user.is_authenticated
        ):
            # A visitor with a flash message waiting gets (and must not store) a page of their own.
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
            if not _within_budget(canonical):
                return _from_stored(request, stored)
            cache.set(key, stored, PAGE_TIMEOUT)
            _local_put(key, stored)
        # For PublicPageCacheMiddleware: this response is the cached page ``key``.
        request._showcase_page = (key, stored)
        return _from_stored(request, stored)

    wrapped.showcase_page = spec
    return wrapped


def _from_stored(request, stored: dict) -> HttpResponse:
    response = get_conditional_response(request, etag=stored["etag"])
    if response is None:
        response = HttpResponse(stored["content"], content_type=stored["content_type"])
        for header, value in stored["extra"].items():
            response[header] = value
    response["ETag"] = stored["etag"]
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


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
            key = self.key(request)
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
    def key(request) -> str | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        spec = getattr(match.func, "showcase_page", None)
        if spec is None:
            return None
        language = translation.get_language_from_request(request)
        return _page_key(request, spec, match.kwargs, language)[0]

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
        response.from_page_cache = True  # for the request metrics: answered without a view
        return response
