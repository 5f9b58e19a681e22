"""Summary reporting: compiling the city report for a 10,000-activity edition, and a 400 MB video
upload through the API, with the memory each takes.

    uv run python bench/reports.py                 # ~3-5 min; prints two JSON lines

What it does, and undoes at the end:

1. creates a fresh PostgreSQL database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/sciweek_bench_reports``; dropped first if it exists),
   migrates it, loads the demo organisations and accounts and the 2023 edition with its
   categories, and bulk-creates ``--activities`` published and held activities across the 11
   areas (1-3 sessions each, results figures, budgets, one in 20 a key activity, one in 5 with
   media coverage); starts the reporting task and the 11 area summaries with their figures
   (``summary_for`` + ``refresh_figures``), and gives four areas a few small files;
2. ``reports.compile``: runs ``compile_run`` for the city summary (docx), the workbook (xlsx), the
   upward filing (xlsx) and the zip of all areas, each in a fresh subprocess, twice: once plain (wall time and the
   process's peak RSS, Django included: ``VmHWM``, because Linux carries the parent's high-water
   mark across exec into ``ru_maxrss``, which is printed beside it) and once under
   ``tracemalloc`` (peak of Python allocations during the compile alone). Targets: each ≤ 10 s
   and peak RSS ≤ 300 MB; the workbooks and the documents are read back and checked; each
   file's query count and the load average before and after are printed with them;
3. ``reports.upload``: writes a ``--size-mb`` MiB H.264 MP4 (lossless intra-coded noise, so
   every byte is real video packets PyAV must demux; a ``free`` box pads it to the exact size),
   serves the app under gunicorn (``DEBUG=0``, ``--workers`` sync workers, loopback free port),
   warms every worker up with small refused uploads (a 200 s video: 400 ``video_too_long``),
   then streams the big file from disk as multipart to ``POST /api/v1/reports/{id}/files/``
   (``kind=video``, an area account's token) while sampling the workers' VmRSS every 50 ms.
   Reports the baseline, the peak, the growth (target ≤ 64 MB) and ``VmHWM``; the status and the
   duration the server measured;
4. prints one JSON line per part; stops gunicorn, drops the database, deletes its files.

Loopback only; bounded: the whole run aborts after ``--timeout`` seconds (default 600).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from support import (  # bench/support.py, beside this script
    free_port,
    recreate_database,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_bench_reports"
MB = 1024 * 1024
COMPILE_SECONDS_TARGET = 10.0
COMPILE_RSS_TARGET_MB = 300.0
UPLOAD_GROWTH_TARGET_MB = 64.0
AREA_USER = "area-zhangdian"


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# Data -------------------------------------------------------------------------------------------


def small_jpeg(label: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (20 * label % 255, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


def load_data(count: int) -> dict:
    """Migrate; organisations, accounts, the 2023 edition; ``count`` activities; the task and the
    11 summaries. Returns the ids the parts need."""
    from datetime import datetime, timedelta
    from datetime import time as dtime
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    from sciweek.activities.enums import Mode
    from sciweek.activities.models import Activity, Category, MediaCoverage, Session
    from sciweek.activities.services import seed_categories
    from sciweek.demo.loader import DemoLoader
    from sciweek.reports import services
    from sciweek.reports.enums import FileKind, SummaryState
    from sciweek.reports.models import AreaSummary, SummaryFile

    loader = DemoLoader()
    with transaction.atomic():
        loader.organizations()
        loader.users()
        edition = loader.edition_2023()
        seed_categories(edition=edition)
    categories = list(Category.objects.filter(edition=edition).order_by("position"))
    areas = list(loader.areas.values())
    modes = list(Mode.values)
    days = (edition.end_date - edition.start_date).days + 1
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for i in range(count):
            area = areas[i % len(areas)]
            units = loader.units[area.slug]
            category = categories[i % len(categories)]
            held = i % 3 != 0
            rows.append(
                Activity(
                    edition=edition,
                    host=units[(i // len(areas)) % len(units)],
                    area=area,
                    category=category,
                    title=f"{category.name}：科学探索活动第{i + 1}场",
                    summary="走进实验室，动手做实验，听科学家讲科学故事。",
                    description="面向公众开放，欢迎预约参加。",
                    mode=modes[i % len(modes)],
                    venue_name=f"科技馆第{i % 40 + 1}展厅",
                    address=f"人民西路{i % 300 + 1}号",
                    contact_name="王老师",
                    contact_phone="13800138000",
                    confidentiality_checked=True,
                    is_key=i % 20 == 0,
                    state="held" if held else "published",
                    state_changed_at=now,
                    submitted_at=now,
                    published_at=now,
                    budget=Decimal(1000 + i % 50 * 100),
                    onsite_participants=(50 + i % 400) if held else None,
                    online_participants=(i % 7) * 100 if held else None,
                    st_workers=2 + i % 9 if held else None,
                    volunteers=3 + i % 11 if held else None,
                )
            )
        activities = Activity.objects.bulk_create(rows, batch_size=1000)
        sessions, coverage = [], []
        for i, activity in enumerate(activities):
            day = edition.start_date + timedelta(days=i % days)
            for n in range(1 + i % 3):
                start = timezone.make_aware(datetime.combine(day, dtime(8 + 3 * n, 0)))
                sessions.append(
                    Session(
                        activity=activity,
                        starts_at=start,
                        ends_at=start + timedelta(hours=2),
                        capacity=50 + i % 200,
                    )
                )
            for n in range(int(i % 5 == 0) + int(i % 25 == 0)):
                coverage.append(
                    MediaCoverage(
                        activity=activity,
                        outlet=("淄博日报", "淄博电视台")[n],
                        title=f"{activity.title}受到市民欢迎",
                        url=f"https://news.example.test/{i}/{n}",
                        published_on=day,
                    )
                )
        Session.objects.bulk_create(sessions, batch_size=2000)
        Activity.objects.filter(edition=edition).refresh_first_start()
        MediaCoverage.objects.bulk_create(coverage, batch_size=2000)

    task = services.task_for(edition)
    task.video_max_bytes = 500 * MB
    task.save(update_fields=["video_max_bytes"])
    started = time.perf_counter()
    summaries = []
    for area in task.areas.order_by("path"):
        summary = services.summary_for(task=task, area=area)
        services.refresh_figures(summary=summary)
        summaries.append(summary)
    figures_seconds = time.perf_counter() - started
    upload_target = next(s for s in summaries if s.area.slug == "zhangdian")
    others = [s for s in summaries if s.pk != upload_target.pk]
    AreaSummary.objects.filter(pk__in=[s.pk for s in others[:7]]).update(
        state=SummaryState.ACCEPTED, submitted_at=now, first_submitted_at=now, accepted_at=now
    )
    AreaSummary.objects.filter(pk__in=[s.pk for s in others[7:9]]).update(
        state=SummaryState.SUBMITTED, submitted_at=now, first_submitted_at=now, is_late=True
    )
    for summary in others[:4]:  # a few small files for the zip of all areas
        files = [(FileKind.DOCUMENT, "docx", b"PK\x03\x04" + os.urandom(30_000))]
        files += [(FileKind.PHOTO, "jpg", small_jpeg(n)) for n in range(3)]
        for kind, ext, content in files:
            item = SummaryFile(summary=summary, kind=kind, original_name=f"{kind}.{ext}",
                               content_type="application/octet-stream", size=len(content),
                               storage_key=SummaryFile.new_key(ext))  # fmt: skip
            item.file.save(item.storage_key, ContentFile(content), save=True)
    user = get_user_model().objects.get(username=AREA_USER)
    return {
        "task_id": task.pk,
        "summary_id": upload_target.pk,
        "token": Token.objects.create(user=user).key,
        "sessions": len(sessions),
        "coverage": len(coverage),
        "key_activities": sum(a.is_key for a in activities),
        "figures_s": round(figures_seconds, 2),
    }


# Compile ----------------------------------------------------------------------------------------


def compile_child(report_id: int, trace: bool) -> None:
    """In a fresh process: run one compilation and print what it took."""
    import tracemalloc

    import django

    django.setup()
    from django.db import connection

    from sciweek.reports import compile as _compile  # noqa: F401 - docx/openpyxl imported first
    from sciweek.reports import services

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    before = rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        report = services.compile_run(report_id)
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / MB if trace else None
    print(
        json.dumps(
            {
                "status": report.status,
                "error": report.error,
                "seconds": seconds,
                # Every query of the compilation, progress updates and state changes included.
                "queries": queries[0],
                "rss_before_mb": before,
                # VmHWM: this process image's peak RSS. ru_maxrss is printed too, but Linux
                # carries the parent's high-water mark across exec into it.
                "peak_rss_mb": rss_mb("self", "VmHWM"),
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "tracemalloc_peak_mb": traced,
                "bytes": report.file.size if report.file else 0,
                "path": report.file.path if report.file else "",
            }
        )
    )


def run_child(report_id: int, trace: bool, env: dict, timeout: float) -> dict:
    command = [sys.executable, __file__, "--compile-child", str(report_id)]
    if trace:
        command.append("--trace")
    out = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"compile child failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_outputs(paths: dict, count: int) -> dict:
    """Read the documents back: the workbook's activity rows, the docx tables and bullets."""
    from docx import Document
    from openpyxl import load_workbook

    workbook = load_workbook(paths["xlsx"], read_only=True)
    # Less the header and the totals row.
    rows = sum(1 for _row in workbook["活动"].iter_rows(values_only=True)) - 2
    workbook.close()
    upward = load_workbook(paths["upward"], read_only=True)
    upward_rows = sum(1 for _row in upward["活动清单"].iter_rows(values_only=True)) - 1
    upward.close()
    doc = Document(paths["docx"])
    import zipfile

    with zipfile.ZipFile(paths["zip_all"]) as archive:
        members = len(archive.namelist())
    return {
        "xlsx_activity_rows": rows,
        "xlsx_rows_ok": rows == count,
        "upward_activity_rows": upward_rows,
        "upward_rows_ok": upward_rows == count,
        "docx_tables": len(doc.tables),
        "docx_paragraphs": len(doc.paragraphs),
        "zip_members": members,
    }


KINDS = ("docx", "xlsx", "upward", "zip_all")


def loadavg() -> list[float]:
    with open("/proc/loadavg") as handle:
        return [float(x) for x in handle.read().split()[:3]]


def bench_compile(data: dict, count: int, env: dict, timeout: float) -> dict:
    from django.db import connection

    from sciweek.reports.models import CompiledReport

    result: dict = {"bench": "reports.compile", "activities": count, "areas": 11}
    result.update({k: data[k] for k in ("sessions", "coverage", "key_activities", "figures_s")})
    paths, peaks, traced = {}, [], []
    result["loadavg_before"] = loadavg()
    for kind in KINDS:
        runs = {}
        for trace in (False, True):
            report = CompiledReport.objects.create(task_id=data["task_id"], kind=kind)
            connection.close()
            runs[trace] = run_child(report.pk, trace, env, timeout)
            if runs[trace]["status"] != "done":
                raise RuntimeError(f"{kind}: {runs[trace]['error']}")
        plain, traced_run = runs[False], runs[True]
        paths[kind] = plain["path"]
        result[f"{kind}_s"] = round(plain["seconds"], 2)
        result[f"{kind}_queries"] = plain["queries"]
        result[f"{kind}_traced_s"] = round(traced_run["seconds"], 2)
        result[f"{kind}_kb"] = round(plain["bytes"] / 1024)
        result[f"{kind}_peak_rss_mb"] = round(plain["peak_rss_mb"], 1)
        result[f"{kind}_ru_maxrss_mb"] = round(plain["ru_maxrss_mb"], 1)
        result[f"{kind}_rss_before_mb"] = round(plain["rss_before_mb"], 1)
        result[f"{kind}_tracemalloc_peak_mb"] = round(traced_run["tracemalloc_peak_mb"], 1)
        peaks.append(plain["peak_rss_mb"])
        traced.append(traced_run["tracemalloc_peak_mb"])
    result["loadavg_after"] = loadavg()
    result["peak_rss_mb"] = round(max(peaks), 1)
    result["tracemalloc_peak_mb"] = round(max(traced), 1)
    result["checks"] = check_outputs(paths, count)
    result["targets_met"] = (
        all(result[f"{k}_s"] <= COMPILE_SECONDS_TARGET for k in KINDS)
        and result["peak_rss_mb"] <= COMPILE_RSS_TARGET_MB
        and result["checks"]["xlsx_rows_ok"]
        and result["checks"]["upward_rows_ok"]
    )
    return result


# Upload -----------------------------------------------------------------------------------------


def write_big_video(path: Path, size: int, *, fps: int = 25, side=(1280, 720)) -> dict:
    """An H.264 MP4 of exactly ``size`` bytes: lossless intra-coded noise (about 2 MB a frame,
    all of it packets a demuxer has to read), then a ``free`` box to make up the size."""
    from fractions import Fraction

    import av

    pool = []
    for _ in range(6):
        frame = av.VideoFrame(side[0], side[1], "yuv420p")
        for plane in frame.planes:
            plane.update(os.urandom(plane.buffer_size))
        pool.append(frame)
    written = largest = frames = 0
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = side
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "qp": "0", "keyint": "1", "threads": "2"}
        # Stop while a couple of frames and the index still fit.
        while written + 3 * max(largest, 3 * MB) + MB < size:
            frame = pool[frames % len(pool)]
            frame.pts, frame.time_base = frames, Fraction(1, fps)
            for packet in stream.encode(frame):
                written += packet.size
                largest = max(largest, packet.size)
                container.mux(packet)
            frames += 1
        for packet in stream.encode():
            container.mux(packet)
    pad = size - path.stat().st_size
    if pad < 8:
        raise RuntimeError(f"video came out {-pad} bytes over {size}")
    with path.open("ab") as handle:
        handle.write(pad.to_bytes(4, "big") + b"free")
        remaining = pad - 8
        while remaining:
            n = min(remaining, MB)
            handle.write(b"\0" * n)
            remaining -= n
    return {"frames": frames, "expected_duration_s": round(frames / fps, 2)}


def write_long_video(path: Path, seconds: int = 200) -> None:
    """A tiny video longer than the task allows (refused after a full probe): the warm-up."""
    from fractions import Fraction

    import av

    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=1)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        frame = av.VideoFrame(64, 64, "yuv420p")
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        for n in range(seconds):
            frame.pts, frame.time_base = n, Fraction(1, 1)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def post_file(port: int, summary_id: int, token: str, path: Path, timeout: float) -> tuple:
    """Stream ``path`` as multipart (kind=video) from disk, 1 MiB at a time."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nvideo\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\n压测视频\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)

    def body():
        yield head
        with path.open("rb") as handle:
            while chunk := handle.read(MB):
                yield chunk
        yield tail

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(
        "POST", f"/api/v1/reports/{summary_id}/files/", body=body(),
        headers={"Authorization": f"Token {token}", "Content-Length": str(length),
                 "Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Accept-Language": "zh-hans", "Connection": "close"},
    )  # fmt: skip
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    try:
        return response.status, json.loads(payload)
    except ValueError:
        return response.status, {"raw": payload[:500].decode(errors="replace")}


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def wait_for_workers(port: int, process: subprocess.Popen, workers: int) -> None:
    """Serving, and every worker booted: the memory figures sum the workers."""
    wait_until_serving(port, process, workers=workers)
    deadline = time.monotonic() + 120
    while len(worker_pids(process.pid)) < workers:
        if time.monotonic() > deadline:
            sys.exit(f"gunicorn booted fewer than {workers} workers within 120 s")
        time.sleep(0.2)


class Sampler(threading.Thread):
    """VmRSS of each worker every ``interval`` seconds; the highest seen per worker."""

    def __init__(self, pids: list[int], interval: float = 0.05):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peak: dict[int, float] = {}
        self.samples = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            for pid in self.pids:
                value = rss_mb(pid)
                if value is not None:
                    self.peak[pid] = max(self.peak.get(pid, 0.0), value)
            self.samples += 1
            self.stop.wait(self.interval)


def bench_upload(data: dict, args, env: dict, data_dir: Path, state: dict) -> dict:
    from sciweek.reports.models import SummaryFile

    size = args.size_mb * MB
    big, long = data_dir / "bench-400.mp4", data_dir / "too-long.mp4"
    started = time.perf_counter()
    video = write_big_video(big, size)
    write_long_video(long)
    video["generate_s"] = round(time.perf_counter() - started, 1)

    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "sciweek.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--worker-class", "sync",
        "--log-level", "warning", "--timeout", str(int(args.timeout)),
    ]  # fmt: skip
    state["server_log"] = open(data_dir / "gunicorn.log", "w")  # noqa: SIM115 - closed by main
    # TMPDIR: Django's upload temporaries land in the bench's directory and go with it.
    server_env = {**env, "TMPDIR": str(data_dir)}
    state["gunicorn"] = gunicorn = subprocess.Popen(
        command, env=server_env, cwd=ROOT, start_new_session=True, stderr=state["server_log"]
    )
    wait_for_workers(port, gunicorn, args.workers)
    pids = worker_pids(gunicorn.pid)

    # Warm-up: every worker loads the API, PyAV and its decoder on a refused video.
    warm = []
    for _ in range(3 * args.workers):
        status, body = post_file(port, data["summary_id"], data["token"], long, 60)
        warm.append(f"{status} {body.get('code', '')}".strip())
    time.sleep(0.5)
    baseline = {pid: rss_mb(pid) for pid in pids}

    sampler = Sampler(pids)
    sampler.start()
    started = time.perf_counter()
    status, body = post_file(port, data["summary_id"], data["token"], big, args.timeout)
    seconds = time.perf_counter() - started
    time.sleep(0.2)
    sampler.stop.set()
    sampler.join()
    hwm = {pid: rss_mb(pid, "VmHWM") for pid in pids}

    growth = {pid: sampler.peak.get(pid, 0.0) - (baseline[pid] or 0.0) for pid in pids}
    busiest = max(growth, key=growth.get)
    stored = SummaryFile.objects.filter(pk=body.get("id")).first() if status == 201 else None
    on_disk = Path(stored.file.path).stat().st_size if stored else None
    result = {
        "bench": "reports.upload",
        "size_mb": args.size_mb,
        "status": status,
        "workers": args.workers,
        "upload_s": round(seconds, 1),
        "rss_baseline_mb": round(baseline[busiest], 1),
        "rss_peak_mb": round(sampler.peak.get(busiest, 0.0), 1),
        "growth_mb": round(growth[busiest], 1),
        "vm_hwm_mb": round(hwm[busiest] or 0.0, 1),
        "samples": sampler.samples,
        "duration_s": body.get("duration_seconds"),
        "expected_duration_s": video["expected_duration_s"],
        "stored_bytes_ok": on_disk == size,
        "video": video,
        "warm_up": warm,
    }
    if status != 201:
        result["response"] = body
    result["targets_met"] = (
        status == 201
        and result["growth_mb"] <= UPLOAD_GROWTH_TARGET_MB
        and result["stored_bytes_ok"]
        and abs((result["duration_s"] or 0) - video["expected_duration_s"]) < 0.5
    )
    return result


# Main -------------------------------------------------------------------------------------------


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout("bench ran over --timeout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--size-mb", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=float, default=600.0, help="whole run, seconds")
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--skip-upload", action="store_true")
    parser.add_argument("--compile-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    if args.compile_child is not None:
        compile_child(args.compile_child, args.trace)
        return

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    data_dir = Path(tempfile.mkdtemp(prefix="sciweek-bench-reports-"))
    (data_dir / "static").mkdir()  # WhiteNoise warns about a missing STATIC_ROOT
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCIWEEK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "sciweek.settings",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.timeout))
    state: dict = {}
    try:
        recreate_database(database_url)
        import django

        django.setup()
        data = load_data(args.activities)
        if not args.skip_compile:
            print(json.dumps(bench_compile(data, args.activities, env, args.timeout)), flush=True)
        if not args.skip_upload:
            result = bench_upload(data, args, env, data_dir, state)
            print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        signal.alarm(0)
        gunicorn = state.get("gunicorn")
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        if state.get("server_log") is not None:
            state["server_log"].close()
            log = (data_dir / "gunicorn.log").read_text(errors="replace").strip()
            if log:
                print(log[-2000:], file=sys.stderr)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        recreate_database(database_url, drop_only=True)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
