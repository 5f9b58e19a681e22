from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
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
        database = "ok"
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as exc:
            database = f"error: {type(exc).__name__}"
        cache_status = _cache_status()
        healthy = database == "ok"
        return JsonResponse(
            {"status": "ok" if healthy else "error", "database": database, "cache": cache_status},
            status=200 if healthy else 503,
            headers={"Cache-Control": "no-store"},
        )


def _cache_status() -> str:
    try:
        probe = getattr(cache, "probe", None)
        if probe is not None:
            # The resilient Redis cache answers misses instead of raising; ask it directly.
            probe()
        else:
            cache.set("healthz", "1", 5)
            if cache.get("healthz") != "1":
                return "error: value not kept"
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


# Set once every migration is found applied: they are not unapplied under a running process
# (a deployment that adds some restarts it), and reading the migration graph costs ~0.1 s.
_readiness = {"migrations_applied": False}


def _migrations_status() -> str:
    if _readiness["migrations_applied"]:
        return "ok"
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"error: {len(pending)} unapplied"
    _readiness["migrations_applied"] = True
    return "ok"


class ReadinessView(View):
    """``/readyz`` for load balancers: may this node take traffic?

    200 when the database answers and every migration is applied; 503 otherwise, with each
    check's result, so a node started before ``migrate`` ran (or cut off from PostgreSQL) is kept
    out of rotation. The cache does not decide: pages, sessions, bookings and rate limits work
    without it (sciweek.common.cache), so a Redis outage answers 200 with ``"status":
    "degraded"`` instead of taking every node out at once.
    """

    def get(self, request):
        checks = {"database": "ok", "migrations": "skipped", "cache": _cache_status()}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        else:
            try:
                checks["migrations"] = _migrations_status()
            except Exception as exc:
                checks["migrations"] = f"error: {type(exc).__name__}"
        ready = checks["database"] == "ok" and checks["migrations"] == "ok"
        if not ready:
            status = "error"
        elif checks["cache"] != "ok":
            status = "degraded"
        else:
            status = "ok"
        return JsonResponse(
            {"status": status, **checks},
            status=200 if ready else 503,
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
