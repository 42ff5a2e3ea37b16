"""The staff page's list of background jobs: the queue's state and attempts (procrastinate's
``procrastinate_jobs``) with each job's subject, progress and last error (``job_progress``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

LIMIT = 100  # the newest jobs shown

JOBS = """SELECT j.id, p.task, p.subject, j.status::text AS status, j.attempts, p.done, p.total,
        p.error, p.created_at, p.updated_at, j.scheduled_at
    FROM job_progress p JOIN procrastinate_jobs j ON j.id = p.job_id
    WHERE p.municipality_id = :municipality_id
    ORDER BY j.id DESC LIMIT :limit"""


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    task: str
    subject: str
    status: str  # todo, doing, succeeded, failed, cancelled, aborting, aborted
    attempts: int  # runs ended so far (procrastinate's count)
    done: int
    total: int | None
    error: str | None
    created_at: datetime
    updated_at: datetime
    scheduled_at: datetime | None  # a retry waits until then

    @property
    def runs(self) -> int:
        """Runs so far, the current one included."""
        return self.attempts + (1 if self.status == "doing" else 0)

    @property
    def waits_for_retry(self) -> bool:
        return self.status == "todo" and self.attempts > 0


def recent_jobs(session: Session, municipality_id: int, limit: int = LIMIT) -> list[JobRow]:
    """The municipality's newest jobs, newest first."""
    params = {"municipality_id": municipality_id, "limit": limit}
    return [JobRow(**row._mapping) for row in session.execute(text(JOBS), params)]


def job_status(session: Session, job_id: int) -> str | None:
    """The queue's status of one job (todo, doing, succeeded, failed …), None when it is gone."""
    sql = "SELECT status::text FROM procrastinate_jobs WHERE id = :id"
    return session.execute(text(sql), {"id": job_id}).scalar()
