"""What every benchmark needs: a free loopback port, a fresh PostgreSQL database, and servers
started, waited for, measured and stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(database_url: str, *, drop_only: bool = False) -> None:
    """Drop the database named in ``database_url`` (closing its connections) and, unless
    ``drop_only``, create it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        sys.exit(f"bench needs a PostgreSQL DATABASE_URL, got {database_url!r}")
    # libpq reads postgres:// and postgresql:// alike; the maintenance database does the DDL.
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# Processes ---------------------------------------------------------------------------------------
# Servers and workers run in their own process groups, so that stopping one also stops the
# workers it forked, and nothing outlives the bench even when it fails half-way.


def free_port_in(first: int, last: int, *, taken: set[int] | None = None) -> int:
    """A free loopback port between ``first`` and ``last`` (inclusive), not in ``taken``."""
    for port in range(first, last + 1):
        if taken and port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"no free port in {first}-{last}")


def start_process(command: list[str], *, env: dict, log_path, cwd) -> subprocess.Popen:
    """Start ``command`` in a new process group, its stdout and stderr appended to ``log_path``."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            command, env=env, cwd=cwd, start_new_session=True, stdout=log, stderr=log
        )


def stop_processes(processes, *, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Send each process's group its signal at once (``processes``: Popen objects, which get
    ``sig``, or (Popen, signal) pairs), then wait for them all; SIGKILL to a group still there
    after ``timeout`` seconds."""
    pairs = [item if isinstance(item, tuple) else (item, sig) for item in processes]
    running = [(p, s) for p, s in pairs if p is not None and p.poll() is None]
    for process, signum in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
    deadline = time.monotonic() + timeout
    for process, _ in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Whatever a leader left behind in its group (a worker it forked and lost) goes too.
    for process, _ in running:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def wait_for_http(
    port: int,
    process: subprocess.Popen,
    *,
    path: str = "/healthz",
    headers: dict | None = None,
    answers: int = 1,
    timeout: float = 120,
) -> float:
    """Wait until ``path`` on the port has answered 200 ``answers`` times; returns the seconds
    waited. Exits when the process dies or the time is up."""
    import http.client

    started = time.monotonic()
    answered = 0
    while answered < answers:
        if process.poll() is not None:
            sys.exit(f"server on port {port} exited with {process.returncode}")
        if time.monotonic() - started > timeout:
            sys.exit(f"server on port {port} did not answer within {timeout:.0f} s")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers=headers or {})
            answered += conn.getresponse().status == 200
            conn.close()
        except OSError:
            time.sleep(0.2)
    return time.monotonic() - started


def wait_until_serving(port: int, process: subprocess.Popen, *, workers: int) -> float:
    """gunicorn's master binds the port before its workers have booted: wait for two answers per
    worker (behind the TLS proxy header the production profile expects)."""
    return wait_for_http(port, process, headers={"X-Forwarded-Proto": "https"}, answers=2 * workers)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, printed beside every figure: a loaded machine's
    numbers are not comparable with a quiet one's."""
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; the parent id follows it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def memory_mb(pid: int) -> dict[str, float]:
    """Resident (RSS) and proportional (PSS: shared pages divided among the processes sharing
    them, which is what forked workers really add) memory of a process, in MB."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                values[name.lower() + "_mb"] = round(int(rest.split()[0]) / 1024, 1)
    except OSError:
        pass
    return values
