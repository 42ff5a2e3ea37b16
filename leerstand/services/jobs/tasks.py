"""The jobs the worker runs. Task names are fixed strings (``queue.REMATCH_*``): jobs already
in the table keep working when code moves."""

from __future__ import annotations

from pathlib import Path

from procrastinate import JobContext
from procrastinate.jobs import Status

from leerstand.models import Municipality, Proposal
from leerstand.services.errors import NotFound
from leerstand.services.imports import job as import_job
from leerstand.services.imports import uploads
from leerstand.services.jobs import runtime
from leerstand.services.jobs.queue import (
    IMPORT_TASKS,
    IMPORTS,
    MATCHING,
    PRUNE_JOBS,
    REMATCH_PROPOSAL,
    REMATCH_TOWN,
    RETRY_STALLED,
    queue,
)
from leerstand.services.matching import service as matching


@queue.task(name=REMATCH_PROPOSAL, queue=MATCHING, pass_context=True, retry=runtime.retry_policy())
def rematch_proposal(context: JobContext, proposal_id: int) -> int:
    """Store the matches of one idea (gone or no longer published: its unreviewed ones go)."""
    with runtime.running(context.job.id) as (session, progress):
        proposal = session.get(Proposal, proposal_id)
        if proposal is None:
            return 0
        return matching.rematch_proposal(session, proposal, progress=progress)


@queue.task(name=REMATCH_TOWN, queue=MATCHING, pass_context=True, retry=runtime.retry_policy())
def rematch_town(context: JobContext, town_id: int) -> int:
    """Re-match every idea of the municipality (after a bulk import, ``flask rematch``)."""
    with runtime.running(context.job.id) as (session, progress):
        if session.get(Municipality, town_id) is None:
            return 0
        return matching.rematch_all(session, town_id, progress=progress)


@queue.task(
    name=IMPORT_TASKS["plan"], queue=IMPORTS, pass_context=True, retry=runtime.retry_policy()
)
def import_plan(context: JobContext, token: str, import_dir: str, town_id: int, user_id: int):
    """The import wizard's dry run of one upload (writes nothing)."""
    return _import(context, "plan", token, import_dir, town_id, user_id)


@queue.task(
    name=IMPORT_TASKS["commit"], queue=IMPORTS, pass_context=True, retry=runtime.retry_policy()
)
def import_commit(context: JobContext, token: str, import_dir: str, town_id: int, user_id: int):
    """The import wizard's commit of one upload; its batch id (a second run finds the batch)."""
    return _import(context, "commit", token, import_dir, town_id, user_id)


def _import(context, kind: str, token: str, import_dir: str, town_id: int, user_id: int):
    """An upload that is gone (kept a day) ends the job quietly."""
    try:
        upload = uploads.load(Path(import_dir), token, user_id, town_id)
    except NotFound:
        return None
    with runtime.running(context.job.id) as (session, progress):
        outcome = import_job.run(session, kind, upload, town_id, user_id, progress)
    if outcome.ok:
        import_job.finished(kind, upload, outcome.batch_id)
    return outcome.batch_id


@queue.periodic(cron="* * * * *")
@queue.task(name=RETRY_STALLED, queue=MATCHING, queueing_lock=RETRY_STALLED, pass_context=True)
async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
    """Give the jobs of dead workers (no heartbeat for 30 s) back to the queue."""
    return await retry_stalled(context.app)


async def retry_stalled(app) -> int:
    """Each stalled job runs again, unless it used up its attempts (the interrupted run counts):
    then it fails, with the reason on the staff page. Returns the number of stalled jobs."""
    manager = app.job_manager
    stalled = list(await manager.get_stalled_jobs())
    for job in stalled:
        task = app.tasks.get(job.task_name)
        strategy = getattr(task, "retry_strategy", None)  # None: one run only, no retry
        retries = strategy.max_attempts if strategy is not None else 0
        if job.attempts >= retries:
            runtime.worker_lost(job.id)
            await manager.finish_job_by_id_async(job.id, Status.FAILED, delete_job=False)
        else:
            await manager.retry_job(job)
    return len(stalled)


KEEP_HOURS = 30 * 24  # ended jobs stay on the staff page this long


@queue.periodic(cron="17 3 * * *")
@queue.task(name=PRUNE_JOBS, queue=MATCHING, queueing_lock=PRUNE_JOBS, pass_context=True)
async def prune_jobs(context: JobContext, timestamp: int) -> None:
    """Nightly: forget the jobs that ended more than 30 days ago."""
    await prune(context.app)


async def prune(app, keep_hours: int = KEEP_HOURS) -> None:
    """Delete the jobs (failed and cancelled ones too) that ended more than ``keep_hours``
    ago, with their progress rows."""
    await app.job_manager.delete_old_jobs(
        nb_hours=keep_hours, include_failed=True, include_cancelled=True, include_aborted=True
    )
    runtime.forget_deleted_jobs()


OUR_TASKS = (rematch_proposal, rematch_town, import_plan, import_commit)
