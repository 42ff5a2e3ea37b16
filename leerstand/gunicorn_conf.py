"""gunicorn's settings for Leerstand in production:

    gunicorn -c python:leerstand.gunicorn_conf 'leerstand:create_app()'

Each value can be changed by the environment (below) or on the command line after ``-c``.
Workers: ``WEB_CONCURRENCY``, else 2 × CPUs + 1, at most 8. Every worker keeps up to
``DB_POOL_SIZE`` + ``DB_MAX_OVERFLOW`` database connections (5 + 10): workers × 15, plus the job
worker and cron commands, must stay below the server's ``max_connections`` (100 by default).
Requests time out after 30 s (the database's statement limit is 20 s, so a slow statement gets
its own page first); a graceful restart (``kill -HUP``, ``systemctl reload``) lets running
requests finish for up to 30 s. The access log masks owner secrets and writes the response time
and the request id (``X-Request-ID``, also on error pages and in the app's log lines). With
``PROMETHEUS_MULTIPROC_DIR`` set, /metrics adds up the figures of every worker."""

from __future__ import annotations

import os

from leerstand.config import web_workers

bind = os.environ.get("LEERSTAND_BIND", "127.0.0.1:8000")
workers = web_workers()
timeout = 30
graceful_timeout = 30
keepalive = 5
# a worker is replaced after this many requests (slow leaks never pile up); jitter spreads it
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
logger_class = "leerstand.gunicorn_logging.MaskingLogger"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s "%(a)s"'


def child_exit(_server, worker) -> None:
    """A worker's metrics leave the shared folder with it (PROMETHEUS_MULTIPROC_DIR)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
