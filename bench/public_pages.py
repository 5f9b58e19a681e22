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
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from support import free_port, recreate_database  # bench/support.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
ACTIVITIES = 10_000
EARLY_MIDDLEWARE = "sciweek.showcase.cache.PublicPageCacheMiddleware"
EARLY_CACHE_SETTINGS = """from sciweek.settings import *  # noqa: F403

_EARLY = "sciweek.showcase.cache.PublicPageCacheMiddleware"
if _EARLY not in MIDDLEWARE:  # noqa: F405
    _at = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1  # noqa: F405
    MIDDLEWARE = [*MIDDLEWARE[:_at], _EARLY, *MIDDLEWARE[_at:]]  # noqa: F405
"""


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


def write_static_twins(host: str, activity_pk: int) -> dict[str, dict]:
    """Render each page once (as gunicorn will, same Host) and write its bytes as a static file."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=host)
    targets = {}
    for name, path in (
        ("home", "/"),
        ("list", "/activities/"),
        ("detail", f"/activities/{activity_pk}/"),
    ):
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code} before the run")
        static_name = f"bench-{name}-{uuid.uuid4().hex[:8]}.html"
        (Path(settings.STATIC_ROOT) / static_name).write_bytes(response.content)
        targets[name] = {
            "page": path,
            "static": f"{settings.STATIC_URL}{static_name}",
            "bytes": len(response.content),
        }
    return targets


# Load generators ----------------------------------------------------------------------------------


def run_wrk(url: str, connections: int, duration: float) -> dict:
    threads = min(connections, os.cpu_count() or 1)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50_ms": percentile("50"), "p99_ms": percentile("99"),
            "requests": total, "errors": errors}  # fmt: skip


async def _client_loop(
    host: str, port: int, path: str, deadline: float, latencies: list, errors: list
):
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: sciweek-bench\r\n\r\n".encode()
    )
    reader = writer = None
    while time.perf_counter() < deadline:
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


def _worker(host, port, path, connections, duration, queue):
    latencies, errors = [], []
    deadline = time.perf_counter() + duration

    async def main():
        await asyncio.gather(
            *(
                _client_loop(host, port, path, deadline, latencies, errors)
                for _ in range(connections)
            )
        )

    asyncio.run(main())
    queue.put((latencies, len(errors)))


def run_python(url: str, connections: int, duration: float) -> dict:
    parts = urlsplit(url)
    processes = max(1, min(os.cpu_count() or 1, connections))
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    queue = multiprocessing.get_context("fork").Queue()
    workers = [
        multiprocessing.get_context("fork").Process(
            target=_worker, args=(parts.hostname, parts.port, parts.path, n, duration, queue)
        )
        for n in shares
    ]
    started = time.perf_counter()
    for w in workers:
        w.start()
    latencies, errors = [], 0
    for _ in workers:
        lat, err = queue.get(timeout=duration + 60)
        latencies += lat
        errors += err
    for w in workers:
        w.join(timeout=10)
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
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


def wait_until_serving(base: str, process: subprocess.Popen, *, workers: int) -> None:
    """The master binds the port before its workers have booted: wait for real answers."""
    import http.client

    deadline = time.monotonic() + 120
    answered = 0
    while answered < 2 * workers:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        if time.monotonic() > deadline:
            sys.exit("gunicorn did not answer within 120 s")
        try:
            conn = http.client.HTTPConnection(
                urlsplit(base).hostname, urlsplit(base).port, timeout=5
            )
            conn.request("GET", "/healthz")
            answered += conn.getresponse().status == 200
            conn.close()
        except OSError:
            time.sleep(0.2)


# Main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=ACTIVITIES)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument(
        "--slices", type=int, default=5, help="alternating page/static slices per target"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help=">1 uses the gthread worker class")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--early-cache",
        action="store_true",
        help="serve with sciweek.showcase.cache.PublicPageCacheMiddleware inserted after "
        "WhiteNoise (a settings module wrapping sciweek.settings), if settings lack it",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (debugging)")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    data_dir = Path(tempfile.mkdtemp(prefix="sciweek-bench-"))
    prefix = f"sciweek-bench-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "SCIWEEK_DATA_DIR": str(data_dir),
        "SCIWEEK_PROFILE": "development",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sciweek.settings",
    }
    if args.early_cache:
        settings_dir = data_dir / "settings"
        settings_dir.mkdir()
        (settings_dir / "bench_settings.py").write_text(EARLY_CACHE_SETTINGS)
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(settings_dir), env.get("PYTHONPATH")])
        )
        sys.path.insert(0, str(settings_dir))
    os.environ.update(env)
    use_wrk = args.loadgen == "wrk" or (args.loadgen == "auto" and shutil.which("wrk"))
    measure = run_wrk if use_wrk else run_python

    gunicorn = None
    recreate_database(database_url)
    try:
        import django

        django.setup()
        t0 = time.perf_counter()
        load_data(args.activities)
        load_seconds = time.perf_counter() - t0
        from sciweek.activities.models import Activity
        from sciweek.campaigns.selectors import current_edition

        edition = current_edition()
        public = Activity.objects.filter(edition=edition, state="published").order_by("pk")
        activity_pk = public.values_list("pk", flat=True)[public.count() // 2]
        targets = write_static_twins(f"127.0.0.1:{port}", activity_pk)
        from django.conf import settings as django_settings
        from django.db import connections

        connections.close_all()

        command = [
            sys.executable, "-m", "gunicorn", "sciweek.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
            "--worker-class", "gthread" if args.threads > 1 else "sync",
            "--threads", str(args.threads), "--log-level", "warning", "--timeout", "60",
            "--preload",
        ]  # fmt: skip
        gunicorn = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, gunicorn, workers=args.workers)

        results = {}
        for name, target in targets.items():
            # Warm every worker's connections and the shared page cache.
            measure(base + target["page"], args.connections, args.warmup)
            measure(base + target["static"], args.connections, min(args.warmup, 1.0))
            # Alternate short slices of page and static, so that load from elsewhere on a
            # shared machine falls on both alike rather than on whichever ran second.
            slice_seconds = args.duration / args.slices
            page_runs, static_runs = [], []
            for _ in range(args.slices):
                page_runs.append(measure(base + target["page"], args.connections, slice_seconds))
                static_runs.append(
                    measure(base + target["static"], args.connections, slice_seconds)
                )
            page, static = combine(page_runs, slice_seconds), combine(static_runs, slice_seconds)
            results[name] = {
                "path": target["page"],
                "bytes": target["bytes"],
                "page": {k: _round(v) for k, v in page.items()},
                "static": {k: _round(v) for k, v in static.items()},
                "rps_ratio": round(page["rps"] / static["rps"], 3) if static["rps"] else None,
            }
        ok = all(
            r["rps_ratio"] is not None
            and r["rps_ratio"] >= 0.5
            and r["page"]["p99_ms"] <= 150
            and r["page"]["errors"] == 0
            for r in results.values()
        )
        print(
            json.dumps(
                {
                    "bench": "public_pages",
                    "activities": args.activities,
                    "connections": args.connections,
                    "duration_s": args.duration,
                    "cores": os.cpu_count(),
                    "server": f"gunicorn {command[command.index('--worker-class') + 1]} "
                    f"workers={args.workers} threads={args.threads}",
                    "loadgen": "wrk" if use_wrk else "python-asyncio",
                    "early_cache_middleware": EARLY_MIDDLEWARE in django_settings.MIDDLEWARE,
                    "load_seconds": round(load_seconds, 1),
                    "results": results,
                    "target": "page rps >= 0.5 x static rps and page p99 <= 150 ms",
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
