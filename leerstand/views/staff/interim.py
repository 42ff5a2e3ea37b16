"""Zwischennutzungen: the list, recording one from a match with a yes answer or from a unit's
page (initiative and optional proposal chosen), its page with the forms to change dates and terms
and to record the end and its outcome, and after the end the contact cases to update.

Thin views over ``services.interim_uses.service``: parse → service → commit once; a refusal
re-renders the form with the German message and the input (422, stale version 409). The
initiative's mail goes out after the commit. Template helpers for other pages: the panel on
the match page, the interim uses on the building page, ``unit_state_label`` (a unit's
state, "Zwischennutzung geplant ab …" for an interim use that starts later) and
``vacancy_text`` (the same words from a state and a start looked up for many units at once)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.i18n import fmt_date
from leerstand.security import current_municipality_id, editor_required
from leerstand.services.contact import cases as contact_service
from leerstand.services.interim_uses import from_unit as interim_from_unit
from leerstand.services.interim_uses import notices as interim_notices
from leerstand.services.interim_uses import service
from leerstand.services.interim_uses import state as interim_state
from leerstand.services.matching import service as matching
from leerstand.services.register import buildings as buildings_service
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp
from leerstand.vocab import VACANCY_STATES, label

LIST_STATES = ("active", "ended")


def _match(match_id: int):
    return matching.get_match(db.session, current_municipality_id(), match_id)


def _use(interim_id: int):
    return service.get_interim_use(db.session, current_municipality_id(), interim_id)


def _match_panel(match) -> dict:
    """Context for templates/staff/_match_interim.html."""
    uses = service.for_units(db.session, [match.unit_id], proposal_id=match.proposal_id)
    has_yes = bool(service.yes_requests(match))
    return {"uses": uses, "can_record": has_yes and not any(use.active for use in uses)}


def _building_uses(building) -> list:
    return service.for_units(db.session, [unit.id for unit in building.units])


def vacancy_text(state: str, planned_from=None) -> str:
    """A vacancy state as staff and the public read it; ``planned_from`` is the start of a
    planned interim use from ``interim_uses.state`` (pages with many units ask it once)."""
    if state == "interim_use" and planned_from is not None:
        return _("Zwischennutzung geplant ab %(date)s", date=fmt_date(planned_from))
    return label(VACANCY_STATES, state)


def _unit_state_label(unit) -> str:
    """The unit's state as staff and the public read it (one query)."""
    start = interim_state.planned_start(db.session, unit, local_today())
    return vacancy_text(unit.vacancy_state, start)


@bp.app_context_processor
def _interim_helpers():
    return {
        "interim_match_panel": _match_panel,
        "interim_building_uses": _building_uses,
        "interim_today": local_today,
        "unit_state_label": _unit_state_label,
        "vacancy_text": vacancy_text,
        "contact_next_state": lambda case: contact_service.natural_next(case.state),
    }


@bp.get("/zwischennutzungen")
def interim_uses():
    state = request.args.get("state")
    state = state if state in LIST_STATES else None
    uses = service.list_uses(db.session, current_municipality_id(), state)
    return render_template("staff/interim_list.html", uses=uses, state=state, today=local_today())


def _render_new(match, form, error: str | None = None, status: int = 200):
    html = render_template(
        "staff/interim_new.html",
        match=match,
        yes=service.yes_requests(match),
        uses=service.for_units(db.session, [match.unit_id]),
        form=form,
        error=error,
        today=local_today(),
    )
    return html, status


@bp.route("/treffer/<int:match_id>/zwischennutzung", methods=["GET", "POST"])
@editor_required
def interim_new(match_id: int):
    match = _match(match_id)
    if request.method == "GET":
        return _render_new(match, service.form_defaults(match))
    try:
        use = service.record_interim_use(
            db.session, match, current_user.id, request.form, local_today()
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render_new(match, request.form, message, status)
    flash(_("Die Zwischennutzung ist erfasst."), "success")
    if not interim_notices.notify_recorded(use):
        flash(_("Die E-Mail an die Initiative konnte nicht gesendet werden."), "error")
    return redirect(url_for("staff.interim_use", interim_id=use.id))


def _unit(unit_id: int):
    return buildings_service.get_unit(db.session, current_municipality_id(), unit_id)


def _render_unit_new(unit, form, error: str | None = None, status: int = 200):
    html = render_template(
        "staff/interim_unit_new.html",
        unit=unit,
        initiatives=interim_from_unit.initiatives(db.session, current_municipality_id()),
        proposals=interim_from_unit.proposals(db.session, current_municipality_id()),
        uses=service.for_units(db.session, [unit.id]),
        form=form,
        error=error,
        today=local_today(),
    )
    return html, status


@bp.route("/einheiten/<int:unit_id>/zwischennutzung", methods=["GET", "POST"])
@editor_required
def interim_unit_new(unit_id: int):
    unit = _unit(unit_id)
    if request.method == "GET":
        return _render_unit_new(unit, {})
    try:
        use = interim_from_unit.record_for_unit(
            db.session, unit, current_user.id, request.form, local_today()
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render_unit_new(_unit(unit_id), request.form, message, status)
    flash(_("Die Zwischennutzung ist erfasst."), "success")
    if not interim_notices.notify_recorded(use):
        flash(_("Die E-Mail an die Initiative konnte nicht gesendet werden."), "error")
    return redirect(url_for("staff.interim_use", interim_id=use.id))


def _render_use(use, status: int = 200, error=None, which=None, form=None):
    html = render_template(
        "staff/interim_view.html",
        use=use,
        cases=interim_state.cases_after_end(db.session, use),
        error=error,
        which=which,
        form=form or {},
        today=local_today(),
    )
    return html, status


@bp.get("/zwischennutzungen/<int:interim_id>")
def interim_use(interim_id: int):
    return _render_use(_use(interim_id))


def _handle(interim_id: int, which: str, action):
    use = _use(interim_id)
    try:
        action(use)
        db.session.commit()
    except FORM_ERRORS as exc:
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
        service.end_interim_use(db.session, use, current_user.id, request.form, local_today())

    return _handle(interim_id, "end", action)
