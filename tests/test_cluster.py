"""Several nodes (issue 20): two gunicorn web nodes and a Celery worker on one PostgreSQL
database, Redis and a real broker, in the production profile — ``bench/cluster.py --short``,
which starts them, checks them with real HTTP requests and stops them, as CI runs it."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

BENCH = Path(__file__).resolve().parent.parent / "bench" / "cluster.py"
LIMIT = 4


def run_cluster() -> dict:
    # The bench empties its Redis database before and after: never a default one by surprise.
    assert os.environ.get("REDIS_URL"), "needs REDIS_URL: a Redis database the bench may empty"
    process = subprocess.Popen(
        [sys.executable, str(BENCH), "--short", "--rate-limit", str(LIMIT), "--extra-sends", "8"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        out, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        # SIGTERM lets the bench stop its servers and drop its database before it exits.
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=90)
        pytest.fail(f"bench/cluster.py took more than 300 s:\n{err[-4000:]}")
    assert process.returncode == 0, err[-6000:]
    return json.loads(out.strip().splitlines()[-1])


def test_two_web_nodes_and_a_worker_act_as_one_site():
    result = run_cluster()

    assert result["configuration"]["broker"] in ("rabbitmq", "redis")
    assert result["configuration"]["workers_per_node"] == 2
    # Signed in on A: B serves the back office to the same cookie; signed out on B: A refuses it.
    assert result["session"] == {
        "sign_in_on_a": 302,
        "office_on_b": 200,
        "name_on_b": True,
        "anonymous_office_on_b": 302,
        "sign_out_on_b": 302,
        "office_on_a_after": 302,
        "ok": True,
    }
    # B had the list cached (in Redis and in its workers' memory) before A published the
    # activity; every read on B right after shows it.
    cache = dict(result["cache"])
    assert cache.pop("approve_ms") > 0
    reads = cache["reads"]
    assert reads == 16
    assert cache == {
        "reads": reads,
        "listed_on_b_before": 0,
        "page_on_b_before": 404,
        "pages_in_redis_before": 1,
        "approve_on_a": 302,
        "listed_on_b_after": reads,
        "page_on_b_after": 200,
        "title_on_page_after": True,
        "ok": True,
    }
    # One client address, bookings alternating between the nodes: one count for both.
    assert result["rate_limit"] == {
        "limit": LIMIT,
        "nodes": "ABABAB",
        "answers": [201, 201, 201, 201, "429 rate_limited", "429 rate_limited"],
        "ok": True,
    }
    # Each confirmation written on A or B arrives once, with 8 more send runs racing.
    outbox = dict(result["outbox"])
    assert outbox.pop("delivered_s") >= 0
    assert outbox == {
        "messages": LIMIT,
        "extra_send_runs": 8,
        "received": LIMIT,
        "each_once": True,
        "rows": [["sent", 1]],
        "ok": True,
    }
    # The worker compiled the city summary asked for on A; B links to it; both serve its bytes.
    report = dict(result["report"])
    assert report.pop("compiled_s") > 0
    assert report.pop("bytes") > 10_000
    assert report == {
        "requested_on_a": 302,
        "linked_on_b": True,
        "download_a": 200,
        "download_b": 200,
        "same_bytes": True,
        "is_docx": True,
        "anonymous_b": 302,
        "ok": True,
    }
    tasks = result["worker_tasks"]
    assert tasks["sciweek.reports.tasks.run_compilation"] == 1
    assert tasks["sciweek.notifications.tasks.send_pending"] >= LIMIT + 8
    assert result["ok"] is True
