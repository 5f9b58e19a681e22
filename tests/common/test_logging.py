"""Logs: each line carries its request's id (sent as X-Request-ID, or made up when missing or
not sane) and returns it in the response; Celery tasks sent during the request log with the same
id on a real worker; the production format is one JSON object per line; personal data is masked
in every line."""

from __future__ import annotations

import io
import json
import logging
import re
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sciweek.celery import app as celery_app
from sciweek.common.logformat import JsonFormatter, PlainFormatter, scrub
from sciweek.common.requestid import RequestContextFilter, RequestIDMiddleware

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


@celery_app.task(name="tests.common.log_in_task")
def log_in_task(n):
    logging.getLogger("tests.task").info("task %s ran", n)


class Lines:
    """What a production handler (the JSON formatter and the request filter) wrote."""

    def __init__(self, formatter):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(formatter)
        self.handler.addFilter(RequestContextFilter())

    def text(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def json(self, logger: str | None = None) -> list[dict]:
        lines = [json.loads(line) for line in self.text()]
        return [line for line in lines if logger is None or line["logger"] == logger]


@pytest.fixture
def json_lines():
    lines = Lines(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(lines.handler)
    yield lines
    root.removeHandler(lines.handler)


def test_response_carries_a_new_request_id_when_none_is_sent(client):
    response = client.get("/healthz")
    assert GENERATED.fullmatch(response["X-Request-ID"])
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept(client):
    sent = "5f2b9c0e1d7a4c3b8e6f0a1b2c3d4e5f"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    lb = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=lb)["X-Request-ID"] == lb


@pytest.mark.parametrize(
    "sent",
    [
        "short",
        "a" * 129,
        "two words here",
        'x"}, {"level": "ERROR',
        "-leading-dash",
        "ид-запроса-1",
    ],
)
def test_an_insane_request_id_is_replaced(client, sent):
    answered = client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert GENERATED.fullmatch(answered)


def test_log_lines_of_a_request_carry_its_id_as_json(client, json_lines):
    sent = "req-0001-zibo-sciweek"
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=sent)
    assert response.status_code == 404
    [line] = json_lines.json("django.request")
    assert set(line) == {"time", "level", "logger", "message", "status_code", "request_id"}
    assert (line["level"], line["message"], line["status_code"], line["request_id"]) == (
        "WARNING",
        "Not Found: /no-such-page/",
        404,
        sent,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00", line["time"])


def test_request_line_names_the_route_never_the_secret_path(client, json_lines, settings):
    settings.LOG_REQUESTS = True
    response = client.get(
        "/accounts/password/reset/MTIz/secret-token-abc/?phone=13812345678",
        HTTP_X_REQUEST_ID="req-route-1",
    )
    [line] = json_lines.json("sciweek.request")
    assert line["route"] == "/accounts/password/reset/<uidb64>/<token>/"
    assert (line["method"], line["status"], line["request_id"]) == (
        "GET",
        response.status_code,
        "req-route-1",
    )
    assert line["message"].startswith(
        f"GET /accounts/password/reset/<uidb64>/<token>/ {response.status_code} "
    )
    assert isinstance(line["duration_ms"], float)
    assert "secret-token-abc" not in json_lines.stream.getvalue()
    assert "13812345678" not in json_lines.stream.getvalue()


def test_request_lines_are_off_unless_asked(client, json_lines, settings):
    settings.LOG_REQUESTS = False
    client.get("/healthz")
    assert json_lines.json("sciweek.request") == []


def test_task_sent_during_a_request_logs_with_its_request_id_on_a_worker(json_lines):
    from celery.contrib.testing.worker import start_worker

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        # A real worker thread consuming the in-memory broker: the id travels in the message.
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # Starting the worker sets Django up again, which reconfigures the root logger.
            logging.getLogger().addHandler(json_lines.handler)

            def view(request):
                log_in_task.delay(7)
                logging.getLogger("tests.view").info("sent")
                return HttpResponse()

            request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-task-0042")
            response = RequestIDMiddleware(view)(request)
            deadline = time.monotonic() + 20
            while not json_lines.json("tests.task") and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        celery_app.conf.task_always_eager = eager
    assert response["X-Request-ID"] == "req-task-0042"
    [sent] = json_lines.json("tests.view")
    [ran] = json_lines.json("tests.task")
    assert sent["request_id"] == "req-task-0042"
    assert (ran["message"], ran["request_id"], ran["task_name"]) == (
        "task 7 ran",
        "req-task-0042",
        "tests.common.log_in_task",
    )
    assert re.fullmatch(r"[0-9a-f-]{36}", ran["task_id"])


def test_eager_task_keeps_the_request_id(json_lines):
    def view(request):
        log_in_task.delay(8)  # no broker: runs here, in the request
        return HttpResponse()

    RequestIDMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-eager-0001"))
    [ran] = json_lines.json("tests.task")
    assert (ran["message"], ran["request_id"], ran["task_name"]) == (
        "task 8 ran",
        "req-eager-0001",
        "tests.common.log_in_task",
    )


def test_lines_outside_a_request_have_no_id(json_lines):
    logging.getLogger("tests.command").info("purged %d bookings", 3)
    [line] = json_lines.json("tests.command")
    assert (line["message"], line["request_id"]) == ("purged 3 bookings", "-")
    assert "task_id" not in line


def test_personal_data_is_masked_in_json_lines_and_tracebacks(json_lines):
    logger = logging.getLogger("tests.personal")
    logger.warning(
        "booking for %s, ID %s, mail %s",
        "13812345678",
        "37030319900101123X",
        "zhang.san@example.cn",
        extra={"phone": "13912345678", "detail": {"id_number": "370303199001011234"}},
    )
    phone = "137" + "12345678"  # not written out: the traceback quotes this source line
    try:
        raise ValueError(f"duplicate:\n{phone} already booked")
    except ValueError:
        logger.exception("refused")
    first, second = json_lines.json("tests.personal")
    assert (
        first["message"] == "booking for 138****5678, ID 370303********123X, mail z***@example.cn"
    )
    assert (first["phone"], first["detail"]) == (
        "139****5678",
        {"id_number": "370303********1234"},
    )
    assert "137****5678 already booked" in second["exc_info"]
    everything = json_lines.stream.getvalue()
    for raw in ("13812345678", "13912345678", "13712345678", "370303199001011234", "zhang.san@"):
        assert raw not in everything


def test_plain_lines_carry_the_request_id_and_are_masked(client):
    lines = Lines(PlainFormatter("%(levelname)s %(name)s [%(request_id)s] %(message)s"))
    logger = logging.getLogger("tests.plain")
    logger.addHandler(lines.handler)
    try:

        def view(request):
            logger.info("SMS to %s", "13812345678")
            return HttpResponse()

        RequestIDMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-plain-01"))
    finally:
        logger.removeHandler(lines.handler)
    assert lines.text() == ["INFO tests.plain [req-plain-01] SMS to 138****5678"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key a13812345678b stays", "key a13812345678b stays"),
        ("id 5f2b13812345678abc stays", "id 5f2b13812345678abc stays"),
        ("12345678901 is not a mobile", "12345678901 is not a mobile"),
        ("+86 13812345678", "+86 138****5678"),
        ("电话13812345678。", "电话138****5678。"),
    ],
)
def test_scrub_masks_only_what_stands_alone(text, expected):
    assert scrub(text) == expected
