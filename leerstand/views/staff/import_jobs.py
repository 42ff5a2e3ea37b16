"""Starting the import wizard's long work (``services.imports.job``: the dry run and the
commit) as a job of the background worker (``flask worker``; ``services.jobs``), queued in
the request's transaction, so it survives a restart of the app and shows under
"Hintergrundaufgaben"; the wizard's page polls the upload's folder (``staff.import_status``).
A commit is claimed once per upload (``uploads.claim_commit``), so a double click cannot
import a file twice. ``IMPORT_INLINE`` (set by the tests) runs the same job in the request,
on a session of its own."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from leerstand.db import db
from leerstand.services.imports import job, uploads
from leerstand.services.jobs import overview, queue


def start(kind: str, upload: uploads.Upload) -> None:
    """Queue (or, inline, run) the dry run (``kind`` "plan") or the commit ("commit") of
    ``upload`` for the logged-in user, and commit the request."""
    town_id, user_id = current_user.municipality_id, current_user.id
    if current_app.config.get("IMPORT_INLINE"):
        uploads.write_status(upload, kind, uploads.RUNNING)
        db.session.commit()  # ends the request's transaction: the job must not nest in it
        _run_inline(kind, upload, town_id, user_id)
        return
    job_id = queue.defer_import(
        db.session,
        kind,
        upload,
        import_dir=current_app.config["IMPORT_DIR"],
        municipality_id=town_id,
        user_id=user_id,
    )
    # before the commit: the worker may start at once and must not be overwritten
    uploads.write_status(upload, kind, uploads.RUNNING, job_id=job_id)
    db.session.commit()


def status(upload: uploads.Upload) -> dict | None:
    """The upload's job as ``uploads.status`` reads it, with the queue's word on it: a job
    that waits for the worker is not cut off, one the queue gave up is failed."""
    return uploads.status(upload, lambda job_id: overview.job_status(db.session, job_id))


def _run_inline(kind: str, upload: uploads.Upload, town_id: int, user_id: int) -> None:
    session = db.sessionmaker()
    try:
        outcome = job.run(session, kind, upload, town_id, user_id)
        session.commit()
    except Exception:  # written to the upload as "unexpected" already
        session.rollback()
        return
    finally:
        session.close()
    if outcome.ok:
        job.finished(kind, upload, outcome.batch_id)
