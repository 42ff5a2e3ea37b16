"""The procrastinate app and ``defer``: a job and its ``job_progress`` row are written on the
session's connection, inside the caller's transaction (procrastinate's ``connection=``), so a
rolled-back request leaves no job and the worker never runs before the data it needs exist.

Each job takes a ``lock`` named after what it works on (``proposal-17``): two jobs on the same
idea never run at once, and while one waits (``todo``) a second is not queued (the same name
as ``queueing_lock``): the waiting one will see the newest data anyway."""

from __future__ import annotations

import procrastinate
from procrastinate import exceptions as queue_errors
from sqlalchemy.orm import Session

from leerstand.models import JobProgress

MATCHING = "matching"  # the queue of the re-matching jobs
IMPORTS = "imports"  # the import wizard's dry runs and commits
QUEUES = [MATCHING, IMPORTS]  # what ``flask worker`` works on
IMPORT_TASKS = {"plan": "import_plan", "commit": "import_commit"}  # by the wizard's kind
REMATCH_PROPOSAL = "rematch_proposal"
REMATCH_TOWN = "rematch_town"
RETRY_STALLED = "retry_stalled_jobs"
PRUNE_JOBS = "prune_jobs"

# The connector is opened by the worker only (``flask worker``); web requests defer on their
# own connection and need no pool.
queue = procrastinate.App(
    connector=procrastinate.PsycopgConnector(),
    import_paths=["leerstand.services.jobs.tasks"],
)


def defer(
    session: Session,
    task: str,
    *,
    municipality_id: int,
    subject: str,
    lock: str,
    queue_name: str = MATCHING,
    **kwargs,
) -> int | None:
    """Queue ``task(**kwargs)`` in the session's transaction; returns the job's id, or None
    when the same work (``lock``) already waits in the queue."""
    session.flush()
    try:
        with session.begin_nested():  # a refused duplicate must not spoil the transaction
            # asked inside the block: the session opens the savepoint on first use
            connection = session.connection().connection.driver_connection
            deferrer = queue.configure_task(
                task, connection=connection, queue=queue_name, lock=lock, queueing_lock=lock
            )
            job_id = deferrer.defer(**kwargs)
    except queue_errors.AlreadyEnqueued:
        return None
    session.add(
        JobProgress(
            job_id=job_id, municipality_id=municipality_id, task=task, subject=subject[:300]
        )
    )
    session.flush()
    return job_id


def defer_rematch_proposal(session: Session, proposal) -> int | None:
    return defer(
        session,
        REMATCH_PROPOSAL,
        municipality_id=proposal.municipality_id,
        subject=proposal.title,
        lock=f"proposal-{proposal.id}",
        proposal_id=proposal.id,
    )


def defer_rematch_town(session: Session, municipality) -> int | None:
    return defer(
        session,
        REMATCH_TOWN,
        municipality_id=municipality.id,
        subject=municipality.name,
        lock=f"town-{municipality.id}",
        town_id=municipality.id,
    )


def defer_import(
    session: Session, kind: str, upload, *, import_dir: str, municipality_id: int, user_id: int
) -> int | None:
    """The wizard's dry run (``kind`` "plan") or commit of ``upload`` (services.imports.job);
    None when one of the same upload waits already."""
    return defer(
        session,
        IMPORT_TASKS[kind],
        municipality_id=municipality_id,
        subject=upload.file_name,
        lock=f"import-{upload.token}",
        queue_name=IMPORTS,
        token=upload.token,
        import_dir=import_dir,
        town_id=municipality_id,
        user_id=user_id,
    )
