"""The initiative's own proposals (Nutzungsideen): list, create, view, edit, submit, withdraw.

Part of the ``initiative`` blueprint (``leerstand.views.initiative.common``). Another
initiative's proposal is a 404, never a hint that it exists."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerstand.db import db
from leerstand.services.proposals import progress as progress_service
from leerstand.services.proposals import service as proposal_service
from leerstand.services.proposals.values import proposal_geometry
from leerstand.services.register import buildings as buildings_service
from leerstand.services.towns.settings import form_start
from leerstand.spatial.geometry import from_db, to_geojson
from leerstand.views.initiative.common import SUBMISSION_LIMIT, _me, bp, initiative_required
from leerstand.views.outcome import FORM_ERRORS, failure

ALLEE_CENTER = (51.7192, 11.2265)
UNIT_GONE = _l(
    "Dieser Leerstand ist nicht (mehr) auf der öffentlichen Karte. Bitte wählen Sie einen Ort "
    "für Ihre Idee."
)
SUBMITTED = _l(
    "Die Idee ist eingereicht. Die Stadtverwaltung prüft sie und veröffentlicht sie dann."
)


# --- proposals -----------------------------------------------------------------------------


def _decimal(value, places: int = 1) -> str:
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def proposal_form(proposal) -> dict:
    form = {
        key: getattr(proposal, key) or ""
        for key in ("title", "description", "use_kind", "frequency", "budget_kind", "location_kind")
    }
    form.update({key: "1" if getattr(proposal, key) else "" for key in proposal_service.NEED_FLAGS})
    point = from_db(proposal.point)
    form.update(
        area_min=_decimal(proposal.area_min),
        area_max=_decimal(proposal.area_max),
        budget_eur_month=_decimal(proposal.budget_eur_month, 2),
        time_from=proposal.time_from.isoformat() if proposal.time_from else "",
        time_to=proposal.time_to.isoformat() if proposal.time_to else "",
        point_lon=f"{point.x:.6f}" if point else "",
        point_lat=f"{point.y:.6f}" if point else "",
        radius_m=str(proposal.radius_m or ""),
        unit_id=str(proposal.unit_id or ""),
        area_geojson=json.dumps(to_geojson(proposal.area)) if proposal.area is not None else "",
        district_ids=[str(d.id) for d in proposal.districts],
        version=str(proposal.version),
    )
    return form


def _request_form() -> dict:
    form = request.form.to_dict()
    form["district_ids"] = request.form.getlist("district_ids")
    return form


def _proposal_page(
    form: dict, proposal=None, error: str | None = None, status: int = 200, units=None
):
    mid = _me().municipality_id
    html = render_template(
        "initiative/proposal_form.html",
        form=form,
        proposal=proposal,
        error=error,
        districts=buildings_service.districts(db.session, mid),
        units=proposal_service.public_units(db.session, mid) if units is None else units,
        center=form_start(_me().municipality, ALLEE_CENTER),
    )
    return html, status


def _new_proposal_page():
    """The empty form; ``?unit=ID`` (the public unit page's button) chooses that unit when it
    is on the public map, else the form says so and starts without it."""
    form = {"location_kind": "point", "radius_m": "500", "budget_kind": "costs_only"}
    units = proposal_service.public_units(db.session, _me().municipality_id)
    wanted = request.args.get("unit", "").strip()
    if wanted:
        if wanted in {str(unit.id) for unit in units}:
            form.update(location_kind="unit", unit_id=wanted)
        else:
            flash(str(UNIT_GONE), "error")
    return _proposal_page(form, units=units)


@bp.get("/ideen")
@initiative_required
def proposals():
    items = proposal_service.list_own(db.session, _me())
    return render_template("initiative/proposals.html", proposals=items)


@bp.route("/ideen/neu", methods=["GET", "POST"])
@initiative_required
@SUBMISSION_LIMIT
def proposal_new():
    if request.method == "GET":
        return _new_proposal_page()
    try:
        proposal = proposal_service.create(db.session, _me(), request.form)
        if request.form.get("action") == "submit":
            proposal_service.submit(db.session, proposal)
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _proposal_page(_request_form(), error=error, status=status)
    db.session.commit()
    flash(_saved_message(proposal), "success")
    return redirect(url_for("initiative.proposal_view", proposal_id=proposal.id))


def _saved_message(proposal) -> str:
    return str(SUBMITTED) if proposal.state == "submitted" else _("Die Idee ist gespeichert.")


@bp.get("/ideen/<int:proposal_id>")
@initiative_required
def proposal_view(proposal_id: int):
    proposal = proposal_service.get_own(db.session, _me(), proposal_id)
    return render_template(
        "initiative/proposal_view.html",
        proposal=proposal,
        geometry=proposal_geometry(proposal),
        editable=proposal.state in proposal_service.EDITABLE,
        transitions=proposal_service.TRANSITIONS,
        progress=progress_service.of_proposal(db.session, proposal),
    )


@bp.route("/ideen/<int:proposal_id>/bearbeiten", methods=["GET", "POST"])
@initiative_required
@SUBMISSION_LIMIT
def proposal_edit(proposal_id: int):
    proposal = proposal_service.get_own(db.session, _me(), proposal_id)
    if request.method == "GET":
        return _proposal_page(proposal_form(proposal), proposal)
    try:
        proposal_service.update(db.session, proposal, request.form)
        if request.form.get("action") == "submit":
            proposal_service.submit(db.session, proposal)
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _proposal_page(
            _request_form(), proposal_service.get_own(db.session, _me(), proposal_id), error, status
        )
    flash(_saved_message(proposal), "success")
    return redirect(url_for("initiative.proposal_view", proposal_id=proposal.id))


def _transition(proposal_id: int, action, message) -> object:
    proposal = proposal_service.get_own(db.session, _me(), proposal_id)
    try:
        action(db.session, proposal)
        db.session.commit()
        flash(str(message), "success")
    except FORM_ERRORS as exc:
        error, _status = failure(exc)
        flash(error, "error")
    return redirect(url_for("initiative.proposal_view", proposal_id=proposal_id))


@bp.post("/ideen/<int:proposal_id>/einreichen")
@initiative_required
@SUBMISSION_LIMIT
def proposal_submit(proposal_id: int):
    return _transition(proposal_id, proposal_service.submit, SUBMITTED)


@bp.post("/ideen/<int:proposal_id>/zurueckziehen")
@initiative_required
def proposal_withdraw(proposal_id: int):
    return _transition(proposal_id, proposal_service.withdraw, _l("Die Idee ist zurückgezogen."))
