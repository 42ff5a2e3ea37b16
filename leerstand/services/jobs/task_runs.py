"""The last success of each scheduled command (``task_run``): written at a command's end,
read by /metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from leerstand.models import TaskRun


def succeeded(session: Session, name: str, at: datetime) -> None:
    """Note that ``name`` ran through at ``at`` (the caller commits)."""
    statement = insert(TaskRun).values(name=name, succeeded_at=at)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[TaskRun.name], set_={"succeeded_at": statement.excluded.succeeded_at}
        )
    )


def last_successes(session: Session) -> dict[str, datetime]:
    rows = session.execute(select(TaskRun.name, TaskRun.succeeded_at)).tuples().all()
    return dict(rows)
