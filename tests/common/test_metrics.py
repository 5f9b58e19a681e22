"""``/metrics``: hidden unless configured, refused without the token or an allowed address; request,
booking, outbox and queue figures that equal what happened; summed across gunicorn workers."""

import base64
import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from sciweek.bookings.services import book
from sciweek.common.errors import Conflict, ServiceError
from sciweek.notifications.models import OutboxMessage, OutboxStatus
from tests.bookings.builders import open_day, phone, req, session_of

pytestmark = pytest.mark.django_db
TOKEN = "s3cret-metrics-token"
ROOT = Path(__file__).resolve().parents[2]


def scrape(client=None, **headers) -> str:
    response = (client or Client()).get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}", **headers}
    )
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one sample in Prometheus text format, or None when it is absent."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        metric, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', metric))
        if metric.split("{")[0] == name and found == {k: str(v) for k, v in labels.items()}:
            return float(value)
    return None


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def test_metrics_are_absent_unless_configured(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert Client().get("/metrics").status_code == 404


def test_metrics_refuse_a_missing_or_wrong_token(token):
    assert Client().get("/metrics").status_code == 403
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403
    assert b"sciweek_" not in wrong.content


def test_metrics_admit_an_allowed_network_without_a_token(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16", "192.168.5.7"]
    assert Client(REMOTE_ADDR="10.1.44.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.168.5.7").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.2.0.1").get("/metrics").status_code == 403


def test_requests_are_counted_by_view_and_status(token):
    def count(status):
        value = REGISTRY.get_sample_value(
            "sciweek_http_requests_total", {"view": "healthz", "method": "GET", "status": status}
        )
        return value or 0

    before = count("200")
    for _ in range(3):
        assert Client().get("/healthz").status_code == 200
    text = scrape()

    assert count("200") == before + 3
    assert (
        sample(text, "sciweek_http_requests_total", view="healthz", method="GET", status="200")
        == before + 3
    )
    assert sample(text, "sciweek_http_request_seconds_count", view="healthz") >= 3
    unknown = Client().get("/no-such-page/at-all/")
    assert unknown.status_code == 404
    assert (
        REGISTRY.get_sample_value(
            "sciweek_http_requests_total", {"view": "unresolved", "method": "GET", "status": "404"}
        )
        >= 1
    )


def test_booking_attempts_are_counted_by_outcome(token):
    session = session_of(open_day(waitlist_enabled=False), capacity=1)

    def attempts(outcome):
        return (
            REGISTRY.get_sample_value("sciweek_booking_attempts_total", {"outcome": outcome}) or 0
        )

    booked, full, invalid = attempts("confirmed"), attempts("full"), attempts("invalid")
    book(session=session, data=req())
    with pytest.raises(Conflict):
        book(session=session, data=req(phone=phone(1)))
    with pytest.raises(ServiceError):
        book(session=session, data=req(phone="123", consent=False))
    text = scrape()

    assert attempts("confirmed") == booked + 1
    assert attempts("full") == full + 1
    assert attempts("invalid") == invalid + 1
    assert sample(text, "sciweek_booking_attempts_total", outcome="confirmed") == booked + 1


def test_the_outbox_shows_waiting_and_failed_messages_by_channel(token):
    def message(status, channel):
        return OutboxMessage.objects.create(
            kind="test", recipient="x", subject="s", body="b", status=status, channel=channel
        )

    for _ in range(3):
        message(OutboxStatus.PENDING, "sms")
    message(OutboxStatus.PENDING, "email")
    message(OutboxStatus.FAILED, "sms")
    message(OutboxStatus.SENT, "email")

    text = scrape()

    assert sample(text, "sciweek_outbox_messages", status="pending", channel="sms") == 3
    assert sample(text, "sciweek_outbox_messages", status="pending", channel="email") == 1
    assert sample(text, "sciweek_outbox_messages", status="failed", channel="sms") == 1
    assert sample(text, "sciweek_outbox_messages", status="failed", channel="email") == 0
    assert sample(text, "sciweek_outbox_oldest_pending_seconds") >= 0


@pytest.fixture
def broker(monkeypatch):
    """A Celery app of its own on a real broker, asked by the metrics (the project's app is left
    alone: its configuration is read once per process)."""
    from celery import Celery

    from sciweek.common import metrics

    app = Celery("metrics-test", set_as_current=False)
    app.conf.task_always_eager = False
    monkeypatch.setattr(metrics, "celery_app", lambda: app)
    yield app
    app.close()


def test_queue_lengths_come_from_the_broker(token, broker):
    app = broker
    app.conf.broker_url = (
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0] + "/9"
    )
    try:
        with app.connection_for_write() as connection:
            connection.default_channel.client.delete("mail", "reports", "default")
            for _ in range(2):
                app.send_task(
                    "sciweek.notifications.tasks.send_pending", queue="mail", connection=connection
                )
        text = scrape()
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.client.delete("mail")
    assert sample(text, "sciweek_broker_up") == 1
    assert sample(text, "sciweek_celery_queue_length", queue="mail") == 2
    assert sample(text, "sciweek_celery_queue_length", queue="reports") == 0


def test_a_broker_that_is_down_leaves_the_scrape_up(token, broker):
    broker.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    text = scrape()
    assert sample(text, "sciweek_broker_up") == 0
    assert sample(text, "sciweek_outbox_messages", status="pending", channel="sms") == 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=False)
def test_gunicorn_workers_are_summed_in_one_scrape(tmp_path):
    """deploy/gunicorn.conf.py with several workers: every request is counted once, whichever
    worker answered it and whichever worker answers the scrape."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        SCIWEEK_PROFILE="production",
        SECRET_KEY="metrics-test-" + "k" * 50,
        SCIWEEK_DATA_KEY=base64.b64encode(os.urandom(32)).decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SCIWEEK_DATA_DIR=str(data_dir),
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
        LOG_LEVEL="WARNING",
    )
    script = Path(sys.executable).with_name("sciweek")
    migrated = subprocess.run(
        [str(script), "migrate", "-v0"], env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "sciweek.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                # Not /healthz: a request that timed out while workers booted would count there.
                conn.request("GET", "/robots.txt", headers=headers)
                status = conn.getresponse().status
                conn.close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
        assert status == 200
        for _ in range(30):  # a new connection each time: the workers take turns
            # A long timeout: a worker still booting on a loaded machine answers late, and a
            # request given up on would still be counted (no retries here, to count exactly).
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz", headers=headers)
            assert conn.getresponse().status == 200
            conn.close()
        texts = []
        for _ in range(3):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/metrics", headers={**headers, "Authorization": f"Bearer {TOKEN}"})
            response = conn.getresponse()
            assert response.status == 200
            texts.append(response.read().decode())
            conn.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    for text in texts:
        assert (
            sample(text, "sciweek_http_requests_total", view="healthz", method="GET", status="200")
            == 30
        )
    assert len(list((tmp_path / "prometheus").glob("counter_*.db"))) >= 2
