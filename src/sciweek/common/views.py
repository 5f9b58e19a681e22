from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View


class HealthView(View):
    """``/healthz`` for load balancers: 200 when the database answers, 503 when it does not.

    The cache is reported but does not fail the check: pages, sessions and bookings work without
    it. Its probe is bounded by the cache's socket timeouts (``CACHE_SOCKET_TIMEOUT``), so the
    answer comes within about two of them even when Redis hangs.
    """

    def get(self, request):
        database = cache_status = "ok"
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as exc:
            database = f"error: {type(exc).__name__}"
        try:
            probe = getattr(cache, "probe", None)
            if probe is not None:
                # The resilient Redis cache answers misses instead of raising; ask it directly.
                probe()
            else:
                cache.set("healthz", "1", 5)
                if cache.get("healthz") != "1":
                    cache_status = "error: value not kept"
        except Exception as exc:
            cache_status = f"error: {type(exc).__name__}"
        healthy = database == "ok"
        return JsonResponse(
            {"status": "ok" if healthy else "error", "database": database, "cache": cache_status},
            status=200 if healthy else 503,
            headers={"Cache-Control": "no-store"},
        )


class LanguageView(View):
    """Switch language with a plain link (``/i18n/en/?next=/activities/``).

    A GET, unlike Django's POST-only ``set_language``, so public pages carry no CSRF token and
    can be cached whole for every visitor. Choosing a language only sets a preference cookie.
    """

    def get(self, request, code):
        if code not in dict(settings.LANGUAGES):
            raise Http404
        next_url = request.GET.get("next", "/")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        response = HttpResponseRedirect(next_url)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
