"""gunicorn settings for `make serve` and production. Override any of them with the usual
GUNICORN_CMD_ARGS, or the environment variables below."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Rendering is CPU-bound and pages are cached, so one worker per core plus one keeps the CPU
# busy without piling up memory.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# The app itself writes one JSON line per request to stdout, with its request id
# (certs/logs.py), so gunicorn's own access log is off unless GUNICORN_ACCESS_LOG names a file
# ("-" for stdout).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "comparator.wsgi:application"


def post_worker_init(worker):
    """Django, the apps and their modules are loaded now and live as long as the worker: move
    them out of the garbage collector's sight, so each collection during a request only walks
    that request's objects (in-process, this cut the 4-way comparison's worst render of 60 by
    about a third)."""
    gc.collect()
    gc.freeze()
