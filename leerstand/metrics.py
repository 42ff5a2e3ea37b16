"""Prometheus metrics of the app (prometheus_client), served at ``/metrics`` (views/health.py).

Counted in every process: requests by endpoint, method and status with their duration, mails
sent and failed. Set when scraped: the database pool's connections in use, reminders due. With
several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder for the app (the
systemd unit in the README does): every worker writes its figures there and a scrape adds them
up (``leerstand/gunicorn_conf.py`` tells the library when a worker exits)."""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST
REQUESTS = Counter("leerstand_requests", "HTTP requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "leerstand_request_duration_seconds",
    "Time to answer a request",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
MAILS = Counter("leerstand_mails", "Mails handed to the mail server or outbox", ["result"])
POOL_IN_USE = Gauge(
    "leerstand_db_connections_in_use",
    "Database connections checked out of this process's pool",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "leerstand_db_pool_size", "Connections this process's pool keeps", multiprocess_mode="livesum"
)
REMINDERS_DUE = Gauge(
    "leerstand_reminders_due",
    "Use requests whose owner reminder is due (sent by the daily `flask reminders`)",
    multiprocess_mode="max",
)


LAST_SUCCESS = Gauge(
    "leerstand_task_last_success_timestamp_seconds",
    "When a scheduled command (reminders, retention) last ran through (Unix time)",
    ["task"],
    multiprocess_mode="max",
)


def observe_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    name = endpoint or "unmatched"  # a 404 has no endpoint: one label, not one per address
    REQUESTS.labels(name, method, str(status)).inc()
    LATENCY.labels(name).observe(seconds)


def mail_result(sent: bool) -> None:
    MAILS.labels("sent" if sent else "failed").inc()


def pool_figures(engine) -> None:
    POOL_IN_USE.set(engine.pool.checkedout())
    POOL_SIZE.set(engine.pool.size())


def exposition() -> bytes:
    """The text format of every metric: of all workers when ``PROMETHEUS_MULTIPROC_DIR`` is
    set, else of this process."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()
