"""The import wizard's long work: the dry run (``plan``) and the commit run in a background
thread started by the view, with their own app context and database session, and write their
progress (done/total, state, error, batch id) into the upload's folder, which the page polls
(``staff.import_status``).

The commit is one transaction: committed once at the end, or rolled back on any failure, so
a failed import writes nothing; the failure is stored as a message (msgid and parameters,
``uploads.message_data``) that the page shows in the visitor's language. A
commit is claimed once per upload (``uploads.claim_commit``), so a double click cannot import
a file twice. ``IMPORT_INLINE`` (set by the tests) runs the same job in the request instead
of a thread."""

from __future__ import annotations

import logging
import threading

from flask import current_app
from flask_login import current_user

from leerstand.db import db
from leerstand.messages import Text
from leerstand.services import imports
from leerstand.services.errors import ServiceError
from leerstand.services.imports import uploads

log = logging.getLogger(__name__)

UNEXPECTED = Text(
    "Beim Import ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es erneut "
    "oder wenden Sie sich an die Administration."
)


def start(kind: str, upload: uploads.Upload) -> None:
    """Start the dry run (``kind`` "plan") or the commit ("commit") of ``upload`` for the
    logged-in user. The request's own session ends here: the job has its own."""
    app = current_app._get_current_object()
    args = (app, kind, upload, current_user.municipality_id, current_user.id)
    uploads.write_status(upload, kind, uploads.RUNNING)
    db.session.commit()  # ends the request's (read-only) transaction: the job must not nest in it
    if app.config.get("IMPORT_INLINE"):
        run(*args)
        return
    thread = threading.Thread(target=run, args=args, name=f"import-{kind}", daemon=True)
    thread.start()


def run(app, kind: str, upload: uploads.Upload, municipality_id: int, user_id: int) -> None:
    """The job itself: read the file, plan or commit, record the outcome in the folder."""
    with app.app_context():
        session = db.sessionmaker()
        try:
            _work(session, kind, upload, municipality_id, user_id)
        except (imports.ImportProblem, ServiceError) as exc:
            session.rollback()
            _failed(kind, upload, exc.args[0] if exc.args else UNEXPECTED)
        except Exception:
            log.exception("import %s of %s failed", kind, upload.token)
            session.rollback()
            _failed(kind, upload, UNEXPECTED)
        finally:
            session.close()


def _failed(kind: str, upload: uploads.Upload, message: object) -> None:
    if kind == "commit":
        uploads.release_commit(upload)
    uploads.write_status(upload, kind, uploads.FAILED, error=message, rolled_back=True)


def _work(session, kind: str, upload: uploads.Upload, municipality_id: int, user_id: int):
    table = imports.read_table(upload.path, upload.file_name)
    settings = imports.Settings.from_json(upload.settings or {})
    total = len(table.rows)

    def progress(done: int, total_: int) -> None:
        uploads.write_status(upload, kind, uploads.RUNNING, done, total_)

    progress(0, total)
    if kind == "plan":
        result = imports.plan(session, municipality_id, table, settings, progress)
        session.rollback()  # a dry run writes nothing
        uploads.save_plan(upload, plan_json(result))
        uploads.write_status(upload, kind, uploads.DONE, total, total)
        log.info("Import-Probelauf: %s Zeilen geprüft (Kommune %s)", total, municipality_id)
        return
    batch = imports.commit(session, municipality_id, user_id, table, settings, progress)
    batch_id = batch.id
    session.commit()
    uploads.write_status(upload, kind, uploads.DONE, total, total, batch_id=batch_id)
    log.info(
        "Import: %s Zeilen gespeichert, Stapel %s (Kommune %s)", total, batch_id, municipality_id
    )


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
