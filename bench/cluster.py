"""Several nodes: two web nodes and the Celery workers on one PostgreSQL database, one Redis and
a real broker, in the production profile, checked with real HTTP requests.

    uv run python bench/cluster.py              # ~2 min; prints one JSON line
    uv run python bench/cluster.py --short      # what tests/test_cluster.py runs in CI

What it does, and undoes at the end:

1. creates a fresh PostgreSQL database (``DATABASE_URL`` with ``_nodes`` added to its name,
   default ``postgres://postgres@127.0.0.1:5432/sciweek_cluster_nodes``; dropped first if it
   exists), migrates it, collects the static files and loads the demo (organisations, accounts,
   the 2023 and current editions, activities, summaries) with a bookable session of
   ``--capacity`` places added to a published demo activity;
2. starts two web nodes, A and B, each ``gunicorn -c deploy/gunicorn.conf.py sciweek.wsgi`` on its
   own port (``--workers`` overrides the file's worker count), and the Celery side as
   ``deploy/`` runs it: one worker per queue (``mail`` with 2 processes, ``reports`` and
   ``default`` with 1) and beat; with ``--short``, one worker taking the three queues
   (``--worker-concurrency`` processes). All of them run in the production profile from the
   environment (``SCIWEEK_PROFILE=production``, a random ``SECRET_KEY`` and ``SCIWEEK_DATA_KEY``
   shared by all, ``ALLOWED_HOSTS``, ``SITE_URL``, ``REDIS_URL``, ``CELERY_BROKER_URL``,
   ``TRUST_X_FORWARDED_FOR=1``, ``BOOKING_RATE_PER_IP``), each with a data directory of its own
   whose ``private`` and ``media`` are links to one shared directory (the shared volume of a
   real deployment; ``static`` too, which real web machines collect each for themselves). The
   broker is RabbitMQ (``amqp://guest:guest@127.0.0.1:5672``, a virtual host of its own made
   with ``rabbitmqctl`` and deleted at the end when that works) when port 5672 answers, else
   Redis (``--broker``). Mail goes by SMTP to a local server inside this script (aiosmtpd),
   which counts what arrives;
3. every request carries ``Host`` (one name for both nodes) and ``X-Forwarded-Proto: https`` as
   nginx sends them, and checks, each an entry of the JSON:

   - ``session``: the organiser signs in on A; B serves the back office to that cookie; signing
     out on B ends the session on A too;
   - ``cache``: an anonymous visitor reads an activity list on B until it is cached (in Redis and
     in each worker's memory); the organiser approves a demo activity waiting in city review on
     A, with the CSRF token of B's page; B's very next answers list it and serve its page;
   - ``rate_limit``: ``--rate-limit`` + 2 bookings from one client address (``X-Forwarded-For``)
     alternating between A and B: the first ``--rate-limit`` are booked, the rest refused 429
     ``rate_limited`` on either node;
   - ``outbox``: the confirmation mail of each of those bookings (written on A or B) arrives
     exactly once, although ``--extra-sends`` more send runs race on the mail worker's processes;
     every row is ``sent`` after one attempt;
   - ``report``: the organiser asks A for the city summary (Word); the worker compiles it; B's
     progress list links to it; A and B serve the same bytes (the file in the shared volume);
   - when ``nginx`` is installed (and not ``--no-nginx``), ``deploy/nginx-nodes.conf`` itself in
     front of A and B (only addresses, ports, a self-signed certificate and the static path
     replaced): ``nginx`` — health, a page and a static file through it, and bookings with a
     made-up ``X-Forwarded-For`` each still counted as the one address nginx saw; ``failover``
     — node A stopped, every read through nginx answered;
4. measures each process's memory (RSS and PSS from ``/proc``) after the checks (before the
   failover): the gunicorn master and workers of each node, each Celery worker's main process
   and pool, beat;
5. prints one JSON line (``ok``: every check as expected), then stops every process it
   started (also on failure or SIGTERM, printing the end of each log), drops the database,
   empties the Redis database (``REDIS_URL``, default ``redis://127.0.0.1:6379/14``: give it a
   database of its own) and removes the RabbitMQ virtual host and the data directories.

Ports: free loopback ports, or the first free ones in ``--ports FIRST-LAST``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from support import (  # bench/support.py, beside this script
    children,
    free_port,
    free_port_in,
    memory_mb,
    recreate_database,
    start_process,
    stop_processes,
    wait_for_http,
)

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciweek_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
RABBITMQ = ("127.0.0.1", 5672)
HOST = "sciweek.test"  # the one public name both nodes answer for, as behind nginx
CLIENT_ADDRESS = "203.0.113.7"  # the booker's address, as nginx passes it on
QUEUES = "mail,reports,default"
# deploy/sciweek-worker-<queue>.service's --concurrency.
PER_QUEUE_CONCURRENCY = {"mail": 2, "reports": 1, "default": 1}


def log(message: str) -> None:
    print(
        f"[cluster {time.strftime('%H:%M:%S', time.gmtime())}] {message}",
        file=sys.stderr,
        flush=True,
    )


# HTTP -------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One visitor: its cookies, sent to whichever node it asks, as nginx would pass them on.
    The cookies are Secure (production profile), so they are kept here rather than in a cookie
    jar that would not send them over plain HTTP to loopback."""

    forwarded_for: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    tls: bool = False  # through nginx (its self-signed certificate) instead of to a node

    def request(self, port: int, method: str, path: str, *, form=None, payload=None) -> Answer:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": "en"}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if method == "POST":
            headers["Origin"] = f"https://{HOST}"
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=context)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                pair, _, attributes = cookie.partition(";")
                name, _, value = pair.strip().partition("=")
                if value in ('""', "") or "max-age=0" in attributes.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return Answer(response.status, dict(response.headers.items()), content)
        finally:
            conn.close()

    def get(self, port: int, path: str) -> Answer:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, **kwargs) -> Answer:
        return self.request(port, "POST", path, **kwargs)


def csrf_token(page: Answer) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not found:
        raise RuntimeError(f"no CSRF token in a {page.status} page")
    return found.group(1)


# Mail -------------------------------------------------------------------------------------------


class MailSink:
    """A real SMTP server on loopback that keeps what it receives (recipients, subject)."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.received: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes
                from email.header import decode_header, make_header

                message = message_from_bytes(envelope.content)
                subject = str(make_header(decode_header(message.get("Subject", ""))))
                with sink._lock:
                    sink.received.extend((to, subject) for to in envelope.rcpt_tos)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()

    def to(self, address: str) -> int:
        with self._lock:
            return sum(1 for to, _ in self.received if to == address)

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def stop(self) -> None:
        self.controller.stop()


# Broker -----------------------------------------------------------------------------------------


def rabbitmq_answers() -> bool:
    try:
        with socket.create_connection(RABBITMQ, timeout=1):
            return True
    except OSError:
        return False


def rabbitmqctl(*args: str) -> bool:
    tool = shutil.which("rabbitmqctl")
    if tool is None:
        return False
    try:
        done = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@dataclass
class Broker:
    url: str
    kind: str
    vhost: str | None = None

    @classmethod
    def choose(cls, wanted: str, redis_url: str) -> Broker:
        if wanted == "redis" or (wanted == "auto" and not rabbitmq_answers()):
            return cls(url=redis_url, kind="redis")
        # A virtual host of its own: nothing another run left in the queues reaches this one.
        vhost = f"sciweek_cluster_{secrets.token_hex(4)}"
        if rabbitmqctl("add_vhost", vhost) and rabbitmqctl(
            "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"
        ):
            return cls(url=f"amqp://guest:guest@127.0.0.1:5672/{vhost}", kind="rabbitmq",
                       vhost=vhost)  # fmt: skip
        return cls(url="amqp://guest:guest@127.0.0.1:5672//", kind="rabbitmq", vhost="/")

    def remove(self) -> None:
        if self.vhost and self.vhost != "/":
            rabbitmqctl("delete_vhost", self.vhost)


# Data -------------------------------------------------------------------------------------------


@dataclass
class World:
    organiser: str
    password: str
    organiser_name: str
    to_publish: int
    to_publish_title: str
    to_publish_list: str
    session: int
    edition_2023: int


def build_world(capacity: int) -> World:
    """The demo, a bookable session on one of its published activities, and the activity the
    organiser will publish (waiting in city review, not a large event)."""
    from datetime import timedelta
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import timezone

    from sciweek.activities import checks
    from sciweek.activities.models import Activity, Session
    from sciweek.campaigns.models import Edition
    from sciweek.demo.loader import DEMO_PASSWORD, load_demo

    User = get_user_model()
    # Every demo account has the same public password: hash it once (argon2, as production
    # does) instead of once per account, which is most of the demo's loading time.
    hashed = make_password(DEMO_PASSWORD)
    with mock.patch.object(
        User, "set_password", lambda user, raw: setattr(user, "password", hashed)
    ):
        load_demo()
    organiser = User.objects.get(username="organizer")
    waiting = Activity.objects.filter(state="pending_city").order_by("pk")
    to_publish = next(a for a in waiting if not checks.large_event_problems(a))
    bookable = (
        Activity.objects.filter(
            state="published",
            booking_required=True,
            real_name_required=False,
            id_number_required=False,
            edition=to_publish.edition,
        )
        .order_by("pk")
        .first()
    )
    starts = timezone.now() + timedelta(days=7)
    session = Session.objects.create(
        activity=bookable, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity
    )
    list_url = reverse("showcase:activity-list") + f"?area={to_publish.area_id}"
    return World(
        organiser=organiser.username,
        password=DEMO_PASSWORD,
        organiser_name=organiser.display_name,
        to_publish=to_publish.pk,
        to_publish_title=to_publish.title,
        to_publish_list=list_url,
        session=session.pk,
        edition_2023=Edition.objects.get(year=2023).pk,
    )


# Checks -----------------------------------------------------------------------------------------


def sign_in(browser: Browser, port: int, world: World) -> int:
    page = browser.get(port, "/accounts/login/")
    answer = browser.post(
        port,
        "/accounts/login/",
        form={
            "username": world.organiser,
            "password": world.password,
            "csrfmiddlewaretoken": csrf_token(page),
        },
    )
    return answer.status


def check_session(a: int, b: int, world: World) -> tuple[dict, Browser]:
    organiser = Browser()
    signed_in = sign_in(organiser, a, world)
    office_b = organiser.get(b, "/office/")
    anonymous_b = Browser().get(b, "/office/")
    result = {
        "sign_in_on_a": signed_in,
        "office_on_b": office_b.status,
        "name_on_b": world.organiser_name in office_b.text,
        "anonymous_office_on_b": anonymous_b.status,
    }
    result["ok"] = result == {
        "sign_in_on_a": 302,
        "office_on_b": 200,
        "name_on_b": True,
        "anonymous_office_on_b": 302,
    }
    return result, organiser


def check_sign_out(a: int, b: int, organiser: Browser) -> dict:
    page = organiser.get(b, "/office/")
    signed_out = organiser.post(
        b, "/accounts/logout/", form={"csrfmiddlewaretoken": csrf_token(page)}
    )
    # The cookie the browser had before signing out, replayed on A: the session row is gone.
    after = organiser.get(a, "/office/")
    result = {"sign_out_on_b": signed_out.status, "office_on_a_after": after.status}
    result["ok"] = result == {"sign_out_on_b": 302, "office_on_a_after": 302}
    return result


def shared_pages(redis_url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    return sum(1 for _ in client.scan_iter(match=f"{prefix}:*showcase:page:*", count=1000))


def check_cache(a, b, world: World, organiser: Browser, *, reads: int, redis_url, prefix) -> dict:
    from django.urls import reverse

    visitor = Browser()
    page_url = reverse("showcase:activity-detail", args=[world.to_publish])
    title = world.to_publish_title
    # Enough reads that every worker of B has the list in its own memory as well as in Redis.
    before = [world.to_publish_title in visitor.get(b, world.to_publish_list).text
              for _ in range(reads)]  # fmt: skip
    page_before = visitor.get(b, page_url).status
    pages_cached = shared_pages(redis_url, prefix)
    detail = organiser.get(b, reverse("dashboard:activity-detail", args=[world.to_publish]))
    started = time.perf_counter()
    approved = organiser.post(
        a,
        reverse("dashboard:activity-transition", args=[world.to_publish]),
        form={"action": "approve", "csrfmiddlewaretoken": csrf_token(detail)},
    )
    approved_ms = (time.perf_counter() - started) * 1000
    after = [title in visitor.get(b, world.to_publish_list).text for _ in range(reads)]
    page_after = visitor.get(b, page_url)
    result = {
        "reads": reads,
        "listed_on_b_before": sum(before),
        "page_on_b_before": page_before,
        "pages_in_redis_before": pages_cached,
        "approve_on_a": approved.status,
        "approve_ms": round(approved_ms, 1),
        "listed_on_b_after": sum(after),
        "page_on_b_after": page_after.status,
        "title_on_page_after": title in page_after.text,
    }
    result["ok"] = (
        result["listed_on_b_before"] == 0
        and page_before == 404
        and pages_cached > 0
        and approved.status == 302
        and result["listed_on_b_after"] == reads
        and page_after.status == 200
        and result["title_on_page_after"]
    )
    return result


def check_rate_limit(a: int, b: int, world: World, *, limit: int) -> tuple[dict, list[str]]:
    booker = Browser(forwarded_for=CLIENT_ADDRESS)
    answers, nodes, emails = [], [], []
    for n in range(limit + 2):
        node = (a, b)[n % 2]
        email = f"cluster-{n}@example.test"
        answer = booker.post(
            node,
            f"/api/v1/sessions/{world.session}/bookings/",
            payload={
                "name": f"测试{n}",
                "phone": f"1380013{n:04d}",
                "email": email,
                "consent": True,
            },
        )
        code = json.loads(answer.body).get("code") if answer.status >= 400 else None
        answers.append(answer.status if code is None else f"{answer.status} {code}")
        nodes.append("AB"[n % 2])
        if answer.status == 201:
            emails.append(email)
    expected = [201] * limit + ["429 rate_limited"] * 2
    return {"limit": limit, "nodes": "".join(nodes), "answers": answers,
            "ok": answers == expected}, emails  # fmt: skip


def check_outbox(sink: MailSink, emails: list[str], *, extra_sends: int, timeout: float) -> dict:
    from sciweek.notifications.models import OutboxMessage
    from sciweek.notifications.tasks import send_pending

    # More send runs than messages, through the broker, on the worker's processes at once: each
    # row is claimed under its lock, so none of them may send a message twice.
    for _ in range(extra_sends):
        send_pending.delay()
    rows = OutboxMessage.objects.filter(recipient__in=emails)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if rows.count() == len(emails) and not rows.exclude(status="sent").exists():
            break
        time.sleep(0.2)
    delivered_s = time.monotonic() - started
    time.sleep(1.5)  # a message sent twice would arrive now
    per_address = {email: sink.to(email) for email in emails}
    result = {
        "messages": len(emails),
        "extra_send_runs": extra_sends,
        "received": sum(per_address.values()),
        "each_once": all(n == 1 for n in per_address.values()),
        "rows": sorted({(status, n) for status, n in rows.values_list("status", "attempts")}),
        "delivered_s": round(delivered_s, 2),
    }
    result["rows"] = [list(row) for row in result["rows"]]
    result["ok"] = (
        len(emails) > 0
        and result["received"] == len(emails)
        and result["each_once"]
        and result["rows"] == [["sent", 1]]
    )
    return result


def check_report(a: int, b: int, world: World, *, timeout: float) -> dict:
    from django.urls import reverse

    organiser = Browser()
    sign_in(organiser, a, world)
    compile_url = reverse("dashboard:summary-compile") + f"?edition={world.edition_2023}"
    page = organiser.get(a, compile_url)
    started = time.monotonic()
    requested = organiser.post(
        a, compile_url, form={"kind": "docx", "csrfmiddlewaretoken": csrf_token(page)}
    )
    progress_url = reverse("dashboard:summary-compile-progress") + f"?edition={world.edition_2023}"
    link = None
    while time.monotonic() - started < timeout:
        found = re.search(r'href="(/office/summaries/compiled/\d+/)"', organiser.get(
            b, progress_url).text)  # fmt: skip
        if found:
            link = found.group(1)
            break
        time.sleep(0.3)
    compiled_s = time.monotonic() - started
    result = {"requested_on_a": requested.status, "linked_on_b": link is not None,
              "compiled_s": round(compiled_s, 2)}  # fmt: skip
    if link:
        from_a, from_b = organiser.get(a, link), organiser.get(b, link)
        anonymous = Browser().get(b, link)
        result.update(
            {
                "download_a": from_a.status,
                "download_b": from_b.status,
                "bytes": len(from_b.body),
                "same_bytes": hashlib.sha256(from_a.body).digest()
                == hashlib.sha256(from_b.body).digest(),
                "is_docx": from_b.body[:2] == b"PK"
                and "wordprocessingml" in from_b.headers.get("Content-Type", ""),
                "anonymous_b": anonymous.status,
            }
        )
    result["ok"] = (
        requested.status == 302
        and link is not None
        and result.get("download_a") == 200
        and result.get("download_b") == 200
        and result.get("same_bytes") is True
        and result.get("is_docx") is True
        and result.get("bytes", 0) > 1000
        and result.get("anonymous_b") == 302
    )
    return result


def worker_tasks(root: Path, workers) -> dict[str, int]:
    """Tasks the Celery workers ran (their logs), by name."""
    counts: dict[str, int] = {}
    for name in workers:
        text = (root / f"{name}.log").read_text(errors="replace")
        for task in re.findall(r"Task (sciweek\.[\w.]+)\[[^\]]+\] succeeded", text):
            counts[task] = counts.get(task, 0) + 1
    return counts


def process_memory(master: int) -> dict:
    """The memory of a master process and of each process it forked."""
    workers = [memory_mb(pid) for pid in children(master)]
    return {"master": memory_mb(master), "workers": workers}


# nginx ------------------------------------------------------------------------------------------


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for HOST, valid for a day, and its key."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = directory / "nginx-cert.pem", directory / "nginx-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    )  # fmt: skip
    return cert_path, key_path


def nginx_config(root: Path, shared: Path, nodes: tuple[int, int], https: int, http: int) -> Path:
    """deploy/nginx-nodes.conf as it is, but for loopback: the two nodes' ports, the listening
    ports, a self-signed certificate, the shared static files; inside a minimal main file."""
    cert, key = self_signed(root)
    site = (ROOT / "deploy" / "nginx-nodes.conf").read_text()
    for old, new in (
        ("10.0.0.11:8000", f"127.0.0.1:{nodes[0]}"),
        ("10.0.0.12:8000", f"127.0.0.1:{nodes[1]}"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("/etc/ssl/sciweek/fullchain.pem", str(cert)),
        ("/etc/ssl/sciweek/privkey.pem", str(key)),
        ("/srv/sciweek/var/static/", f"{shared}/static/"),
        ("sciweek.example.gov.cn", HOST),
    ):
        if old not in site:
            raise RuntimeError(f"deploy/nginx-nodes.conf no longer has {old!r}")
        site = site.replace(old, new)
    (root / "nginx-site.conf").write_text(site)
    temp = root / "nginx-temp"
    temp.mkdir()
    main = root / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {root}/nginx.pid;\nerror_log {root}/nginx.log warn;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi; uwsgi_temp_path {temp}/uwsgi;\n"
        f"  scgi_temp_path {temp}/scgi;\n  include {root}/nginx-site.conf;\n}}\n"
    )
    return main


def check_nginx(front: int, world: World, shared: Path, *, limit: int) -> dict:
    """Through deploy/nginx-nodes.conf: health, a public page, a static file, and the rate limit
    counting the address nginx saw, whatever X-Forwarded-For the client made up."""
    visitor = Browser(tls=True)
    manifest = json.loads((shared / "static" / "staticfiles.json").read_text())
    static_name = next(iter(sorted(manifest["paths"].values())))
    static = visitor.get(front, f"/static/{static_name}")
    answers = []
    for n in range(limit + 1):
        # A fresh made-up address each time: nginx replaces it with the one it saw.
        liar = Browser(tls=True, forwarded_for=f"198.51.100.{n + 1}")
        answer = liar.post(
            front,
            f"/api/v1/sessions/{world.session}/bookings/",
            payload={"name": f"代理{n}", "phone": f"1390013{n:04d}", "consent": True},
        )
        answers.append(answer.status)
    result = {
        "healthz": visitor.get(front, "/healthz").status,
        "page": visitor.get(front, world.to_publish_list).status,
        "static": static.status,
        "static_cache_control": static.headers.get("Cache-Control"),
        "spoofed_bookings": answers,
    }
    result["ok"] = result == {
        "healthz": 200,
        "page": 200,
        "static": 200,
        "static_cache_control": "public, immutable",
        "spoofed_bookings": [201] * limit + [429],
    }
    return result


def check_failover(front: int, node: subprocess.Popen, *, reads: int, path: str) -> dict:
    """Node A stops; every request through nginx is answered by B."""
    stop_processes([(node, signal.SIGINT)])
    visitor = Browser(tls=True)
    statuses = [visitor.get(front, path).status for _ in range(reads)]
    result = {"node_a_stopped": node.poll() is not None, "reads": reads,
              "answered_200": statuses.count(200)}  # fmt: skip
    result["ok"] = result["node_a_stopped"] and result["answered_200"] == reads
    return result


# Main -------------------------------------------------------------------------------------------


def node_database_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") or "sciweek_cluster"
    return urlunsplit(parts._replace(path=f"/{name}_nodes"))


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def data_dir(root: Path, name: str, shared: Path) -> Path:
    """A process's own data directory; its files live in the shared volume."""
    own = root / name
    own.mkdir()
    for part in ("private", "media", "static"):
        (own / part).symlink_to(shared / part, target_is_directory=True)
    return own


def wait_for_log(path: Path, text: str, process: subprocess.Popen, timeout: float) -> float:
    started = time.monotonic()
    while text not in path.read_text(errors="replace"):
        if process.poll() is not None:
            raise RuntimeError(f"{path.name}: exited with {process.returncode}")
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{path.name}: no {text!r} within {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true",
                        help="the CI form: 2 gunicorn workers per node, fewer reads")  # fmt: skip
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers per node (default: deploy/gunicorn.conf.py's)")  # fmt: skip
    parser.add_argument(
        "--worker-concurrency", type=int, default=2, help="with --short: the one worker's processes"
    )
    parser.add_argument("--no-nginx", action="store_true",
                        help="skip the checks through deploy/nginx-nodes.conf")  # fmt: skip
    parser.add_argument("--broker", choices=("auto", "rabbitmq", "redis"), default="auto")
    parser.add_argument("--rate-limit", type=int, default=4, help="BOOKING_RATE_PER_IP")
    parser.add_argument("--extra-sends", type=int, default=8)
    parser.add_argument("--reads", type=int, default=None, help="list reads before and after")
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument(
        "--ports",
        default=os.environ.get("SCIWEEK_BENCH_PORTS", ""),
        help="FIRST-LAST: take ports from this range (default: $SCIWEEK_BENCH_PORTS, or any)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per wait at most")
    args = parser.parse_args()
    # Stopped from outside (a test's timeout): clean up as on any other failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("cluster: terminated"))

    import runpy

    gunicorn_conf = runpy.run_path(str(GUNICORN_CONF))
    workers = args.workers or (2 if args.short else int(gunicorn_conf["workers"]))
    reads = args.reads or (2 * workers * int(gunicorn_conf.get("threads", 1)))
    database_url = node_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    taken: set[int] = set()

    def port() -> int:
        if not args.ports:
            return free_port()
        first, _, last = args.ports.partition("-")
        chosen = free_port_in(int(first), int(last), taken=taken)
        taken.add(chosen)
        return chosen

    root = Path(tempfile.mkdtemp(prefix="sciweek-cluster-"))
    shared = root / "shared"
    for part in ("private", "media", "static"):
        (shared / part).mkdir(parents=True)
    prefix = f"cluster{secrets.token_hex(4)}"
    broker = sink = None
    processes: dict[str, subprocess.Popen] = {}
    started_at = time.monotonic()
    try:
        broker = Broker.choose(args.broker, redis_url)
        sink = MailSink(port())
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SCIWEEK_TESTING")},
            "SCIWEEK_PROFILE": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SCIWEEK_DATA_KEY": base64.b64encode(os.urandom(32)).decode(),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "SITE_URL": f"https://{HOST}",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": prefix,
            "CELERY_BROKER_URL": broker.url,
            "TRUST_X_FORWARDED_FOR": "1",
            "BOOKING_RATE_LIMITS": "1",
            "BOOKING_RATE_PER_IP": str(args.rate_limit),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.controller.port),
            "EMAIL_USE_TLS": "0",
            "SMS_BACKEND": "console",
            "TWO_FACTOR_REQUIRED_FOR_ADMINS": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "sciweek.settings",
            "SCIWEEK_DATA_DIR": str(shared),
        }
        os.environ.update(env)
        flush_redis(redis_url)
        log(
            f"database {urlsplit(database_url).path[1:]}, broker {broker.kind} {broker.vhost or ''}"
        )
        recreate_database(database_url)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        setup_s = {}

        def timed(step, run):
            step_started = time.monotonic()
            value = run()
            setup_s[step] = round(time.monotonic() - step_started, 1)
            return value

        timed("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
        timed(
            "collectstatic", lambda: call_command("collectstatic", interactive=False, verbosity=0)
        )
        connection.close()
        log(f"migrated and collected {setup_s}; starting 2 web nodes and the workers")

        # The processes start (import, connect) while the world is loaded: nothing they do at
        # start reads it.
        launched = time.monotonic()
        ports = {"a": port(), "b": port()}
        for name, node_port in ports.items():
            node_env = {**env, "SCIWEEK_DATA_DIR": str(data_dir(root, f"node-{name}", shared))}
            processes[name] = start_process(
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "sciweek.wsgi",
                 "--bind", f"127.0.0.1:{node_port}", "--workers", str(workers),
                 "--log-level", "warning"],
                env=node_env, log_path=root / f"node-{name}.log", cwd=ROOT,
            )  # fmt: skip
        # The Celery side as deploy/ runs it (one worker per queue, its concurrency, and the one
        # beat) or, with --short, one worker for the three queues.
        worker_dir = str(data_dir(root, "worker", shared))
        worker_env = {**env, "SCIWEEK_DATA_DIR": worker_dir, "LOG_LEVEL": "INFO"}
        celery = [sys.executable, "-m", "celery", "-A", "sciweek"]
        layout = (
            {"worker": (QUEUES, args.worker_concurrency)}
            if args.short
            else {f"worker-{q}": (q, n) for q, n in PER_QUEUE_CONCURRENCY.items()}
        )
        for name, (queues, concurrency) in layout.items():
            processes[name] = start_process(
                [*celery, "worker", "-Q", queues, "--concurrency", str(concurrency),
                 "--prefetch-multiplier", "1", "--loglevel", "INFO", "-n", f"{name}-{prefix}@%h",
                 "--without-gossip", "--without-mingle"],
                env=worker_env, log_path=root / f"{name}.log", cwd=ROOT,
            )  # fmt: skip
        if not args.short:
            processes["beat"] = start_process(
                [*celery, "beat", "--loglevel", "INFO", "--schedule", f"{worker_dir}/beat-schedule"],
                env=worker_env, log_path=root / "beat.log", cwd=ROOT,
            )  # fmt: skip
        world = timed("world", lambda: build_world(args.capacity))
        connection.close()
        probe = {"Host": HOST, "X-Forwarded-Proto": "https"}
        start_s = {}  # from the launch until each answered (an upper bound)
        for name in ("a", "b"):
            wait_for_http(ports[name], processes[name], headers=probe, answers=2 * workers,
                          timeout=args.timeout * 2)  # fmt: skip
            start_s[name] = round(time.monotonic() - launched, 1)
        for name in layout:
            wait_for_log(root / f"{name}.log", " ready.", processes[name], args.timeout * 2)
            start_s[name] = round(time.monotonic() - launched, 1)
        a, b = ports["a"], ports["b"]
        front = None
        if shutil.which("nginx") and not args.no_nginx:
            front, front_http = port(), port()
            config = nginx_config(root, shared, (a, b), front, front_http)
            processes["nginx"] = start_process(
                [shutil.which("nginx"), "-c", str(config), "-g", "daemon off;"],
                env=env, log_path=root / "nginx-stdout.log", cwd=root,
            )  # fmt: skip
            wait_for_http(front_http, processes["nginx"], headers={"Host": HOST}, timeout=30)
        log(f"serving: A :{a}, B :{b}; workers ready")

        session, organiser = check_session(a, b, world)
        log(f"session {session}")
        cache = check_cache(a, b, world, organiser, reads=reads, redis_url=redis_url,
                            prefix=prefix)  # fmt: skip
        log(f"cache {cache}")
        rate_limit, emails = check_rate_limit(a, b, world, limit=args.rate_limit)
        log(f"rate_limit {rate_limit}")
        outbox = check_outbox(sink, emails, extra_sends=args.extra_sends, timeout=args.timeout)
        log(f"outbox {outbox}")
        report = check_report(a, b, world, timeout=args.timeout)
        log(f"report {report}")
        session.update(sign_out := check_sign_out(a, b, organiser))
        session["ok"] = session["ok"] and sign_out["ok"]
        memory = {
            "node_a": process_memory(processes["a"].pid),
            "node_b": process_memory(processes["b"].pid),
            **{
                name: process_memory(processes[name].pid)
                for name in (*layout, "beat")
                if name in processes
            },
        }
        checks = {"session": session, "cache": cache, "rate_limit": rate_limit,
                  "outbox": outbox, "report": report}  # fmt: skip
        if front is not None:
            checks["nginx"] = check_nginx(front, world, shared, limit=args.rate_limit)
            log(f"nginx {checks['nginx']}")
            checks["failover"] = check_failover(front, processes["a"], reads=reads,
                                                path=world.to_publish_list)  # fmt: skip
            log(f"failover {checks['failover']}")
        print(
            json.dumps(
                {
                    "bench": "cluster",
                    "configuration": {
                        "profile": "production",
                        "nodes": 2,
                        "gunicorn": "deploy/gunicorn.conf.py",
                        "workers_per_node": workers,
                        "threads": gunicorn_conf.get("threads", 1),
                        "worker_class": gunicorn_conf.get("worker_class", "sync"),
                        "celery": {
                            name: {"queues": q, "concurrency": n} for name, (q, n) in layout.items()
                        },
                        "beat": "beat" in processes,
                        "broker": broker.kind,
                        "database": "postgresql",
                        "cache": "redis",
                        "world": "demo",
                        "cpus": os.cpu_count(),
                    },
                    "load": os.getloadavg(),
                    "setup_s": setup_s,
                    "start_s": start_s,
                    **checks,
                    "nginx_front": front is not None,
                    "worker_tasks": worker_tasks(root, layout),
                    "memory_mb": memory,
                    "seconds": round(time.monotonic() - started_at, 1),
                    "ok": all(check["ok"] for check in checks.values()),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    finally:
        # gunicorn's quick shutdown (SIGINT) and Celery's cold one (SIGQUIT): no request or
        # task is left by now, and a graceful one would only wait for idle connections.
        stopping = time.monotonic()
        stop_processes(
            [
                (p, signal.SIGINT if n in ("a", "b") else signal.SIGQUIT)
                for n, p in processes.items()
            ]
        )
        log(f"processes stopped in {time.monotonic() - stopping:.1f} s")
        if sink is not None:
            sink.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        recreate_database(database_url, drop_only=True)
        flush_redis(redis_url)
        if broker is not None:
            broker.remove()
        log("database, Redis database and broker virtual host removed")
        if sys.exc_info()[0] is not None:
            # Failed: what each process said last, for CI's log.
            for path in sorted(root.glob("*.log")):
                tail = path.read_text(errors="replace").splitlines()[-40:]
                log(f"--- {path.name} ---\n" + "\n".join(tail))
        if os.environ.get("SCIWEEK_CLUSTER_KEEP_LOGS"):
            log(f"logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
