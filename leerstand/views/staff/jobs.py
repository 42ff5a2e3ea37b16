"""Hintergrundaufgaben (every staff role; the staff blueprint refuses everyone else): the
town's background jobs (re-matching, the import wizard's runs) with state, progress ("12.000
von 80.000 Einheiten"), attempts and the last error; a "Aktualisieren" link reloads the page
(no script needed).

Also the web side of the background re-matching: each request lets the matching hooks queue
the re-match of an idea with more than ``MATCH_JOB_THRESHOLD`` units in its place (0: never),
and staff who caused one are told so ("Die Vorschläge werden im Hintergrund berechnet …")."""

from __future__ import annotations

from flask import current_app, flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from leerstand.db import db
from leerstand.i18n import fmt_number
from leerstand.services.jobs import overview
from leerstand.services.matching import service as matching
from leerstand.views.staff import bp

STATUS = {
    "todo": _l("wartet"),
    "doing": _l("läuft"),
    "succeeded": _l("fertig"),
    "failed": _l("fehlgeschlagen"),
    "cancelled": _l("abgebrochen"),
    "aborting": _l("wird abgebrochen"),
    "aborted": _l("abgebrochen"),
}
TASKS = {
    "rematch_proposal": _l("Treffer einer Idee berechnen"),
    "rematch_town": _l("Alle Treffer der Kommune berechnen"),
    "import_plan": _l("Import: Probelauf"),
    "import_commit": _l("Import: Übernahme ins Register"),
}


def progress_text(job: overview.JobRow) -> str:
    """ "12.000 von 80.000 Einheiten" (Ideen for a whole town); "–" before the first report."""
    if job.total is None:
        return "–"
    numbers = {"done": fmt_number(job.done, 0), "total": fmt_number(job.total, 0)}
    if job.task == "rematch_town":
        return _("%(done)s von %(total)s Ideen", **numbers)
    if job.task.startswith("import_"):
        return _("%(done)s von %(total)s Zeilen", **numbers)
    return _("%(done)s von %(total)s Einheiten", **numbers)


@bp.get("/hintergrundaufgaben")
def jobs():
    rows = overview.recent_jobs(db.session, current_user.municipality_id)
    return render_template(
        "staff/jobs.html", jobs=rows, status=STATUS, tasks=TASKS, progress_text=progress_text
    )


@bp.before_app_request
def _background_matching() -> None:
    threshold = current_app.config.get("MATCH_JOB_THRESHOLD") or 0
    if threshold > 0:
        matching.background(db.session, threshold)


@bp.after_app_request
def _tell_deferred(response):
    # the queue first: the account is only looked at (loaded) when something was queued
    if matching.pop_deferred(db.session) and getattr(current_user, "is_staff", False):
        flash(
            _(
                "Die Vorschläge werden im Hintergrund berechnet – den Stand zeigt "
                "„Hintergrundaufgaben“."
            ),
            "info",
        )
    return response
