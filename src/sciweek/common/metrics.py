"""Prometheus metrics: what an operator watches, at ``/metrics`` behind a token or an allow-list.

- request rates, latencies and errors by view (``sciweek_http_requests_total``,
  ``sciweek_http_request_seconds``), from :class:`MetricsMiddleware`, the outermost middleware so
  that page-cache hits and refusals are counted too;
- booking attempts by outcome (``sciweek_booking_attempts_total``: booked, waiting, or the refusal's
  code), counted by the booking service;
- at each scrape, read where they live: the Celery queues' lengths from the broker, and whatever
  a domain app registers with :func:`register_state` (the outbox's pending and failed messages).

Under gunicorn every worker process counts its own requests. With ``PROMETHEUS_MULTIPROC_DIR``
set (deploy/sciweek-web.service does), the client library keeps the counts in files there and a
scrape of any worker sums them all; gunicorn.conf.py empties the directory at start and marks a
worker's gauges dead when it exits.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views import View
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .requestlocal import client_ip

logger = logging.getLogger("sciweek.metrics")

REQUESTS = Counter(
    "sciweek_http_requests_total",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "sciweek_http_request_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BOOKING_ATTEMPTS = Counter(
    "sciweek_booking_attempts_total",
    "Booking attempts by outcome: booked, waiting, or the code of the refusal.",
    ["outcome"],
)
QUEUES = ("default", "mail", "reports")


def booking_attempt(outcome: str) -> None:
    BOOKING_ATTEMPTS.labels(outcome=outcome).inc()


def _view_label(request, response) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if getattr(response, "from_page_cache", False):
        return "page_cache"
    # Not the path: every distinct unknown URL would become a time series of its own.
    return "unresolved"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_label(request, response)
        LATENCY.labels(view=view).observe(time.perf_counter() - started)
        REQUESTS.labels(view=view, method=request.method, status=str(response.status_code)).inc()
        return response


# --- state read at each scrape -------------------------------------------------------------------

_state_readers: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def register_state(reader: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    """Add gauges read at each scrape (domain apps register theirs in ``AppConfig.ready``)."""
    if reader not in _state_readers:
        _state_readers.append(reader)


def celery_app():
    from sciweek.celery import app

    return app


def queue_lengths() -> Iterable[GaugeMetricFamily]:
    """Messages waiting in each Celery queue, asked of the broker; ``sciweek_broker_up`` 0 if down."""
    up = GaugeMetricFamily("sciweek_broker_up", "1 when the Celery broker answered this scrape.")
    lengths = GaugeMetricFamily(
        "sciweek_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
    )
    app = celery_app()
    if app.conf.task_always_eager:
        return []  # no broker: tasks run in the request

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            channel = connection.default_channel
            for queue in QUEUES:
                try:
                    declared = channel.queue_declare(queue=queue, passive=True)
                    lengths.add_metric([queue], declared.message_count)
                except Exception:  # a queue nobody has declared yet holds nothing
                    channel = connection.channel()
                    lengths.add_metric([queue], 0)
        up.add_metric([], 1)
        return [up, lengths]
    except Exception:  # a broker that is down must not take the scrape down with it
        logger.warning("The Celery broker did not answer the metrics scrape.", exc_info=True)
        up.add_metric([], 0)
        return [up]


class _StateCollector(Collector):
    def collect(self):
        for reader in (queue_lengths, *_state_readers):
            try:
                yield from reader()
            except Exception:  # one reader failing (say, the database) leaves the others
                logger.warning("A metrics reader failed: %s", reader.__name__, exc_info=True)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_DefaultRegistryCollector())
    registry.register(_StateCollector())
    return registry


class _DefaultRegistryCollector(Collector):
    """This process's own counters (a single-process server, or the development server)."""

    def collect(self):
        yield from REGISTRY.collect()


# --- the endpoint --------------------------------------------------------------------------------


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    ip = client_ip(request)
    if ip and settings.METRICS_ALLOWED_IPS:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_IPS)
    return False


class MetricsView(View):
    """``/metrics``: absent (404) unless METRICS_TOKEN or METRICS_ALLOWED_IPS is set; 403 for others."""

    def get(self, request):
        if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_IPS:
            raise Http404
        if not _allowed(request):
            return HttpResponseForbidden("metrics: token or address not allowed\n")
        response = HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response
