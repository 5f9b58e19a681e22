"""Booking spike: 2,000 real-name booking attempts at 50 concurrent connections for a session of
500 places, through ``POST /api/v1/sessions/{id}/bookings/`` served by gunicorn as ``deploy/``
configures it, in the production profile, on PostgreSQL and Redis; beside it, in the same run,
the same hot-row transaction under pgbench.

    uv run python bench/booking_spike.py           # ~2 min; prints one JSON line

What it does, and undoes at the end:

1. creates a fresh PostgreSQL database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/sciweek_bench_booking``; dropped first if it exists) and
   migrates it; makes a published open day that takes real-name bookings with a resident ID
   (``id_number_required``), with one session of ``--capacity`` places starting next week;
2. starts ``gunicorn -c deploy/gunicorn.conf.py`` (its workers, threads, timeouts) on a free
   loopback port with the production profile (``SCIWEEK_PROFILE=production``, a random
   ``SECRET_KEY`` and ``SCIWEEK_DATA_KEY``, ``REDIS_URL`` for the cache and ``CELERY_BROKER_URL``
   on the same Redis database, ``DB_CONN_MAX_AGE``); every request carries
   ``X-Forwarded-Proto: https`` as nginx sends it; ``BOOKING_RATE_LIMITS=0`` (one client address
   makes every attempt);
3. run ``no_waitlist``: no waiting list; ``--attempts`` bookings, each a distinct person with a
   valid resident ID (check digit, birth date) and mobile number, half of them with an email
   address (a confirmation rendered and queued), at ``--concurrency`` keep-alive connections
   (asyncio); expects 201 for the first ``capacity`` and 409 ``full`` for the rest;
4. run ``waitlist``: a fresh session with the waiting list on; the same spike gives ``capacity``
   confirmed and the rest waiting (202); then ``--cancel`` confirmed bookings are cancelled at once
   from 25 threads and exactly as many waiting entries must be promoted, the first in line, once;
5. ``pgbench``: the hot-row transaction alone, at the same concurrency, for ``--pgbench-seconds``:
   insert a booking-sized row (unique per person and session) and take one place with the
   conditional UPDATE of one session row, one commit; ``ratio`` is bookings/s over its tps;
6. after each run checks the database: places taken == capacity == confirmed party sizes, no
   person twice, every response 201/202/409 and nothing else;
7. prints one JSON line: per run attempts/s, bookings/s (201 + 202 per second until the last one),
   latency p50/p95/p99 (ms) of all answers, of successes and of refusals separately, the checks,
   the pgbench rate and ratio, ``uptime``'s load average before and after, and the configuration;
   then stops gunicorn, drops the database and empties the Redis database.

Targets (``target_met``): ratio ≥ 0.25, success p99 ≤ 1 s, nothing oversold, as expected.
Loopback only; bounded (each spike stops after ``--timeout`` seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import runpy
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from support import (  # bench/support.py, beside this script
    free_port,
    load_average,
    recreate_database,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_bench_booking"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PROVINCES = ("37", "11", "31", "44")


def resident_id(n: int) -> str:
    """A distinct valid resident ID number for person ``n`` (an adult born 1960-1999)."""
    from sciweek.common.validators import id_check_char

    born = date(1960, 1, 1) + timedelta(days=n % 14_600)
    first17 = f"{PROVINCES[n % 4]}0303{born:%Y%m%d}{(n // 14_600) % 1000:03d}"
    return first17 + id_check_char(first17)


# Data -------------------------------------------------------------------------------------------


def make_open_day():
    """A published open day of a host unit, taking bookings, with no sessions yet."""
    from django.utils import timezone

    from sciweek.activities.models import Activity, Category
    from sciweek.campaigns.enums import EditionStatus
    from sciweek.campaigns.models import Edition
    from sciweek.organizations.enums import OrganizationKind
    from sciweek.organizations.models import Organization

    today = timezone.localdate()
    bureau = Organization.objects.create(name="市科技局", kind=OrganizationKind.CITY_BUREAU)
    area = Organization.objects.create(
        name="张店区", kind=OrganizationKind.AREA, parent=bureau, area_type="district"
    )
    unit = Organization.objects.create(
        name="淄博市科技馆", kind=OrganizationKind.HOST_UNIT, parent=area, unit_type="venue"
    )
    edition = Edition.objects.create(
        organizer=bureau, year=today.year + 1, title="科技活动周（压测）", theme="热爱科学 崇尚科学",
        start_date=today, end_date=today + timedelta(days=30),
        summary_deadline=today + timedelta(days=40), receiving_section="人才与成果科",
        receiving_email="bench@example.test", status=EditionStatus.PUBLISHED,
    )  # fmt: skip
    category = Category.objects.create(edition=edition, code="open_day", name="开放日", position=0)
    return Activity.objects.create(
        edition=edition, host=unit, area=area, category=category, title="实验室开放日（压测）",
        venue_name="淄博市科技馆", address="张店区", contact_name="王老师",
        contact_phone="13800138000", confidentiality_checked=True, state="published",
        booking_required=True, real_name_required=True, id_number_required=True,
        max_group_size=1,
    )  # fmt: skip


def make_session(activity, capacity: int, *, waitlist: bool):
    from django.utils import timezone

    from sciweek.activities.models import Activity, Session

    Activity.objects.filter(pk=activity.pk).update(waitlist_enabled=waitlist)
    starts = timezone.now() + timedelta(days=7)
    return Session.objects.create(
        activity=activity, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity
    )


def check_database(session_id: int, capacity: int) -> dict:
    from django.db.models import Count, Sum

    from sciweek.activities.models import Session
    from sciweek.bookings.models import Booking

    session = Session.objects.get(pk=session_id)
    rows = Booking.objects.filter(session_id=session_id)
    confirmed = rows.filter(status="confirmed").aggregate(n=Sum("party_size"))["n"] or 0
    twice = (
        rows.filter(status__in=("confirmed", "waiting"))
        .values("person_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    by_status = dict(Counter(rows.values_list("status", flat=True)))
    return {
        "places_taken": session.places_taken,
        "confirmed_places": confirmed,
        "statuses": by_status,
        "oversold": max(0, confirmed - capacity) + max(0, session.places_taken - capacity),
        "people_twice": twice,
        "ok": session.places_taken == confirmed == min(capacity, confirmed) and twice == 0,
    }


def cancel_concurrently(session_id: int, count: int, threads: int = 25) -> dict:
    """Cancel ``count`` confirmed bookings at once; check exactly as many were promoted, the
    first in line, each once."""
    from django.db import connection

    from sciweek.bookings import services
    from sciweek.bookings.models import Booking

    victims = list(Booking.objects.filter(session_id=session_id, status="confirmed")[:count])
    line = list(
        Booking.objects.filter(session_id=session_id, status="waiting")
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    promoted: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    shares = [victims[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads)

    def run(mine):
        try:
            barrier.wait(timeout=30)
            for booking in mine:
                batch = services.booking_cancel(booking=booking, by="organiser")
                with lock:
                    promoted.extend(b.pk for b in batch)
        except Exception as exc:
            errors.append(type(exc).__name__)
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=run, args=(share,)) for share in shares]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    elapsed = time.perf_counter() - started
    return {
        "cancelled": count,
        "promoted": len(promoted),
        "promoted_once": len(promoted) == len(set(promoted)),
        "promoted_first_in_line": sorted(promoted) == sorted(line[:count]),
        "errors": len(errors),
        "seconds": round(elapsed, 2),
    }


# Load -------------------------------------------------------------------------------------------


async def spike(port: int, session_id: int, *, attempts: int, concurrency: int, phone_base: int,
                timeout: float) -> dict:  # fmt: skip
    path = f"/api/v1/sessions/{session_id}/bookings/"
    queue = list(range(attempts))
    latencies: list[float] = []
    statuses: Counter = Counter()
    successes: list[float] = []  # when each 201/202 arrived, from the start of the spike
    success_latencies: list[float] = []
    refusal_latencies: list[float] = []
    deadline = time.perf_counter() + timeout
    start = time.perf_counter()

    async def client():
        reader = writer = None
        while queue and time.perf_counter() < deadline:
            n = queue.pop()
            person = {
                "name": f"压测{n}",
                "phone": f"13{phone_base + n:09d}",
                "id_type": "resident_id",
                "id_number": resident_id(phone_base // 1000 + n),
                "consent": True,
                "id_consent": True,
            }
            if n % 2:
                person["email"] = f"booker{phone_base + n}@example.test"
            body = json.dumps(person).encode()
            request = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Content-Type: application/json\r\nAccept-Language: zh-hans\r\n"
                "X-Forwarded-Proto: https\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                close = False
                for line in head.split(b"\r\n")[1:]:
                    key, _, value = line.partition(b":")
                    if key.strip().lower() == b"content-length":
                        length = int(value)
                    elif key.strip().lower() == b"connection" and b"close" in value.lower():
                        close = True
                await reader.readexactly(length)
                now = time.perf_counter()
                latencies.append(now - started)
                statuses[status] += 1
                if status in (201, 202):
                    successes.append(now - start)
                    success_latencies.append(now - started)
                else:
                    refusal_latencies.append(now - started)
                if close:
                    writer.close()
                    reader = writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                statuses[type(exc).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started

    def pct(values: list[float], p: float) -> float:
        if not values:
            return 0.0
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)

    def summary(values: list[float]) -> dict:
        return {
            "n": len(values),
            "p50_ms": pct(values, 0.50),
            "p95_ms": pct(values, 0.95),
            "p99_ms": pct(values, 0.99),
        }

    done = sum(v for k, v in statuses.items() if isinstance(k, int))
    # Successful bookings (201 confirmed, 202 waiting) per second while they were being made:
    # from the start of the spike to the last success (when places sell out, what follows is
    # 409 "full" and is counted in attempts/s).
    window = max(successes) if successes else elapsed
    return {
        "attempts": done,
        "seconds": round(elapsed, 2),
        "attempts_per_s": round(done / elapsed, 1),
        "bookings_per_s": round(len(successes) / window, 1),
        "sold_out_after_s": round(window, 2),
        "p50_ms": pct(latencies, 0.50),
        "p95_ms": pct(latencies, 0.95),
        "p99_ms": pct(latencies, 0.99),
        "successes": summary(success_latencies),
        "refusals": summary(refusal_latencies),
        "responses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
    }


def flush_redis(redis_url: str) -> None:
    """Empty the bench's Redis database (cache, broker queue)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


# The booking's hot-row transaction, alone: a booking-sized row unique per person and session,
# then the conditional UPDATE of one session row, one commit (what ``bookings.services.book``
# does once the row is prepared).
PGBENCH_SETUP = """
CREATE TABLE bench_hot_booking (
    id bigserial PRIMARY KEY, session_id bigint NOT NULL, person_key varchar(64) NOT NULL,
    status varchar(16) NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX bench_hot_booking_person ON bench_hot_booking (session_id, person_key)
    WHERE status IN ('confirmed', 'waiting');
CREATE TABLE bench_hot_session (
    id bigint PRIMARY KEY, places_taken integer NOT NULL, capacity integer NOT NULL
);
INSERT INTO bench_hot_session VALUES (1, 0, 2000000000);
"""
PGBENCH_SCRIPT = """\\set n random(1, 2000000000)
BEGIN;
INSERT INTO bench_hot_booking (session_id, person_key, status, payload, created_at)
    VALUES (1, md5(:n::text || :client_id::text || clock_timestamp()::text), 'confirmed',
            repeat('x', 600), now());
UPDATE bench_hot_session SET places_taken = places_taken + 1
    WHERE id = 1 AND places_taken + 1 <= capacity;
COMMIT;
"""


def pgbench_hot_row(database_url: str, *, concurrency: int, seconds: int) -> dict:
    import psycopg

    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return {"error": "pgbench not found"}
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(PGBENCH_SETUP)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(PGBENCH_SCRIPT)
    try:
        out = subprocess.run(
            [pgbench, "-n", "-f", script.name, "-c", str(concurrency), "-j", "2",
             "-T", str(seconds), "-M", "prepared", database_url],
            capture_output=True, text=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    tps = re.search(r"tps = ([\d.]+)", out.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    return {
        "clients": concurrency,
        "seconds": seconds,
        "tps": round(float(tps.group(1)), 1) if tps else None,
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "error": None if tps else (out.stderr or out.stdout)[-300:],
    }


def warm_up(port: int, session_id: int, workers: int) -> None:
    """Every worker imports and connects before the spike (a 404 for a missing session)."""
    import http.client

    for _ in range(4 * workers):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(
            "POST", f"/api/v1/sessions/{session_id + 10_000}/bookings/", body=b"{}",
            headers={"Content-Type": "application/json", "X-Forwarded-Proto": "https"},
        )  # fmt: skip
        conn.getresponse().read()
        conn.close()


# Main -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--cancel", type=int, default=100)
    parser.add_argument("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE (s)")
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per spike at most")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    data_dir = tempfile.mkdtemp(prefix="sciweek-bench-booking-")
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
        "SCIWEEK_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "sciweek.settings",
        "BOOKING_RATE_LIMITS": "0",
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DEBUG", None)
    os.environ.update(env)
    gunicorn_conf = runpy.run_path(str(GUNICORN_CONF))
    flush_redis(redis_url)
    load_before = load_average()
    sys.path.insert(0, str(ROOT / "src"))

    gunicorn = server_log = None
    try:
        recreate_database(database_url)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        activity = make_open_day()
        first = make_session(activity, args.capacity, waitlist=False)

        port = free_port()
        # deploy/gunicorn.conf.py as it is (workers, threads, timeouts, access log to stdout),
        # on a free port.
        command = [
            sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "sciweek.wsgi",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ]  # fmt: skip
        workers = int(gunicorn_conf["workers"])
        server_log = open(Path(data_dir) / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
        gunicorn = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stderr=server_log,
            stdout=subprocess.DEVNULL,
        )
        wait_until_serving(port, gunicorn, workers=workers)
        warm_up(port, first.pk, workers)
        connection.close()

        def run(session, phone_base):
            result = asyncio.run(
                spike(
                    port,
                    session.pk,
                    attempts=args.attempts,
                    concurrency=args.concurrency,
                    phone_base=phone_base,
                    timeout=args.timeout,
                )
            )
            result["database"] = check_database(session.pk, args.capacity)
            return result

        # The floor, in the same run: the same requests to a session that does not exist (404:
        # middleware, DRF, one query), to read the booking figures against on a noisy machine.
        floor = asyncio.run(
            spike(
                port,
                first.pk + 10_000,
                attempts=args.attempts,
                concurrency=args.concurrency,
                phone_base=100_000_000,
                timeout=args.timeout,
            )
        )
        floor = {k: floor[k] for k in ("attempts_per_s", "p50_ms", "p99_ms", "responses")}
        no_waitlist = run(first, 300_000_000)
        expected = {"201": args.capacity, "409": args.attempts - args.capacity}
        no_waitlist["as_expected"] = (
            no_waitlist["responses"] == expected
            and no_waitlist["database"]["ok"]
            and no_waitlist["database"]["statuses"] == {"confirmed": args.capacity}
        )

        second = make_session(activity, args.capacity, waitlist=True)
        waitlist = run(second, 500_000_000)
        waitlist["as_expected"] = (
            waitlist["responses"] == {"201": args.capacity, "202": args.attempts - args.capacity}
            and waitlist["database"]["ok"]
        )
        cancel = cancel_concurrently(second.pk, args.cancel)
        after = check_database(second.pk, args.capacity)
        cancel["database"] = after
        cancel["as_expected"] = (
            cancel["promoted"] == args.cancel
            and cancel["promoted_once"]
            and cancel["promoted_first_in_line"]
            and cancel["errors"] == 0
            and after["ok"]
            and after["places_taken"] == args.capacity
        )
        hot = pgbench_hot_row(database_url, concurrency=args.concurrency,
                              seconds=args.pgbench_seconds)  # fmt: skip
        best = min(no_waitlist["bookings_per_s"], waitlist["bookings_per_s"])
        hot["ratio"] = round(best / hot["tps"], 3) if hot.get("tps") else None
        connection.close()
        server_log.flush()
        log_text = (Path(data_dir) / "gunicorn.log").read_text(errors="replace")
        server_errors = [line for line in log_text.splitlines() if " ERROR " in line][:5]
        print(
            json.dumps(
                {
                    "bench": "booking_spike",
                    "attempts": args.attempts,
                    "concurrency": args.concurrency,
                    "capacity": args.capacity,
                    "configuration": {
                        "profile": "production",
                        "gunicorn": "deploy/gunicorn.conf.py",
                        "workers": workers,
                        "threads": gunicorn_conf.get("threads", 1),
                        "worker_class": gunicorn_conf.get("worker_class", "sync"),
                        "database": "postgresql",
                        "db_conn_max_age": args.conn_max_age,
                        "cache": "redis",
                        "broker": "redis",
                        "booking_rate_limits": False,
                        "real_name": "resident_id",
                        "emails": "half",
                        "cpus": os.cpu_count(),
                    },
                    "load_before": load_before,
                    "load_after": load_average(),
                    "floor_404": floor,
                    "no_waitlist": no_waitlist,
                    "waitlist": waitlist,
                    "cancel": cancel,
                    "pgbench": hot,
                    "server_errors": server_errors,
                    "target_met": all(
                        r["successes"]["p99_ms"] <= 1000
                        and r["as_expected"]
                        and r["database"]["oversold"] == 0
                        for r in (no_waitlist, waitlist)
                    )
                    and cancel["as_expected"]
                    and (hot["ratio"] or 0) >= 0.25,
                },
                ensure_ascii=False,
            )
        )
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        if server_log is not None:
            server_log.close()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        recreate_database(database_url, drop_only=True)
        flush_redis(redis_url)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
