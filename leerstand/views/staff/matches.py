"""Treffer: the overview, the ranked units of an idea, the ranked ideas of a unit, one match,
and the staff review (vormerken / verwerfen / zurücksetzen). GET pages show what is stored;
"neu berechnen" is a POST. Writing needs the role admin or staff."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from leerstand.db import db
from leerstand.security import editor_required
from leerstand.services import buildings as buildings_service
from leerstand.services import matching as service
from leerstand.services import proposals as proposals_service
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.matching_sql import ACTIVE_PROPOSAL_STATES
from leerstand.views.outcome import failure, safe_next
from leerstand.views.staff import bp
from leerstand.vocab import MATCH_STATUSES, label


def _mid() -> int:
    return current_user.municipality_id


def _or_404(lookup, record_id: int):
    try:
        return lookup(db.session, _mid(), record_id)
    except NotFound:
        abort(404)


def _show_dismissed() -> bool:
    return request.args.get("verworfene") == "1"


@bp.get("/treffer")
def matches():
    return render_template(
        "staff/matches.html",
        ideas=service.overview(db.session, _mid()),
        shortlist=service.shortlisted(db.session, _mid()),
    )


@bp.get("/ideen/<int:proposal_id>/treffer")
def proposal_matches(proposal_id: int):
    proposal = _or_404(proposals_service.get_for_staff, proposal_id)
    show_dismissed = _show_dismissed()
    return render_template(
        "staff/matches_proposal.html",
        proposal=proposal,
        active=proposal.state in ACTIVE_PROPOSAL_STATES,
        items=service.matches_for_proposal(db.session, proposal, show_dismissed),
        show_dismissed=show_dismissed,
    )


@bp.post("/ideen/<int:proposal_id>/treffer/neu-berechnen")
@editor_required
def proposal_rematch(proposal_id: int):
    proposal = _or_404(proposals_service.get_for_staff, proposal_id)
    count = service.rematch_proposal(db.session, proposal)
    db.session.commit()
    text = ngettext(
        "Treffer neu berechnet: %(num)d passende Einheit.",
        "Treffer neu berechnet: %(num)d passende Einheiten.",
        count,
    )
    flash(text, "success")
    return redirect(url_for("staff.proposal_matches", proposal_id=proposal_id))


@bp.get("/einheiten/<int:unit_id>/treffer")
def unit_matches(unit_id: int):
    unit = _or_404(buildings_service.get_unit, unit_id)
    show_dismissed = _show_dismissed()
    return render_template(
        "staff/matches_unit.html",
        unit=unit,
        items=service.matches_for_unit(db.session, unit, show_dismissed),
        show_dismissed=show_dismissed,
    )


@bp.post("/einheiten/<int:unit_id>/treffer/neu-berechnen")
@editor_required
def unit_rematch(unit_id: int):
    unit = _or_404(buildings_service.get_unit, unit_id)
    count = service.rematch_unit(db.session, unit)
    db.session.commit()
    text = ngettext(
        "Treffer neu berechnet: %(num)d passende Idee.",
        "Treffer neu berechnet: %(num)d passende Ideen.",
        count,
    )
    flash(text, "success")
    return redirect(url_for("staff.unit_matches", unit_id=unit_id))


def _match_page(match, error: str | None = None, status: int = 200):
    return render_template("staff/match.html", match=match, error=error), status


@bp.get("/treffer/<int:match_id>")
def match(match_id: int):
    return _match_page(_or_404(service.get_match, match_id))


@bp.post("/treffer/<int:match_id>/status")
@editor_required
def match_status(match_id: int):
    item = _or_404(service.get_match, match_id)
    try:
        service.set_status(db.session, item, request.form.get("status", ""), current_user.id)
        db.session.commit()
    except ServiceError as exc:
        message, status = failure(exc)
        return _match_page(_or_404(service.get_match, match_id), message, status)
    flash(_("Treffer: %(status)s.", status=label(MATCH_STATUSES, item.status)), "success")
    fallback = url_for("staff.match", match_id=match_id)
    return redirect(safe_next(request.form.get("next"), fallback))
