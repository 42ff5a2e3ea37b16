"""Moderation of proposals (Ideen prüfen): the queue of submitted proposals; publish, or reject
with a reason that is mailed to the initiative (plain text). Writing needs the role admin or
staff."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand import mail
from leerstand.db import db
from leerstand.i18n import error_message
from leerstand.links import absolute_url
from leerstand.security import current_municipality_id, editor_required
from leerstand.services.errors import ServiceError
from leerstand.services.locking import CONCURRENT_ERRORS
from leerstand.services.proposals import service
from leerstand.services.proposals.values import proposal_geometry
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp


def _proposal(proposal_id: int):
    return service.get_for_staff(db.session, current_municipality_id(), proposal_id)


@bp.get("/ideen-pruefen")
def moderation():
    queue = service.moderation_queue(db.session, current_municipality_id())
    return render_template("staff/moderation.html", queue=queue)


@bp.get("/ideen-pruefen/<int:proposal_id>")
def moderation_view(proposal_id: int, error: str | None = None, status: int = 200):
    proposal = _proposal(proposal_id)
    html = render_template(
        "staff/moderation_view.html",
        proposal=proposal,
        geometry=proposal_geometry(proposal),
        error=error,
        reason=request.form.get("reason", ""),
    )
    return html, status


def _notify(proposal, template: str, subject: str) -> None:
    sent = mail.send_template(
        proposal.initiative.email,
        subject,
        template,
        proposal=proposal,
        link=absolute_url("initiative.proposal_view", proposal_id=proposal.id),
    )
    if not sent:
        flash(_("Die E-Mail an die Initiative konnte nicht gesendet werden."), "error")


@bp.post("/ideen-pruefen/<int:proposal_id>/veroeffentlichen")
@editor_required
def moderation_publish(proposal_id: int):
    proposal = _proposal(proposal_id)
    try:
        service.publish(db.session, proposal, current_user.id)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, _status = failure(exc)
        return moderation_view(proposal_id, message, 409)
    flash(_("Die Idee „%(title)s“ ist veröffentlicht.", title=proposal.title), "success")
    _notify(proposal, "published.txt", "Ihre Idee ist veröffentlicht")
    return redirect(url_for("staff.moderation"))


@bp.post("/ideen-pruefen/<int:proposal_id>/ablehnen")
@editor_required
def moderation_reject(proposal_id: int):
    proposal = _proposal(proposal_id)
    try:
        service.reject(db.session, proposal, current_user.id, request.form.get("reason"))
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        status = 422 if proposal.state == "submitted" else 409
        return moderation_view(proposal_id, error_message(exc), status)
    except CONCURRENT_ERRORS as exc:  # the commit found a newer version
        return moderation_view(proposal_id, failure(exc)[0], 409)
    flash(_("Die Idee ist abgelehnt; die Initiative erhält den Grund per E-Mail."), "success")
    _notify(proposal, "rejected.txt", "Ihre Idee wurde nicht veröffentlicht")
    return redirect(url_for("staff.moderation"))
