"""The import wizard's steps 4 and 5: the dry run (what each row would do, problems first,
paged) with the commit button, the commit, and the result (the batch). While a job runs the
page shows a ``<progress>`` bar that ``static/map/import.js`` updates from
``staff.import_status`` (JSON) and reloads the page when the job ends; without JavaScript an
"Aktualisieren" button reloads it. The jobs themselves are in ``import_jobs``."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.i18n import error_message, translate
from leerstand.models import ImportBatch
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.imports import uploads
from leerstand.views.staff import bp, import_jobs
from leerstand.views.staff.imports import load_upload

ROWS_PER_PAGE = 100


@bp.get("/import/<token>/status")
def import_status(token: str):
    """The job's progress as JSON: kind, state (running/done/failed), done, total, waiting (for
    the background worker), error."""
    status = import_jobs.status(load_upload(token)) or {"state": None}
    data = {key: status.get(key) for key in ("kind", "state", "done", "total")}
    data["waiting"] = bool(status.get("waiting"))
    error = status.get("error")
    return jsonify(**data, error=None if error is None else translate(error))


def _job(upload, kind: str) -> dict | None:
    status = import_jobs.status(upload)
    return status if status and status.get("kind") == kind else None


def _next_url(token: str, kind: str) -> str:
    return url_for("staff.import_plan" if kind == "plan" else "staff.import_done", token=token)


@bp.get("/import/<token>/laeuft")
def import_wait(token: str):
    """The progress bar of the running (or just ended) job; then on to its result."""
    upload = load_upload(token)
    job = import_jobs.status(upload)
    if job is None:
        return redirect(url_for("staff.import_plan", token=token))
    next_url = _next_url(token, job["kind"])
    if job["state"] == uploads.FAILED:
        return redirect(next_url)
    return render_template("staff/import_wait.html", upload=upload, job=job, next_url=next_url)


def _page_of(rows: list, page: int) -> tuple[list, int, int]:
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * ROWS_PER_PAGE
    return rows[start : start + ROWS_PER_PAGE], page, pages


@bp.get("/import/<token>/probelauf")
def import_plan(token: str):
    upload = load_upload(token)
    if not upload.settings:
        return redirect(url_for("staff.import_columns", token=token))
    job = _job(upload, "plan")
    if job and job["state"] == uploads.RUNNING:
        return redirect(url_for("staff.import_wait", token=token))
    plan = uploads.load_plan(upload)
    context = {"upload": upload, "job": job, "step": "plan", "committed": uploads.committed(upload)}
    if plan is None:
        return render_template("staff/import_start.html", **context)
    rows, page, pages = _page_of(plan["rows"], request.args.get("seite", 1, type=int))
    problems = sum(1 for row in plan["rows"] if row["problems"])
    return render_template(
        "staff/import_plan.html",
        counts=plan["counts"],
        rows=rows,
        total=len(plan["rows"]),
        problems=problems,
        page=page,
        pages=pages,
        **context,
    )


@bp.post("/import/<token>/probelauf")
def import_plan_start(token: str):
    upload = load_upload(token)
    if not upload.settings:
        return redirect(url_for("staff.import_columns", token=token))
    if uploads.committed(upload):  # the result page keeps its batch
        flash(translate(uploads.ALREADY_COMMITTED), "error")
        return redirect(url_for("staff.import_done", token=token))
    import_jobs.start("plan", upload)
    return redirect(url_for("staff.import_wait", token=token))


@bp.post("/import/<token>/uebernehmen")
def import_commit(token: str):
    upload = load_upload(token)
    if uploads.load_plan(upload) is None:
        flash(_("Bitte machen Sie zuerst den Probelauf."), "error")
        return redirect(url_for("staff.import_plan", token=token))
    try:
        uploads.claim_commit(upload)
    except ServiceError as exc:
        flash(error_message(exc), "error")
        return redirect(url_for("staff.import_done", token=token))
    import_jobs.start("commit", upload)
    return redirect(url_for("staff.import_wait", token=token))


def _batch(batch_id: int | None) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id) if batch_id else None
    if batch is None or batch.municipality_id != current_user.municipality_id:
        raise NotFound(_("Diesen Importlauf gibt es nicht."))
    return batch


@bp.get("/import/<token>/ergebnis")
def import_done(token: str):
    upload = load_upload(token)
    job = _job(upload, "commit")
    if job is None:
        return redirect(url_for("staff.import_plan", token=token))
    if job["state"] == uploads.RUNNING:
        return redirect(url_for("staff.import_wait", token=token))
    context = {"upload": upload, "job": job, "step": "done", "committed": uploads.committed(upload)}
    if job["state"] == uploads.FAILED:
        return render_template("staff/import_start.html", **context)
    batch = _batch(job.get("batch_id"))
    return render_template("staff/import_done.html", batch=batch, **context)
