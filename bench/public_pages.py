"""Public pages under load: requests/s and p50/p99 latency at 32 connections, each page beside a
static file of the same size served by the same gunicorn in the same run.

    uv run python bench/public_pages.py            # ~90 s; prints one JSON line

What it does, and undoes at the end:

1. creates a fresh PostgreSQL database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/sciweek_bench``; dropped first if it exists), migrates it,
   loads the demo (organisations, editions, demo activities) and bulk-creates 10,000 published
   activities in the current edition, each with one session, a category and an audience;
2. renders ``/``, ``/activities/`` and one activity page once, and writes each page's exact bytes
   as a static file (``bench-home.html``…) into ``STATIC_ROOT``, so the static twin has the same
   size (and content) and is served by WhiteNoise inside the same gunicorn;
3. starts gunicorn on a free loopback port (``SCIWEEK_PROFILE`` development, ``DEBUG=0``, page
   cache in Redis ``REDIS_URL``, default ``redis://127.0.0.1:6379/13``, shared by the workers);
4. for each page: warm-up, then ``--duration`` seconds of the page and as long of its static
   twin at ``--connections`` connections, in ``--slices`` alternating slices (so that noise from
   other processes on a shared machine falls on both), with ``wrk`` when it is installed,
   otherwise a small Python keep-alive client (one process per core, asyncio); rps is the mean
   over the slices, p50 the median slice's, p99 the worst slice's;
5. prints one JSON line: per page rps, p50, p99 (ms) for page and static, and page/static ratios;
6. stops gunicorn, drops the database, deletes its Redis keys and its temporary data directory.

Loopback only; every run is bounded (``--duration`` per target plus warm-ups).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import re
import runpy
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

from support import (  # bench/support.py, beside this script
    free_port,
    load_average,
    recreate_database,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
ACTIVITIES = 10_000
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
EARLY_MIDDLEWARE = "sciweek.showcase.cache.PublicPageCacheMiddleware"
# Database ---------------------------------------------------------------------------------------


# Data -------------------------------------------------------------------------------------------


def load_data(count: int) -> None:
    """Migrate, load the demo, bulk-create ``count`` published activities in the current edition."""
    from datetime import datetime, timedelta
    from datetime import time as dtime

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from sciweek.activities.enums import Audience, Mode
    from sciweek.activities.models import Activity, AudienceTag, Category, Session
    from sciweek.campaigns.selectors import current_edition
    from sciweek.demo.loader import DemoLoader
    from sciweek.organizations.enums import OrganizationKind
    from sciweek.organizations.models import Organization

    DemoLoader().load()
    edition = current_edition()
    categories = list(Category.objects.filter(edition=edition).order_by("position"))
    hosts = list(
        Organization.objects.filter(kind=OrganizationKind.HOST_UNIT)
        .exclude(parent=None)
        .order_by("pk")
    )
    audiences = list(Audience.values)
    modes = list(Mode.values)
    days = (edition.end_date - edition.start_date).days + 1
    now = timezone.now()
    with transaction.atomic():
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    edition=edition,
                    host=hosts[i % len(hosts)],
                    area_id=hosts[i % len(hosts)].parent_id,
                    category=categories[i % len(categories)],
                    title=f"{categories[i % len(categories)].name}：科学探索活动第{i + 1}场",
                    summary="走进实验室，动手做实验，听科学家讲科学故事。",
                    description="面向公众开放，欢迎预约参加。\n\n现场有讲解和互动体验。",
                    mode=modes[i % len(modes)],
                    venue_name=f"科技馆第{i % 40 + 1}展厅",
                    address=f"张店区人民西路{i % 300 + 1}号",
                    contact_name="王老师",
                    contact_phone="13800138000",
                    confidentiality_checked=True,
                    booking_required=i % 3 == 0,
                    is_key=i % 500 == 0,
                    state="published",
                    state_changed_at=now,
                    submitted_at=now,
                    published_at=now,
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        sessions, tags = [], []
        for i, activity in enumerate(activities):
            day = edition.start_date + timedelta(days=i % days)
            start = timezone.make_aware(datetime.combine(day, dtime(8 + i % 10, 0)))
            sessions.append(
                Session(
                    activity=activity,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    capacity=50 + i % 200,
                )
            )
            tags.append(AudienceTag(activity=activity, audience=audiences[i % len(audiences)]))
        Session.objects.bulk_create(sessions, batch_size=2000)
        AudienceTag.objects.bulk_create(tags, batch_size=2000)
    call_command("collectstatic", interactive=False, verbosity=0)


def targets_of(activity_pk: int, area: int, category: int) -> dict[str, str]:
    return {
        "home": "/",
        "list": "/activities/",
        "list_filtered": f"/activities/?area={area}&category={category}",
        "list_searched": "/activities/?q=" + quote("科学探索"),
        "detail": f"/activities/{activity_pk}/",
        "calendar": "/calendar/",
    }


def write_static_twins(host: str, targets: dict[str, str]) -> dict[str, dict]:
    """Render each page once (same Host) and write its bytes as a static file: same size."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
    twins = {}
    for name, path in targets.items():
        response = client.get(path, secure=True)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code} before the run")
        static_name = f"bench-{name}-{uuid.uuid4().hex[:8]}.html"
        (Path(settings.STATIC_ROOT) / static_name).write_bytes(response.content)
        twins[name] = {
            "page": path,
            "static": f"{settings.STATIC_URL}{static_name}",
            "bytes": len(response.content),
        }
    return twins


def miss_paths(name: str, path: str, count: int, areas: list[int], categories: list[int],
               activity_pks: list[int]) -> list[str] | None:  # fmt: skip
    """``count`` distinct recognised URLs of a page (each a cache miss), or None for a page
    without parameters (its misses come from replacing its tag before each request)."""
    if name == "list":
        return [f"/activities/?page={n}" for n in range(2, count + 2)]
    if name == "list_filtered":
        combos = [
            f"/activities/?area={a}&category={c}&bookable=on&page={p}"
            for p in (1, 2)
            for a in areas
            for c in categories
        ]
        return (combos + [f"/activities/?audience=students&mode=offline&page={n}"
                          for n in range(2, count + 2)])[:count]  # fmt: skip
    if name == "list_searched":
        return ["/activities/?q=" + quote(f"第{n * 7 + 1}场") for n in range(count)]
    if name == "detail":
        return [f"/activities/{pk}/" for pk in activity_pks[:count]]
    return None


def page_tags(name: str, activity_pk: int) -> list[str]:
    return {"home": ["home"], "calendar": ["calendar"], "detail": [f"activity:{activity_pk}"]}.get(
        name, []
    )


# Load generators ----------------------------------------------------------------------------------


async def _client_loop(
    host: str, port: int, paths, deadline: float, latencies: list, errors: list, headers: str
):
    """``paths``: one path to repeat (a str), or a list to take each from once."""
    reader = writer = None
    while time.perf_counter() < deadline:
        if isinstance(paths, str):
            path = paths
        elif paths:
            path = paths.pop()
        else:
            break
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: sciweek-bench\r\n"
            f"X-Forwarded-Proto: https\r\n{headers}\r\n"
        ).encode()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
            if re.search(rb"(?i)\r\nconnection:\s*close", head):
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, AttributeError, ValueError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def _worker(host, port, paths, connections, duration, queue, headers):
    latencies, errors = [], []
    deadline = time.perf_counter() + duration

    async def main():
        await asyncio.gather(
            *(
                _client_loop(host, port, paths, deadline, latencies, errors, headers)
                for _ in range(connections)
            )
        )

    asyncio.run(main())
    queue.put((latencies, len(errors)))


def measure(base: str, paths, connections: int, duration: float, headers: str = "") -> dict:
    """Requests/s and latency of ``paths`` (one path repeated, or a list each once)."""
    parts = urlsplit(base)
    processes = max(1, min(os.cpu_count() or 1, connections))
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    queue = multiprocessing.get_context("fork").Queue()
    workers = [
        multiprocessing.get_context("fork").Process(
            target=_worker,
            args=(
                parts.hostname,
                parts.port,
                paths if isinstance(paths, str) else paths[i::processes],
                n,
                duration,
                queue,
                headers,
            ),
        )
        for i, n in enumerate(shares)
    ]
    started = time.perf_counter()
    for w in workers:
        w.start()
    latencies, errors = [], 0
    for _ in workers:
        lat, err = queue.get(timeout=duration + 300)
        latencies += lat
        errors += err
    for w in workers:
        w.join(timeout=10)
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {"rps": len(latencies) / elapsed, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "requests": len(latencies), "errors": errors}  # fmt: skip


def _round(value):
    return round(value, 2) if isinstance(value, float) else value


def combine(runs: list[dict], seconds: float) -> dict:
    """Slices into one figure: rps over the whole time, the median p50, the worst p99."""
    p50s = sorted(r["p50_ms"] for r in runs)
    return {
        "rps": sum(r["rps"] for r in runs) / len(runs),
        "p50_ms": p50s[len(p50s) // 2],
        "p99_ms": max(r["p99_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "slices_rps": [round(r["rps"]) for r in runs],
    }


def sequential_misses(base: str, path: str, tags: list[str], count: int) -> dict:
    """A page without parameters, ``count`` times, its tags replaced before each request (what
    an edit touching it does): each request renders."""
    import http.client

    from sciweek.showcase.cache import invalidate_tags

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    latencies, errors = [], 0
    for _ in range(count):
        invalidate_tags(tags)
        started = time.perf_counter()
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 200
    conn.close()
    latencies.sort()
    return {
        "requests": count,
        "p50_ms": round(latencies[count // 2] * 1000, 1),
        "p99_ms": round(latencies[min(count - 1, int(0.99 * count))] * 1000, 1),
        "errors": errors,
        "how": "sequential, the page's tags replaced before each request",
    }


class Editor:
    """Saves one activity (not ``spare``) every ``interval`` seconds, as an organiser editing."""

    def __init__(self, pks: list[int], spare: int, interval: float = 0.25):
        import threading

        self.pks = [pk for pk in pks if pk != spare]
        self.interval = interval
        self.edits = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        import random

        from django.db import connection

        from sciweek.activities.models import Activity

        rng = random.Random(7)
        while not self.stop.wait(self.interval):
            activity = Activity.objects.get(pk=rng.choice(self.pks))
            activity.summary = f"{activity.summary[:80]}（更新{self.edits}）"
            activity.save()
            self.edits += 1
        connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


def sliced(base, page, static, connections, duration, slices, headers="") -> tuple[dict, dict]:
    """Alternate short slices of page and static, so that load from elsewhere on a shared
    machine falls on both alike."""
    page_runs, static_runs = [], []
    for _ in range(slices):
        page_runs.append(measure(base, page, connections, duration / slices, headers))
        static_runs.append(measure(base, static, connections, duration / slices))
    return combine(page_runs, duration), combine(static_runs, duration)


def figures(run: dict) -> dict:
    return {k: _round(v) for k, v in run.items()}


# Main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=ACTIVITIES)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per measurement")
    parser.add_argument("--slices", type=int, default=2, help="page/static slices per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per page")
    parser.add_argument("--misses", type=int, default=60, help="distinct misses per page")
    parser.add_argument("--only", nargs="*", help="page names to measure (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the database (debugging)")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    data_dir = Path(tempfile.mkdtemp(prefix="sciweek-bench-"))
    prefix = f"sciweek-bench-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {
        **os.environ,
        "SCIWEEK_PROFILE": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SCIWEEK_DATA_KEY": base64.b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "SCIWEEK_DATA_DIR": str(data_dir),
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sciweek.settings",
    }
    env.pop("DEBUG", None)
    os.environ.update(env)
    gunicorn_conf = runpy.run_path(str(GUNICORN_CONF))
    load_before = load_average()

    gunicorn = None
    recreate_database(database_url)
    try:
        import django

        django.setup()
        t0 = time.perf_counter()
        load_data(args.activities)
        load_seconds = time.perf_counter() - t0
        from django.conf import settings as django_settings
        from django.contrib.auth import get_user_model
        from django.db import connections
        from django.test import Client

        from sciweek.activities.models import Activity, Category
        from sciweek.campaigns.selectors import current_edition
        from sciweek.organizations.models import Organization

        edition = current_edition()
        public = Activity.objects.filter(edition=edition, state="published").order_by("pk")
        pks = list(public.values_list("pk", flat=True))
        activity = public.get(pk=pks[len(pks) // 2])
        areas = list(Organization.objects.areas().values_list("pk", flat=True))
        categories = list(Category.objects.filter(edition=edition).values_list("pk", flat=True))
        pages = targets_of(activity.pk, activity.area_id, activity.category_id)
        if args.only:
            pages = {k: v for k, v in pages.items() if k in args.only}
        host = f"127.0.0.1:{port}"
        twins = write_static_twins(host, pages)
        # A signed-in visitor (a session in the database, as the server keeps them).
        visitor = get_user_model().objects.create_user(username="bench-visitor", password=None)
        signed_in = Client(HTTP_HOST=host)
        signed_in.force_login(visitor)
        cookie = signed_in.cookies[django_settings.SESSION_COOKIE_NAME].value
        session_header = f"Cookie: {django_settings.SESSION_COOKIE_NAME}={cookie}\r\n"
        connections.close_all()

        command = [
            sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "sciweek.wsgi",
            "--bind", host, "--log-level", "warning",
        ]  # fmt: skip
        workers = int(gunicorn_conf["workers"])
        gunicorn = subprocess.Popen(
            command, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL
        )
        base = f"http://{host}"
        wait_until_serving(urlsplit(base).port, gunicorn, workers=workers)

        results = {}
        c, d, n = args.connections, args.duration, args.slices
        for name, twin in twins.items():
            page, static = twin["page"], twin["static"]
            # One request fills the shared cache; then every worker warms up on hits.
            measure(base, [page], 1, 300.0)
            measure(base, page, c, args.warmup)
            measure(base, static, c, min(args.warmup, 1.0))
            hits, static_run = sliced(base, page, static, c, d, n)
            unique = miss_paths(name, page, args.misses, areas, categories, pks)
            if unique is None:
                misses = sequential_misses(base, page, page_tags(name, activity.pk), args.misses)
            else:
                run = measure(base, unique, min(c, 8), 120.0)
                misses = {**figures(run), "how": f"{len(unique)} distinct recognised URLs, 8 conn."}
            measure(base, page, c, args.warmup)
            with Editor(pks, activity.pk) as editor:
                after, static_after = sliced(base, page, static, c, d, n)
            after = {**figures(after), "edits": editor.edits}
            logged_in, static_logged = sliced(base, page, static, c, d, n, session_header)
            results[name] = {
                "path": page,
                "bytes": twin["bytes"],
                "static": figures(static_run),
                "hits": figures(hits),
                "hits_ratio": round(hits["rps"] / static_run["rps"], 3)
                if static_run["rps"]
                else None,
                "misses": misses,
                "after_edit": after,
                "after_edit_ratio": round(after["rps"] / static_after["rps"], 3)
                if static_after["rps"]
                else None,
                "logged_in": figures(logged_in),
                "logged_in_ratio": round(logged_in["rps"] / static_logged["rps"], 3)
                if static_logged["rps"]
                else None,
                "load": load_average(),
            }
        ok = all(
            (r["hits_ratio"] or 0) >= 0.5
            and r["misses"]["p99_ms"] <= 150
            and r["hits"]["errors"] == 0
            and r["misses"]["errors"] == 0
            for r in results.values()
        )
        print(
            json.dumps(
                {
                    "bench": "public_pages",
                    "activities": args.activities,
                    "connections": c,
                    "duration_s": d,
                    "configuration": {
                        "profile": "production",
                        "gunicorn": "deploy/gunicorn.conf.py",
                        "workers": workers,
                        "threads": gunicorn_conf.get("threads", 1),
                        "worker_class": gunicorn_conf.get("worker_class", "sync"),
                        "database": "postgresql",
                        "cache": "redis",
                        "early_cache_middleware": EARLY_MIDDLEWARE in django_settings.MIDDLEWARE,
                        "loadgen": "python-asyncio",
                        "cpus": os.cpu_count(),
                    },
                    "load_before": load_before,
                    "load_after": load_average(),
                    "load_seconds": round(load_seconds, 1),
                    "results": results,
                    "target": "hits rps >= 0.5 x static rps and misses p99 <= 150 ms",
                    "target_met": ok,
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
                gunicorn.wait()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - best effort; Django may not be set up
            pass
        try:
            import redis

            client = redis.Redis.from_url(redis_url)
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        except Exception as exc:
            print(f"could not delete redis keys {prefix}:*: {exc}", file=sys.stderr)
        if not args.keep:
            recreate_database(database_url, drop_only=True)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
