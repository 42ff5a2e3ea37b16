"""A job's row in ``job_progress``, written by the running job on a connection of its own
(autocommit), so that staff see the progress while the job's transaction is still open."""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.engine import Engine

START = "UPDATE job_progress SET done = 0, updated_at = now() WHERE job_id = :job"
ADVANCE = """UPDATE job_progress SET done = :done, total = :total, updated_at = now()
    WHERE job_id = :job"""
FAIL = "UPDATE job_progress SET error = :error, updated_at = now() WHERE job_id = :job"
FINISH = "UPDATE job_progress SET error = NULL, updated_at = now() WHERE job_id = :job"
FORGET = """DELETE FROM job_progress p
    WHERE NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.id = p.job_id)"""
ERROR_LENGTH = 2000


class Reporter:
    """``reporter(done, total)`` while the job runs (at most one write per ``every`` seconds,
    and always the last one); ``failed(exc)`` and ``finished()`` at its end."""

    def __init__(self, engine: Engine, job_id: int, every: float = 0.5):
        self.engine, self.job_id, self.every = engine, job_id, every
        self._last = 0.0

    def _write(self, sql: str, **params) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), {"job": self.job_id, **params})

    def started(self) -> None:
        self._write(START)

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        self._write(ADVANCE, done=done, total=total)

    def failed(self, exc: BaseException) -> None:
        self._write(FAIL, error=f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])

    def finished(self) -> None:
        self._write(FINISH)


def forget_deleted(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(FORGET))
