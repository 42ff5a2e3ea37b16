"""Treffer: the overview, the ranked units of a proposal, the ranked proposals of a unit, one match,
and the staff review (vormerken / verwerfen / zurücksetzen). GET pages show what is stored;
"neu berechnen" is a POST. Writing needs the role admin or staff. ``match_next_step`` (for the
templates) says whether a shortlisted match can still get a request ("Anfrage senden") or what
its owners' requests stand at."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from leerstand.db import db
from leerstand.security import current_municipality_id, editor_required
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service
from leerstand.services.matching.candidates import ACTIVE_PROPOSAL_STATES
from leerstand.services.proposals import service as proposals_service
from leerstand.services.register import buildings as buildings_service
from leerstand.services.use_requests import send as use_requests
from leerstand.views.outcome import failure, safe_next
from leerstand.views.staff import bp
from leerstand.vocab import MATCH_STATUSES, label


def _get(lookup, record_id: int):
    """A scoped look-up in the user's municipality (NotFound renders the 404 page)."""
    return lookup(db.session, current_municipality_id(), record_id)


def _next_step(match) -> dict:
    """For a match's owners (no managers): ``blocked`` {owner id: "open" | "answered"} and the
    counts ``owners``, ``sendable`` (may get a request), ``open``, ``answered``."""
    owner_ids = [owner.id for _role, owner in use_requests.recipients(db.session, match)]
    blocked = use_requests.blocked_owners(match, datetime.now(UTC))
    states = [blocked.get(owner_id) for owner_id in owner_ids]
    return {
        "blocked": blocked,
        "owners": len(owner_ids),
        "sendable": states.count(None),
        "open": states.count("open"),
        "answered": states.count("answered"),
    }


@bp.app_context_processor
def _match_helpers():
    return {"match_next_step": _next_step}


def _show_dismissed() -> bool:
    return request.args.get("verworfene") == "1"


@bp.get("/treffer")
def matches():
    return render_template(
        "staff/matches.html",
        proposals=service.overview(db.session, current_municipality_id()),
        shortlist=service.shortlisted(db.session, current_municipality_id()),
    )


def _ranked_page(template: str, matches_for, subject, **context):
    """The stored matches of ``subject`` (a proposal or a unit) via ``matches_for``; dismissed ones
    only with ``?verworfene=1``."""
    show_dismissed = _show_dismissed()
    items = matches_for(db.session, subject, show_dismissed)
    return render_template(template, items=items, show_dismissed=show_dismissed, **context)


def _rematch(rematch, subject, flash_text, endpoint: str, **values):
    """Recompute the matches of ``subject`` with ``rematch``, commit, flash ``flash_text(count)``
    and go back to the list page ``endpoint``. A count of None: the work was queued (a large
    place; views/staff/jobs.py tells the user so)."""
    count = rematch(db.session, subject)
    db.session.commit()
    if count is not None:
        flash(flash_text(count), "success")
    return redirect(url_for(endpoint, **values))


@bp.get("/ideen/<int:proposal_id>/treffer")
def proposal_matches(proposal_id: int):
    proposal = _get(proposals_service.get_for_staff, proposal_id)
    return _ranked_page(
        "staff/matches_proposal.html",
        service.matches_for_proposal,
        proposal,
        proposal=proposal,
        active=proposal.state in ACTIVE_PROPOSAL_STATES,
    )


@bp.post("/ideen/<int:proposal_id>/treffer/neu-berechnen")
@editor_required
def proposal_rematch(proposal_id: int):
    return _rematch(
        service.rematch_proposal_soon,
        _get(proposals_service.get_for_staff, proposal_id),
        lambda count: ngettext(
            "Treffer neu berechnet: %(num)d passende Einheit.",
            "Treffer neu berechnet: %(num)d passende Einheiten.",
            count,
        ),
        "staff.proposal_matches",
        proposal_id=proposal_id,
    )


@bp.get("/einheiten/<int:unit_id>/treffer")
def unit_matches(unit_id: int):
    unit = _get(buildings_service.get_unit, unit_id)
    return _ranked_page("staff/matches_unit.html", service.matches_for_unit, unit, unit=unit)


@bp.post("/einheiten/<int:unit_id>/treffer/neu-berechnen")
@editor_required
def unit_rematch(unit_id: int):
    return _rematch(
        service.rematch_unit,
        _get(buildings_service.get_unit, unit_id),
        lambda count: ngettext(
            "Treffer neu berechnet: %(num)d passende Idee.",
            "Treffer neu berechnet: %(num)d passende Ideen.",
            count,
        ),
        "staff.unit_matches",
        unit_id=unit_id,
    )


def _match_page(match, error: str | None = None, status: int = 200):
    return render_template("staff/match.html", match=match, error=error), status


@bp.get("/treffer/<int:match_id>")
def match(match_id: int):
    return _match_page(_get(service.get_match, match_id))


@bp.post("/treffer/<int:match_id>/status")
@editor_required
def match_status(match_id: int):
    item = _get(service.get_match, match_id)
    try:
        service.set_status(db.session, item, request.form.get("status", ""), current_user.id)
        db.session.commit()
    except ServiceError as exc:
        message, status = failure(exc)
        return _match_page(_get(service.get_match, match_id), message, status)
    flash(_("Treffer: %(status)s.", status=label(MATCH_STATUSES, item.status)), "success")
    fallback = url_for("staff.match", match_id=match_id)
    return redirect(safe_next(request.form.get("next"), fallback))
