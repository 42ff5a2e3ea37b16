"""A world for tests of the background jobs in a real worker (procrastinate's, in-process on
the test database): ``live`` (an app whose sessions commit for real, queue emptied before and
after), ``work`` (a worker until the queue is empty), ``running_worker`` (``flask worker`` in a
process of its own, e.g. beside a live server), ``worker_takes_a_job_and_dies`` and
``job_state``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from leerstand.cli.jobs import configure_runtime, run_async, run_worker
from leerstand.db import db
from tests.conftest import TEST_DATABASE_URL, make_app, truncate_volatile

QUEUE_TABLES = "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs"


def clean(engine) -> None:
    truncate_volatile(engine)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {QUEUE_TABLES}, procrastinate_workers CASCADE"))


@pytest.fixture
def live(session):
    """An app on the test database whose sessions commit for real; emptied before and after."""
    app = make_app()
    engine = app.extensions["leerstand_db"]
    db.session.remove()
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    clean(engine)
    try:
        yield app
    finally:
        db.session.remove()
        clean(engine)
        engine.dispose()


def work(app, max_attempts: int = 3) -> None:
    """A worker on ``app`` until the queue is empty (retries without waiting)."""
    configure_runtime(app, max_attempts, retry_wait=0)
    run_async(lambda: run_worker(app, wait=False, install_signal_handlers=False))


@contextmanager
def running_worker(max_attempts: int = 3):
    """``flask worker`` in a process of its own on the test database, as ``scripts/run`` starts
    it beside the app (one process's queue cannot defer while it works), until the block
    ends (SIGTERM: it stops after its running job)."""
    env = dict(
        os.environ, DATABASE_URL=TEST_DATABASE_URL, LEERSTAND_ENV="development",
        LEERSTAND_ENV_FILE=os.devnull,
    )  # fmt: skip
    command = [sys.executable, "-m", "flask", "--app", "leerstand", "worker",
               "--max-attempts", str(max_attempts), "--retry-wait", "0"]  # fmt: skip
    worker = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def worker_takes_a_job_and_dies(app, queue_name: str) -> None:
    """A worker takes the next job of ``queue_name`` and dies: its heartbeat stopped a minute
    ago, so the queue counts the job as stalled."""
    with app.app_context():
        worker_id = db.session.scalar(text("SELECT procrastinate_register_worker_v1()"))
        db.session.execute(
            text("SELECT id FROM procrastinate_fetch_job_v2(ARRAY[:queue], :worker)"),
            {"queue": queue_name, "worker": worker_id},
        )
        db.session.execute(
            text(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute'"
                " WHERE id = :worker"
            ),
            {"worker": worker_id},
        )
        db.session.commit()
        db.session.remove()


def job_state(app) -> list[tuple]:
    """(task, status, attempts, done, total, error) of every job with a progress row."""
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT j.task_name, j.status::text, j.attempts, p.done, p.total, p.error"
                " FROM procrastinate_jobs j JOIN job_progress p ON p.job_id = j.id ORDER BY j.id"
            )
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]
