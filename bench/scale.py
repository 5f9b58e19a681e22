"""Every list at 1,000, 10,000 and 100,000 activities: latency, query counts and growth.

    uv run python bench/scale.py                      # ~6-10 min; prints one JSON line

What it does, and undoes at the end:

1. creates a fresh PostgreSQL database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/sciweek_bench_scale``; dropped first if it exists) and
   migrates it;
2. serves the app under gunicorn as ``deploy/gunicorn.conf.py`` configures it (``gthread``,
   ``--workers`` 4 × ``--threads`` 4, ``forwarded_allow_ips`` loopback) in the production
   profile (``SCIWEEK_PROFILE=production``, ``DEBUG=0``, random ``SECRET_KEY`` and
   ``SCIWEEK_DATA_KEY``, Redis cache at ``REDIS_URL``, default ``redis://127.0.0.1:6379/12``,
   ``DB_CONN_MAX_AGE=60``) on a free loopback port; every request carries
   ``X-Forwarded-Proto: https`` as nginx sends it;
3. for each size in ``--sizes`` (default 1000,10000,100000) grows the data with
   ``bench.bulk.generate`` to that many activities (and ``--bookings-per-activity`` × as many
   bookings: 1,000,000 at 100,000), then for every list — public ``/``, ``/activities/``
   (plain, by area, by category, searched, bookable, page 5), an area's page, ``/calendar/``,
   ``/sitemap.xml`` and its activities page, ``/api/v1/activities/``; back office
   ``/office/activities/`` and the review queues as ``organizer``, ``area-zhangdian`` and
   ``unit-zhangdian`` — times ``--requests`` sequential requests (the Redis cache flushed
   before each anonymous one, so every figure is a cache miss: what a list costs) and counts the
   queries of one request in-process (``CaptureQueriesContext`` on the same database);
4. prints one JSON line: per size and page p50/p99 (ms), queries and bytes; per page the growth
   ratio of p50 from 10,000 to 100,000 (target ≤ 2) and from 1,000 to 10,000; whether the
   target is met; the configuration (profile, processes, database, cache, load average and
   CPUs of the machine before and after);
5. stops gunicorn, drops the database, flushes its Redis index.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import itertools
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from support import (  # bench/support.py, beside this script
    free_port,
    recreate_database,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_bench_scale"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
GROWTH_TARGET = 2.0
PASSWORD = "sciweek-demo"


def load() -> str:
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


class Browser:
    """One signed-in (or anonymous) HTTP/1.1 keep-alive client with cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        head = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "zh-hans",
        }
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head.update(headers or {})
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"username": username, "password": PASSWORD,
                          "csrfmiddlewaretoken": token})  # fmt: skip
        status, _ = self.request("POST", "/accounts/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "https://127.0.0.1/accounts/login/", "Origin": "https://127.0.0.1",
        })  # fmt: skip
        if status != 302:
            sys.exit(f"login as {username} answered {status}")


def pages(ids: dict) -> list[tuple[str, str | None, str]]:
    """(name, user or None, path)."""
    return [
        ("home", None, "/"),
        ("activities", None, "/activities/"),
        ("activities.area", None, f"/activities/?area={ids['area']}"),
        ("activities.category", None, f"/activities/?category={ids['category']}"),
        ("activities.search", None, "/activities/?q=%E5%BC%80%E6%94%BE%E6%97%A5"),  # 开放日
        ("activities.bookable", None, "/activities/?bookable=on"),
        ("activities.page5", None, "/activities/?page=5"),
        ("area_page", None, "/areas/zhangdian/"),
        ("calendar", None, "/calendar/"),
        ("sitemap", None, "/sitemap.xml"),
        ("sitemap.activities", None, "/sitemap-activities.xml"),
        ("api.activities", None, "/api/v1/activities/"),
        ("office.activities.organizer", "organizer", "/office/activities/"),
        ("office.review_city.organizer", "organizer", "/office/reviews/city/"),
        ("office.activities.area", "area-zhangdian", "/office/activities/"),
        ("office.review_area.area", "area-zhangdian", "/office/reviews/area/"),
        ("office.activities.unit", "unit-zhangdian", "/office/activities/"),
        ("api.activities.organizer", "organizer", "/api/v1/activities/"),
    ]


def count_queries(client_for, name, user, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_X_FORWARDED_PROTO="https")
    if response.status_code != 200:
        sys.exit(f"{name}: {path} answered {response.status_code} in-process")
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--bookings-per-activity", type=float, default=10.0)
    parser.add_argument("--sessions-per-activity", type=float, default=2.0)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    data_dir = tempfile.mkdtemp(prefix="sciweek-scale-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SCIWEEK_PROFILE": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SCIWEEK_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "SCIWEEK_DATA_DIR": data_dir,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "LOGIN_FAILURE_LIMIT": "1000",
        "DJANGO_SETTINGS_MODULE": "sciweek.settings",
    }
    os.environ.update(env)
    recreate_database(database_url)
    import django
    import redis

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cache = redis.Redis.from_url(redis_url)
    cache.flushdb()

    from bench.bulk import generate

    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "sciweek.wsgi:application",
        "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads),
        "--access-logfile", "/dev/null",
    ]  # fmt: skip
    server = None
    load_before = load()
    results: dict[str, dict] = {}
    generated = {}
    try:
        server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        have = 0
        for size in sizes:
            started = time.perf_counter()
            figures = generate(
                activities=size - have,
                sessions_per_activity=args.sessions_per_activity,
                bookings=int((size - have) * args.bookings_per_activity),
                seed=size,
            )
            have = size
            generated[size] = {"seconds": round(time.perf_counter() - started, 1),
                               "bookings": figures["bookings"],
                               "sessions": figures["sessions"]}  # fmt: skip
            from sciweek.activities.models import Activity
            from sciweek.bookings.models import Booking
            from sciweek.organizations.models import Organization

            total = Activity.objects.count()
            generated[size]["activities_total"] = total
            generated[size]["bookings_total"] = Booking.objects.count()
            area = Organization.objects.get(slug="zhangdian")
            category = Activity.objects.filter(first_start__isnull=False).first().category_id
            ids = {"area": area.pk, "category": category}
            wait_until_serving(port, server, workers=args.workers)
            clients: dict = {}

            def client_for(user, clients=clients):
                if user not in clients:
                    clients[user] = Client(SERVER_NAME="127.0.0.1")
                    if user:
                        clients[user].login(username=user, password=PASSWORD)
                return clients[user]

            browsers: dict = {}
            row = {}
            for name, user, path in pages(ids):
                if user not in browsers:
                    browsers[user] = Browser(port)
                    if user:
                        browsers[user].login(user)
                browser = browsers[user]
                queries = count_queries(client_for, name, user, path)
                cache.flushdb()
                browser.request("GET", path)  # warm the worker's code paths, not the data
                times, size_bytes = [], 0
                for _ in range(args.requests):
                    if user is None:
                        cache.flushdb()
                    t0 = time.perf_counter()
                    status, body = browser.request("GET", path)
                    times.append((time.perf_counter() - t0) * 1000)
                    if status != 200:
                        sys.exit(f"{name}: {path} answered {status} at {size}")
                    size_bytes = len(body)
                times.sort()
                row[name] = {
                    "p50": round(statistics.median(times), 1),
                    "p99": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
                    "queries": queries,
                    "bytes": size_bytes,
                }
                print(f"{size:>7} {name:<32} p50 {row[name]['p50']:>8} ms  "
                      f"p99 {row[name]['p99']:>8} ms  q {queries:>3}  {size_bytes:>8} B",
                      file=sys.stderr, flush=True)  # fmt: skip
            results[str(size)] = row
        growth = {}
        worst = 0.0
        for name, _, _ in pages({"area": 0, "category": 0}):
            ratios = {}
            for a, b in itertools.pairwise(sizes):
                pa, pb = results[str(a)][name]["p50"], results[str(b)][name]["p50"]
                ratios[f"{a}->{b}"] = round(pb / pa, 2) if pa else None
                if (a, b) == (10000, 100000) and pa:
                    worst = max(worst, pb / pa)
            growth[name] = ratios
        print(json.dumps({
            "bench": "scale",
            "sizes": sizes,
            "pages": results,
            "growth_p50": growth,
            "worst_growth_10k_100k": round(worst, 2),
            "target": f"every page p50 grows <= {GROWTH_TARGET}x from 10,000 to 100,000",
            "target_met": worst <= GROWTH_TARGET if 100000 in sizes and 10000 in sizes else None,
            "generated": generated,
            "config": {
                "profile": "production", "debug": False,
                "server": f"gunicorn gthread {args.workers} workers x {args.threads} threads "
                          "(deploy/gunicorn.conf.py), loopback, X-Forwarded-Proto https",
                "database": "PostgreSQL " + _pg_version() + ", DB_CONN_MAX_AGE=60",
                "cache": f"Redis {redis_url} (flushed before every anonymous request: misses)",
                "requests_per_page": args.requests, "client": "sequential, keep-alive",
                "bookings_per_activity": args.bookings_per_activity,
                "sessions_per_activity": args.sessions_per_activity,
                "cpus": os.cpu_count(), "load_before": load_before, "load_after": load(),
            },
        }, ensure_ascii=False))  # fmt: skip
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(database_url, drop_only=True)
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(redis_url).flushdb()


def _pg_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
