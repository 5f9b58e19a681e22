"""deploy/ says what the settings do: a worker unit for every queue the tasks go to, one beat,
nginx letting the largest upload through, passing one forwarded address and the scheme, and
checking the health URL that exists (issue 20)."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

from sciweek.reports.models import ReportingTask

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
NGINX_FILES = ("nginx.conf", "nginx-nodes.conf")
MB = 1024 * 1024


def exec_start(unit: str) -> str:
    return re.search(r"^ExecStart=(.*)$", (DEPLOY / unit).read_text(), re.M).group(1)


def queues_of(unit: str) -> set[str]:
    return set(re.search(r" -Q (\S+)", exec_start(unit)).group(1).split(","))


def task_queue(name: str) -> str:
    from sciweek.celery import app

    return app.amqp.router.route({}, name)["queue"].name


def routed_queues() -> set[str]:
    return {settings.CELERY_TASK_DEFAULT_QUEUE} | {
        route["queue"] for route in settings.CELERY_TASK_ROUTES.values()
    }


def example_env() -> dict[str, str]:
    lines = (DEPLOY / "sciweek.env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": MB, "g": 1024 * MB}[unit]


def test_the_tasks_go_to_the_three_documented_queues():
    assert routed_queues() == {"mail", "reports", "default"}
    assert task_queue("sciweek.notifications.tasks.send_pending") == "mail"
    assert task_queue("sciweek.reports.tasks.run_compilation") == "reports"
    assert task_queue("sciweek.reports.tasks.remind_reports") == "default"


def test_each_queue_has_a_worker_unit_of_its_own_and_no_unit_waits_on_an_unused_queue():
    units = sorted(path.name for path in DEPLOY.glob("sciweek-worker-*.service"))
    assert units == ["sciweek-worker-default.service", "sciweek-worker-mail.service",
                     "sciweek-worker-reports.service"]  # fmt: skip
    for queue in routed_queues():
        assert queues_of(f"sciweek-worker-{queue}.service") == {queue}


def test_the_one_server_worker_takes_every_queue():
    assert queues_of("sciweek-worker.service") == routed_queues()


@pytest.mark.parametrize("job", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_periodic_job_goes_to_a_queue_a_worker_takes(job):
    assert task_queue(settings.CELERY_BEAT_SCHEDULE[job]["task"]) in routed_queues()


def test_there_is_one_beat_unit():
    beats = [path.name for path in DEPLOY.glob("*.service") if " beat " in exec_start(path.name)]
    assert beats == ["sciweek-beat.service"]


@pytest.mark.parametrize("name", NGINX_FILES)
def test_nginx_takes_the_largest_upload(name):
    text = (DEPLOY / name).read_text()
    limit = nginx_size(re.search(r"client_max_body_size (\w+);", text).group(1))
    largest = max(
        settings.MEDIA_VIDEO_MAX_BYTES, ReportingTask._meta.get_field("video_max_bytes").default
    )
    assert largest == 500 * MB
    # The multipart form around the file: a little more than the file itself.
    assert largest + MB <= limit == 600 * MB


@pytest.mark.parametrize("name", NGINX_FILES)
def test_nginx_passes_one_client_address_and_the_scheme(name):
    """SciWeek takes the first address of X-Forwarded-For (``common.requestlocal.client_ip``),
    which $proxy_add_x_forwarded_for would let the client choose."""
    headers = re.findall(r"^\s*proxy_set_header (X-Forwarded-\w+) (\S+);", (DEPLOY / name).read_text(),
                         re.M)  # fmt: skip
    assert {value for header, value in headers if header == "X-Forwarded-For"} == {"$remote_addr"}
    assert ("X-Forwarded-Proto", "$scheme") in headers
    assert example_env()["TRUST_X_FORWARDED_FOR"] == "1"


@pytest.mark.parametrize("name", NGINX_FILES)
def test_nginx_serves_the_collected_static_files(name):
    alias = re.search(r"location /static/ \{\s*alias (\S+);", (DEPLOY / name).read_text()).group(1)
    assert settings.STATIC_URL == "/static/"
    assert alias == example_env()["SCIWEEK_DATA_DIR"] + "/static/"


def test_nginx_for_several_nodes_balances_two_and_checks_the_health_url():
    text = (DEPLOY / "nginx-nodes.conf").read_text()
    upstream = re.search(r"upstream sciweek_web \{(.*?)\n\}", text, re.S).group(1)
    servers = re.findall(r"^\s*server (\S+) max_fails=\d+ fail_timeout=\d+s;", upstream, re.M)
    assert servers == ["10.0.0.11:8000", "10.0.0.12:8000"]
    assert re.findall(r"check_http_send \"GET (\S+) ", upstream) == ["/healthz"]
    assert re.findall(r"location = (\S+) \{", text) == ["/healthz", "/healthz"]
    assert resolve("/healthz").url_name == "healthz"
    assert text.count("proxy_pass http://sciweek_web;") == 3


def test_gunicorn_listens_where_the_environment_says(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    one_server = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert (one_server["bind"], one_server["forwarded_allow_ips"], one_server["workers"]) == (
        "127.0.0.1:8000",
        "127.0.0.1",
        4,
    )
    monkeypatch.setenv("GUNICORN_BIND", "10.0.0.11:8000")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.11,10.0.0.12")
    monkeypatch.setenv("WEB_CONCURRENCY", "8")
    node = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert (node["bind"], node["forwarded_allow_ips"], node["workers"]) == (
        "10.0.0.11:8000",
        "10.0.0.11,10.0.0.12",
        8,
    )
