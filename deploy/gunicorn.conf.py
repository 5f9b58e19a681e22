# gunicorn -c deploy/gunicorn.conf.py sciweek.wsgi
# One server: gunicorn on loopback behind nginx on the same machine (the defaults). Several web
# nodes (docs/operations.md): each listens on its private address, GUNICORN_BIND=10.0.0.11:8000,
# and trusts X-Forwarded-Proto only from the nginx machines, FORWARDED_ALLOW_IPS=10.0.0.11,10.0.0.12.
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))  # about 2 per core
worker_class = "gthread"
threads = 4
timeout = 60
max_requests = 2000
max_requests_jitter = 200
# No access log here: it writes raw paths, which may hold ticket and link secrets. The app writes
# one line per request with the URL pattern and the request id instead (LOG_REQUESTS).
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# Prometheus metrics across workers (see src/sciweek/common/metrics.py): with
# PROMETHEUS_MULTIPROC_DIR set, each worker writes its counts to files there and /metrics sums them.
def on_starting(server):
    import os
    import pathlib

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        path = pathlib.Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):  # counts of a previous run would be summed in
            stale.unlink()


def child_exit(server, worker):
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
