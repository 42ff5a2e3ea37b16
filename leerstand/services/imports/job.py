"""The import wizard's long work on one upload: the dry run (``plan``) and the commit. The
background worker runs it (``services.jobs.tasks.import_upload``); ``IMPORT_INLINE`` (tests)
runs it in the request. Progress (done/total, state, error, batch id) goes into the upload's
folder, which the wizard's page polls, and to the job's ``job_progress`` row.

The commit is one transaction, committed by the caller at the end or rolled back on any
failure, so a failed import writes nothing. It is safe to run again (a worker that died, a
retry): the batch carries the upload's token (unique), and a commit of an upload whose batch
exists only reports that batch. A bad file (``ImportProblem``) or refused settings
(``ServiceError``) is the user's to mend: stored as a message, never retried. Never commits and
never touches Flask."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import ImportBatch
from leerstand.services.errors import ServiceError
from leerstand.services.imports import uploads
from leerstand.services.imports.commit import commit
from leerstand.services.imports.plan import plan
from leerstand.services.imports.readers import read_table
from leerstand.services.imports.settings import Settings
from leerstand.services.imports.table import ImportProblem

log = logging.getLogger(__name__)

PLAN, COMMIT = "plan", "commit"
UNEXPECTED = Text(
    "Beim Import ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es erneut "
    "oder wenden Sie sich an die Administration."
)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Outcome:
    ok: bool  # False: the failure is written to the upload already
    batch_id: int | None = None  # a commit's batch


def run(
    session: Session,
    kind: str,
    upload: uploads.Upload,
    municipality_id: int,
    user_id: int,
    progress: Progress | None = None,
) -> Outcome:
    """Plan or commit ``upload`` (the caller commits the session, then calls ``finished``
    when the outcome is ok). A problem of the file or the settings is written as the upload's
    failure, with the session rolled back; anything else is written as "unexpected" and
    raised (the worker runs the job again)."""
    try:
        return Outcome(True, _work(session, kind, upload, municipality_id, user_id, progress))
    except (ImportProblem, ServiceError) as exc:
        session.rollback()
        failed(kind, upload, exc.args[0] if exc.args else UNEXPECTED)
        return Outcome(False)
    except Exception:
        log.exception("import %s of an upload failed", kind)
        session.rollback()
        failed(kind, upload, UNEXPECTED)
        raise


def failed(kind: str, upload: uploads.Upload, message: object) -> None:
    """The run ended without a result: the commit may be tried again."""
    if kind == COMMIT:
        uploads.release_commit(upload)
    uploads.write_status(upload, kind, uploads.FAILED, error=message, rolled_back=True)


def finished(kind: str, upload: uploads.Upload, batch_id: int | None) -> None:
    """After the caller's commit: the wizard's page shows the result."""
    total = uploads.status(upload) or {}
    rows = total.get("total") or 0
    extra = {"batch_id": batch_id} if kind == COMMIT else {}
    uploads.write_status(upload, kind, uploads.DONE, rows, rows, **extra)


def _work(session, kind, upload, municipality_id, user_id, progress) -> int | None:
    if kind == COMMIT:
        done = session.scalar(
            select(ImportBatch.id).where(ImportBatch.upload_token == upload.token)
        )
        if done is not None:  # a run before this one committed it
            return done
    table = read_table(upload.path, upload.file_name)
    settings = Settings.from_json(upload.settings or {})
    total = len(table.rows)

    def report(done: int, total_: int) -> None:
        uploads.write_status(upload, kind, uploads.RUNNING, done, total_)
        if progress is not None:
            progress(done, total_)

    report(0, total)
    if kind == PLAN:
        result = plan(session, municipality_id, table, settings, report)
        session.rollback()  # a dry run writes nothing
        uploads.save_plan(upload, plan_json(result))
        log.info("Import-Probelauf: %s Zeilen geprüft (Kommune %s)", total, municipality_id)
        return None
    batch = commit(session, municipality_id, user_id, table, settings, report, upload.token)
    log.info("Import: %s Zeilen, Stapel %s (Kommune %s)", total, batch.id, municipality_id)
    return batch.id


def plan_json(result) -> dict:
    """A ``Plan`` as stored for the dry-run page: counts, and rows with problems first."""
    rows = sorted(result.rows, key=lambda row: (not row.problems, row.line))
    return {
        "counts": dict(result.counts),
        "rows": [
            {
                "line": row.line,
                "action": row.action,
                "label": row.label,
                "problems": list(row.problems),
            }
            for row in rows
        ],
    }
