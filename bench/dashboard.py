"""The organiser's dashboard at national scale: p50/p99 and query counts of the dashboard page,
the statistics API and the city's activity list, at two sizes, under gunicorn (production profile).

    uv run python bench/dashboard.py                    # 1,000 then 100,000 activities; ~10 min

For each size (``--sizes 1000,100000``; sessions ×3, bookings ×10 of the activities):

1. creates a fresh PostgreSQL database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/sciweek_dashboard_bench``; dropped first), migrates it
   and fills it with ``bench/bulk.py``'s ``generate`` (the demo's organisations, accounts and
   editions, then the activities, sessions and bookings written with COPY); checks in 30 % of
   the confirmed bookings (one UPDATE, at their session's start) so check-in figures are real;
   ``ANALYZE``;
2. counts the queries of each page in-process (Django's test client, the same database);
3. serves the app with gunicorn (``SCIWEEK_PROFILE=production``, ``DEBUG`` off, ``--workers``
   sync workers, loopback, ``X-Forwarded-Proto: https`` as nginx would send) and requests each
   page ``--requests`` times one after another (after ``--warmup`` requests) as the organiser
   (a signed-in session cookie) or with the organiser's API token:
   ``/office/dashboard/``, ``/api/v1/statistics/``, ``/office/activities/``;
4. prints one JSON line per size with p50/p99 (ms), the query counts, the machine's load
   (``/proc/loadavg`` before and after) and whether the targets are met (dashboard p99 ≤ 500 ms;
   the same query count at every size is checked on the last line).

Loopback only; bounded by ``--requests``; drops its database at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from support import (  # bench/support.py, beside this script
    free_port,
    load_average,
    recreate_database,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_dashboard_bench"
P99_TARGET_MS = 500.0
PAGES = {
    "dashboard": "/office/dashboard/",
    "statistics_api": "/api/v1/statistics/",
    "activity_list": "/office/activities/",
}


def fill(activities: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bulk import generate

    written = generate(activities=activities, sessions_per_activity=3.0, bookings=activities * 10)
    with connection.cursor() as cursor:
        # A third of the confirmed bookings checked in at their session's start.
        cursor.execute(
            """UPDATE bookings_booking b SET checked_in_at = s.starts_at
               FROM activities_session s
               WHERE b.session_id = s.id AND b.status = 'confirmed' AND b.id % 10 < 3"""
        )
        written["checked_in"] = cursor.rowcount
        cursor.execute("ANALYZE")
    return written


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from sciweek.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("rules.")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = store[LAST_SEEN_AT] = int(time.time()) + 3600
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def api_token(username: str) -> str:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username=username)
    return Token.objects.get_or_create(user=user)[0].key


def query_counts(username: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(get_user_model().objects.get(username=username))
    counts = {}
    for name, path in PAGES.items():
        client.get(path, secure=True)  # the first request fills per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        counts[name] = len(captured.captured_queries)
    return counts


def timed(port: int, path: str, headers: dict, n: int, warmup: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    samples = []
    for i in range(warmup + n):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
        if i >= warmup:
            samples.append(elapsed)
    conn.close()
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 1),
        "max_ms": round(samples[-1], 1),
        "requests": len(samples),
        "bytes": len(body),
    }


def run_size(args, activities: int, env: dict, database_url: str) -> dict:
    from django.db import connections

    recreate_database(database_url)
    started = time.perf_counter()
    written = fill(activities)
    result = {
        "bench": "dashboard",
        "activities": written.get("activities", activities),
        "sessions": written.get("sessions"),
        "bookings": written.get("bookings"),
        "checked_in": written.get("checked_in"),
        "load_s": round(time.perf_counter() - started, 1),
    }
    result["queries"] = query_counts("organizer")
    cookie = session_cookie("organizer")
    token = api_token("organizer")
    connections.close_all()
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "sciweek.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
        "--log-level", "warning", "--timeout", "120", "--preload",
    ]  # fmt: skip
    gunicorn = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        wait_until_serving(port, gunicorn, workers=args.workers)
        result["load_before"] = load_average()
        base_headers = {"X-Forwarded-Proto": "https", "Host": "localhost"}
        for name, path in PAGES.items():
            headers = dict(base_headers)
            if name == "statistics_api":
                headers["Authorization"] = f"Token {token}"
            else:
                headers["Cookie"] = cookie
            result[name] = timed(port, path, headers, args.requests, args.warmup)
        result["load_after"] = load_average()
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()
    result["config"] = (
        f"SCIWEEK_PROFILE=production, gunicorn {args.workers} sync workers, PostgreSQL, "
        f"cache {'Redis' if env.get('REDIS_URL') else 'local memory'}, "
        f"{os.cpu_count()} cores"
    )
    result["target_met"] = result["dashboard"]["p99_ms"] <= P99_TARGET_MS
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    data_dir = Path(tempfile.mkdtemp(prefix="sciweek-bench-dashboard-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCIWEEK_DATA_DIR": str(data_dir),
        "SCIWEEK_PROFILE": "production",
        "SECRET_KEY": "bench-" + "x" * 40,
        "SCIWEEK_DATA_KEY": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
        "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sciweek.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    results = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            result = run_size(args, size, env, database_url)
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        same = len({json.dumps(r["queries"], sort_keys=True) for r in results}) == 1
        print(json.dumps({"bench": "dashboard.summary", "same_query_counts": same,
                          "queries": [r["queries"] for r in results],
                          "dashboard_p99_ms": [r["dashboard"]["p99_ms"] for r in results],
                          "targets_met": same and all(r["target_met"] for r in results)}))  # fmt: skip
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(database_url, drop_only=True)


if __name__ == "__main__":
    main()
