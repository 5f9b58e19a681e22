from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views import View


class HealthView(View):
    """``/healthz`` for load balancers: 200 when the database answers, 503 when it does not.

    The cache is reported but does not fail the check: pages still work without it.
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
