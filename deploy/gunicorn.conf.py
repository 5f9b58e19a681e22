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
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
