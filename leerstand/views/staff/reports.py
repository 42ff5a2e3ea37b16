"""Meldungen (staff): the queue of citizens' vacancy reports, one report with its possible
duplicates (units and other reports within 50 m or at the same address, with the distance), a
small map and its photo's thumbnail (inline as a data: URL: the report's file has no address of
its own), and the decisions: accept (a unit at the reported place), merge into an existing
unit, reject with a reason. Reading: every staff role (the comment only
for roles that may see personal data); deciding: admin and staff (``editor_required``).

The reporter's address is never shown, only whether a confirmed one exists; after a decision
the reporter is mailed (confirmed address only), without internal details. Thin: parse →
``services.media.report_review`` → commit once → remove the report's photo → mail."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from leerstand import mail, vocab
from leerstand.dates import day
from leerstand.db import db
from leerstand.models.vacancy_report import REPORT_SINCE, REPORT_STATES
from leerstand.security import current_municipality_id, editor_required
from leerstand.services.errors import NotFound
from leerstand.services.media import report_nearby, report_review, reports
from leerstand.services.media.storage import store_from_config
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp

MAIL_SUBJECTS = {
    "accepted": "Ihre Leerstandsmeldung wurde übernommen",
    "merged": "Ihre Leerstandsmeldung wurde zugeordnet",
    "rejected": "Ihre Leerstandsmeldung wurde nicht übernommen",
}
DONE = {
    "accepted": _l("Die Meldung ist übernommen; die neue Einheit ist im Register."),
    "merged": _l("Die Meldung ist der Einheit zugeordnet."),
    "rejected": _l("Die Meldung ist abgelehnt."),
}


def _report(report_id: int, lock: bool = False):
    try:
        return report_review.get_report(db.session, current_municipality_id(), report_id, lock)
    except NotFound:
        abort(404)


@bp.get("/meldungen")
def reports_page():
    status = request.args.get("status", "new")
    if status not in REPORT_STATES:
        status = "new"
    mid = current_municipality_id()
    return render_template(
        "staff/reports.html",
        queue=report_review.queue(db.session, mid, status),
        counts=report_review.counts(db.session, mid),
        status=status,
        states=REPORT_STATES,
        since_labels=REPORT_SINCE,
    )


@bp.get("/meldungen/<int:report_id>")
def report_view(report_id: int, error: str | None = None, status: int = 200):
    report = _report(report_id)
    html = render_template(
        "staff/reports_view.html",
        report=report,
        dupes=report_nearby.duplicates(db.session, report),
        place=report_review.place_of(report),
        vacant_since=report_review.vacant_since_estimate(report),
        kind_label=vocab.label(vocab.UNIT_KINDS, report.kind),
        since_label=vocab.label(REPORT_SINCE, report.since),
        states=REPORT_STATES,
        radius=report_nearby.RADIUS_M,
        error=error,
        form=request.form,
        thumbnail=_thumbnail(report),
    )
    return html, status


def _thumbnail(report) -> str | None:
    """The photo's thumbnail as a data: URL (staff only, never a public address), or None."""
    if not report.photo_key:
        return None
    try:
        data = store_from_config(current_app.config).get(reports.thumb_key(report.photo_key))
    except FileNotFoundError:
        return None
    return f"data:{reports.THUMB_MIME};base64,{base64.b64encode(data).decode('ascii')}"


def _notify(report) -> None:
    if not report.has_confirmed_email:
        return
    sent = mail.send_template(
        report.email,
        MAIL_SUBJECTS[report.status],
        f"report_{report.status}.txt",
        reported_on=day(report.created_at),
        address=report.address,
        reason=report.reason,
    )
    if not sent:
        flash(_("Die E-Mail an die meldende Person konnte nicht gesendet werden."), "error")


def _decide(report_id: int, decision: str):
    report = _report(report_id, lock=True)
    store = store_from_config(current_app.config)
    keys = reports.photo_keys(report)
    now = datetime.now(UTC)
    try:
        if decision == "rejected":
            report_review.reject(db.session, report, current_user.id, request.form, now)
        else:
            act = report_review.accept if decision == "accepted" else report_review.merge
            act(db.session, store, report, current_user.id, request.form, now)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return report_view(report_id, message, status)
    for key in keys:  # the unit has its own copy (when the reporter agreed)
        store.delete(key)
    flash(str(DONE[decision]), "success")
    _notify(report)
    return redirect(url_for("staff.report_view", report_id=report_id), 303)


@bp.post("/meldungen/<int:report_id>/annehmen")
@editor_required
def report_accept(report_id: int):
    return _decide(report_id, "accepted")


@bp.post("/meldungen/<int:report_id>/zusammenfuehren")
@editor_required
def report_merge(report_id: int):
    return _decide(report_id, "merged")


@bp.post("/meldungen/<int:report_id>/ablehnen")
@editor_required
def report_reject(report_id: int):
    return _decide(report_id, "rejected")
