# gunicorn -c deploy/gunicorn.conf.py sciweek.wsgi
bind = "127.0.0.1:8000"
workers = 4  # about 2 per core
worker_class = "gthread"
threads = 4
timeout = 60
max_requests = 2000
max_requests_jitter = 200
# No access log here: it writes raw paths, which may hold ticket and link secrets. The app writes
# one line per request with the URL pattern and the request id instead (LOG_REQUESTS).
accesslog = None
forwarded_allow_ips = "127.0.0.1"
