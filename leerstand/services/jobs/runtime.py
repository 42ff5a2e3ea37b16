"""What the worker provides the jobs: a database session per job (``configure``, called by
``flask worker`` with the app's session and engine) and the retry policy (``retry_policy``:
``--max-attempts`` runs, waiting ``--retry-wait`` ** n seconds before the n-th retry)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import procrastinate
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from leerstand.services.jobs.progress import Reporter, forget_deleted

MAX_ATTEMPTS, RETRY_WAIT = 3, 5  # defaults: three runs, 5 s and 25 s apart
# A job may take longer than a web request (DB_STATEMENT_TIMEOUT_MS is for those) and computes
# scores between statements: its own time limits, for its transaction only.
JOB_LIMITS = (
    "SET LOCAL statement_timeout = '30min'",
    "SET LOCAL idle_in_transaction_session_timeout = '10min'",
)

_scope: Callable[[], AbstractContextManager[Session]] | None = None
_engine: Engine | None = None


def configure(scope: Callable[[], AbstractContextManager[Session]], engine: Engine) -> None:
    """``scope()`` yields a session and commits it at the end of the block (rolls back on an
    error); ``engine`` writes the progress beside it."""
    global _scope, _engine
    _scope, _engine = scope, engine


def retry_policy(max_attempts: int = MAX_ATTEMPTS, wait: int = RETRY_WAIT):
    """procrastinate counts retries: ``max_attempts`` runs are ``max_attempts - 1`` retries; one
    run is no retry strategy at all (procrastinate reads ``max_attempts=0`` as "no limit")."""
    if max_attempts <= 1:
        return None
    return procrastinate.RetryStrategy(max_attempts=max_attempts - 1, exponential_wait=wait)


@contextmanager
def running(job_id: int) -> Iterator[tuple[Session, Reporter]]:
    """The job's session (committed when the block ends) and its progress reporter; an error
    is written to the job's row and raised on (procrastinate retries or fails the job)."""
    if _scope is None or _engine is None:
        raise RuntimeError("jobs.runtime.configure() was not called (flask worker does)")
    reporter = Reporter(_engine, job_id)
    reporter.started()
    try:
        with _scope() as session:
            for limit in JOB_LIMITS:
                session.execute(text(limit))
            yield session, reporter
    except Exception as exc:
        reporter.failed(exc)
        raise
    reporter.finished()


class WorkerLost(RuntimeError):
    """The worker running the job stopped (crash, kill, power) before the job ended."""


def worker_lost(job_id: int) -> None:
    """The job's last run ended with its worker: noted as its error."""
    if _engine is not None:
        Reporter(_engine, job_id).failed(WorkerLost("the worker stopped while running the job"))


def forget_deleted_jobs() -> None:
    """The progress rows of jobs the queue no longer has go too."""
    if _engine is not None:
        forget_deleted(_engine)
