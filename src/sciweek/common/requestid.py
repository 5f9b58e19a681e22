"""One id per request, on every log line written while it is served, in its response's
``X-Request-ID`` header, and on the log lines of the Celery tasks it sends.

The id comes from the incoming ``X-Request-ID`` (nginx's ``$request_id``, a load balancer's)
when it is sane, otherwise a new random one. A task sent during the request carries it in its
message headers (``before_task_publish``) and the worker binds it while the task runs
(``task_prerun``); a task run eagerly in the request simply keeps the request's.

No Django models here: the logging configuration loads this module before the apps.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.utils.log import log_response

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# Letters, digits and . _ : - only, 8 to 128 of them: nothing that could forge a log line or a
# JSON field, nor an id so short that two clients' would mix.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

_request_id: ContextVar[str | None] = ContextVar("sciweek_request_id", default=None)
_task: ContextVar[tuple[str, str] | None] = ContextVar("sciweek_task", default=None)

logger = logging.getLogger("sciweek.request")


def is_sane(value) -> bool:
    return isinstance(value, str) and _SANE.fullmatch(value) is not None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIDMiddleware:
    """First in MIDDLEWARE, so that every response (a redirect to HTTPS too) carries the id.

    With ``LOG_REQUESTS`` (on in production) it also writes one line per request: the method,
    the URL *pattern* (never the path, which may hold a ticket's or a link's secret, nor the
    query), the status and the time taken.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.log_requests = settings.LOG_REQUESTS

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if is_sane(incoming) else new_request_id()
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            route = f"/{match.route}" if match is not None and match.route else None
            if response.status_code >= 400:
                # Django logs 4xx and 5xx answers after the middleware, where the id is gone;
                # logged here it has it (and Django then skips its own line). A page's pattern
                # stands for its path; a path that matched no pattern is written as it came.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    route or request.path,
                    response=response,
                    request=request,
                )
            if self.log_requests:
                duration = round((time.monotonic() - started) * 1000, 1)
                logger.info(
                    "%s %s %s %.1fms",
                    request.method,
                    route or "-",
                    response.status_code,
                    duration,
                    extra={
                        "method": request.method,
                        "route": route or "-",
                        "status": response.status_code,
                        "duration_ms": duration,
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class RequestContextFilter(logging.Filter):
    """Puts ``request_id`` ("-" outside a request or task) and, inside a task, ``task_id`` and
    ``task_name`` on every record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        task = _task.get()
        if task is not None:
            record.task_id, record.task_name = task
        return True


@before_task_publish.connect(weak=False, dispatch_uid="sciweek-request-id-publish")
def _send_request_id(headers=None, **kwargs):
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


_bound: dict[str, tuple] = {}


@task_prerun.connect(weak=False, dispatch_uid="sciweek-request-id-prerun")
def _bind_task(task_id=None, task=None, **kwargs):
    # A worker finds the sender's id among the message headers (Celery puts unknown headers on
    # task.request); an eager task has none and keeps the request's.
    sent = getattr(task.request, TASK_HEADER, None)
    request_id = sent if is_sane(sent) else _request_id.get()
    _bound[task_id] = (_request_id.set(request_id), _task.set((task_id, task.name)))


@task_postrun.connect(weak=False, dispatch_uid="sciweek-request-id-postrun")
def _unbind_task(task_id=None, **kwargs):
    tokens = _bound.pop(task_id, None)
    if tokens is None:
        return
    try:
        _task.reset(tokens[1])
        _request_id.reset(tokens[0])
    except ValueError:  # ended in another context than it started: leave nothing bound
        _task.set(None)
        _request_id.set(None)
