"""Zwischennutzungen: the list, recording one from a match with a yes answer, its page with the
forms to change dates and terms and to record the end and its outcome.

Thin views over ``leerstand.services.interim_use``: parse → service → commit once; a refusal
re-renders the form with the German message and the input (422, stale version 409). The
initiative's mail goes out after the commit. Template helpers for other pages: the panel on
the match page, the interim uses on the building page and the list on the start page."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import BuildError

from leerstand.db import db
from leerstand.security import editor_required
from leerstand.services import interim_use as service
from leerstand.services.errors import NotFound, ServiceError
from leerstand.views.outcome import failure
from leerstand.views.staff import bp

LIST_STATES = ("active", "ended")


def _mid() -> int:
    return current_user.municipality_id


def _match_or_404(match_id: int):
    try:
        return service.get_match(db.session, _mid(), match_id)
    except NotFound:
        abort(404)


def _use_or_404(interim_id: int):
    try:
        return service.get_interim_use(db.session, _mid(), interim_id)
    except NotFound:
        abort(404)


def match_url(match_id: int | None) -> str | None:
    """URL of the match page (helper A's module); None while it does not exist."""
    if match_id is None:
        return None
    for key in ("match_id", "id"):
        try:
            return url_for("staff.match", **{key: match_id})
        except BuildError:
            continue
    return None


def _match_panel(match) -> dict:
    """Context for templates/staff/_match_interim.html."""
    uses = service.for_units(db.session, [match.unit_id], proposal_id=match.proposal_id)
    has_yes = bool(service.yes_requests(match))
    return {"uses": uses, "can_record": has_yes and not any(use.active for use in uses)}


def _building_uses(building) -> list:
    return service.for_units(db.session, [unit.id for unit in building.units])


def _ending_soon() -> list:
    return service.ending_soon(db.session, _mid(), date.today())


@bp.app_context_processor
def _interim_helpers():
    return {
        "interim_match_panel": _match_panel,
        "interim_building_uses": _building_uses,
        "interim_ending_soon": _ending_soon,
        "interim_today": date.today,
    }


@bp.get("/zwischennutzungen")
def interim_uses():
    state = request.args.get("state")
    state = state if state in LIST_STATES else None
    uses = service.list_uses(db.session, _mid(), state)
    return render_template("staff/interim_list.html", uses=uses, state=state, today=date.today())


def _render_new(match, form, error: str | None = None, status: int = 200):
    html = render_template(
        "staff/interim_new.html",
        match=match,
        yes=service.yes_requests(match),
        uses=service.for_units(db.session, [match.unit_id]),
        form=form,
        error=error,
        match_link=match_url(match.id),
        today=date.today(),
    )
    return html, status


@bp.route("/treffer/<int:match_id>/zwischennutzung", methods=["GET", "POST"])
@editor_required
def interim_new(match_id: int):
    match = _match_or_404(match_id)
    if request.method == "GET":
        return _render_new(match, service.form_defaults(match))
    try:
        use = service.record_interim_use(
            db.session, match, current_user.id, request.form, date.today()
        )
        db.session.commit()
    except (ServiceError, StaleDataError) as exc:
        message, status = failure(exc)
        return _render_new(match, request.form, message, status)
    flash(_("Die Zwischennutzung ist erfasst."), "success")
    link = None
    if use.proposal_id:
        link = url_for("initiative.proposal_view", proposal_id=use.proposal_id, _external=True)
    if not service.notify_recorded(use, link):
        flash(_("Die E-Mail an die Initiative konnte nicht gesendet werden."), "error")
    return redirect(url_for("staff.interim_use", interim_id=use.id))


def _render_use(use, status: int = 200, error=None, which=None, form=None):
    html = render_template(
        "staff/interim_view.html",
        use=use,
        error=error,
        which=which,
        form=form or {},
        today=date.today(),
        match_link=_use_match_link(use),
    )
    return html, status


def _use_match_link(use) -> str | None:
    request_ = use.use_request
    return match_url(request_.match_id) if request_ is not None else None


@bp.get("/zwischennutzungen/<int:interim_id>")
def interim_use(interim_id: int):
    return _render_use(_use_or_404(interim_id))


def _handle(interim_id: int, which: str, action):
    use = _use_or_404(interim_id)
    try:
        action(use)
        db.session.commit()
    except (ServiceError, StaleDataError) as exc:
        message, status = failure(exc)
        return _render_use(use, status, message, which, request.form)
    flash(_("Gespeichert."), "success")
    return redirect(url_for("staff.interim_use", interim_id=use.id))


@bp.post("/zwischennutzungen/<int:interim_id>/bearbeiten")
@editor_required
def interim_update(interim_id: int):
    def action(use):
        service.update_interim_use(db.session, use, current_user.id, request.form)

    return _handle(interim_id, "update", action)


@bp.post("/zwischennutzungen/<int:interim_id>/beenden")
@editor_required
def interim_end(interim_id: int):
    def action(use):
        service.end_interim_use(db.session, use, current_user.id, request.form, date.today())

    return _handle(interim_id, "end", action)
