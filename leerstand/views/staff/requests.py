"""Nutzungsanfragen (staff): send requests for a shortlisted match, the list and the page of a
request, revoke and reissue, and an answer that came on the letter's reply slip or by phone.
Letters are shown right after creating or reissuing them (the answer code is not stored; to
print again, reissue). Writing needs the role admin or staff."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import Match
from leerstand.security import (
    current_municipality_id,
    editor_required,
    personal_data_required,
)
from leerstand.services.errors import NotFound
from leerstand.services.matching import service as matching
from leerstand.services.privacy import access_log
from leerstand.services.use_requests import paper as recording
from leerstand.services.use_requests import send as service
from leerstand.services.use_requests.answer import CONSENT_TEXTS
from leerstand.services.use_requests.letters import letters_for
from leerstand.services.use_requests.mail import notify_answer, send_request_mail
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp
from leerstand.vocab import ANSWERS, REQUEST_STATES, label

ANSWERABLE_BY_STAFF = ("open", "expired")  # a reply slip may arrive after the deadline


def _now() -> datetime:
    return datetime.now(UTC)


def _days() -> tuple[int, int]:
    config = current_app.config
    return config["REQUEST_VALID_DAYS"], config["REQUEST_REMINDER_DAYS"]


@bp.app_context_processor
def _request_helpers():
    def request_state(req) -> str:
        return req.state(_now())

    def request_recipients(match):
        return service.recipients(db.session, match)

    def open_request_owner_ids(match) -> set[int]:
        now = _now()
        return {req.owner_id for req in match.requests if req.state(now) == "open"}

    return {
        "request_state": request_state,
        "request_recipients": request_recipients,
        "open_request_owner_ids": open_request_owner_ids,
        "request_reference": service.reference,
    }


def _match(match_id: int) -> Match:
    return matching.get_match(db.session, current_municipality_id(), match_id)


def _request(request_id: int):
    return service.get_request(db.session, current_municipality_id(), request_id)


def _match_url(match: Match) -> str:
    return url_for("staff.match", match_id=match.id)


def _render_send(match: Match, error: str | None = None, status: int = 200):
    html = render_template(
        "staff/request_send.html",
        match=match,
        send_error=error,
        send_form=request.form if error else None,
    )
    return html, status


@bp.get("/treffer/<int:match_id>/anfragen")
@personal_data_required
def request_new(match_id: int):
    return _render_send(_match(match_id))


def _mail_all(issued: list) -> None:
    for item in issued:
        if item.request.channel != "email":
            continue
        if send_request_mail(item.request, item.secret):
            flash(_("E-Mail an %(name)s gesendet.", name=item.request.owner.name), "success")
        else:
            flash(
                _(
                    "Die E-Mail an %(name)s konnte nicht gesendet werden. Die Anfrage ist "
                    "gespeichert; bitte stellen Sie sie später neu aus.",
                    name=item.request.owner.name,
                ),
                "error",
            )


def _log_letters(issued: list) -> None:
    """The access log: letters with the owner's name and address go to print now."""
    for item in issued:
        req = item.request
        if req.channel == "letter":
            detail = {"request": service.reference(req)}
            mid = current_municipality_id()
            access_log.record(
                db.session, mid, current_user.id, "print", "owner", req.owner_id, detail
            )


def _letters_page(issued: list, back_url: str):
    return render_template(
        "staff/letters.html",
        letters=letters_for(issued),
        back_url=back_url,
        consent_texts=CONSENT_TEXTS,
    )


@bp.post("/treffer/<int:match_id>/anfragen")
@editor_required
def send_requests(match_id: int):
    match = _match(match_id)
    valid_days, reminder_days = _days()
    try:
        choices, message = service.parse_send_form(request.form)
        issued = service.send_requests(
            db.session, match, current_user.id, choices, message, _now(), valid_days, reminder_days
        )
        _log_letters(issued)
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _render_send(_match(match_id), error, status)
    _mail_all(issued)
    if any(item.request.channel == "letter" for item in issued):
        return _letters_page(issued, _match_url(match))
    return redirect(_match_url(match))


def _by_reference(typed: str):
    """The request of a reference from a reply slip ("NA-123"), or None."""
    request_id = service.request_id_of(typed)
    if request_id is None:
        return None
    try:
        return _request(request_id)
    except NotFound:
        return None


@bp.get("/anfragen")
@personal_data_required
def requests():
    state = request.args.get("state") or None
    if state not in REQUEST_STATES:
        state = None
    typed = (request.args.get("nr") or "").strip()
    error = None
    if typed:
        found = _by_reference(typed)
        if found is not None:
            return redirect(url_for("staff.request", request_id=found.id))
        error = _(
            "Keine Anfrage mit dem Zeichen „%(typed)s“ gefunden. Das Zeichen steht oben auf dem "
            "Antwortbogen und im Brief unter „Unser Zeichen“, z. B. NA-123.",
            typed=typed[:40],
        )
    rows = service.list_requests(db.session, current_municipality_id(), _now(), state)
    html = render_template(
        "staff/requests.html", rows=rows, state=state, nr=typed[:40], error=error
    )
    return html, 404 if error else 200


def _render_request(req, error: str | None = None, status: int = 200, answer_form=None):
    """The request page; editors of an answerable request get the form for a paper or phone
    answer (with what they typed after an error in that form)."""
    form = None
    if current_user.can_edit and req.state(_now()) in ANSWERABLE_BY_STAFF:
        form = answer_form or recording.form_defaults(db.session, req, local_today())
    in_form = answer_form is not None and form is not None  # else the error goes on top
    html = render_template(
        "staff/request_view.html",
        req=req,
        error=None if in_form else error,
        answer_error=error if in_form else None,
        answer_form=form,
        consent_texts=CONSENT_TEXTS,
    )
    return html, status


@bp.get("/anfragen/<int:request_id>", endpoint="request")
@personal_data_required
def request_view(request_id: int):
    return _render_request(_request(request_id))


@bp.post("/anfragen/<int:request_id>/zurueckziehen")
@editor_required
def request_revoke(request_id: int):
    req = _request(request_id)
    try:
        service.revoke(db.session, req, current_user.id, _now())
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _render_request(_request(request_id), error, status)
    flash(_("Die Anfrage ist zurückgezogen; Link bzw. Code gelten nicht mehr."), "success")
    return redirect(url_for("staff.request", request_id=req.id))


@bp.post("/anfragen/<int:request_id>/neu-ausstellen")
@editor_required
def request_reissue(request_id: int):
    req = _request(request_id)
    valid_days, reminder_days = _days()
    try:
        issued = service.reissue(
            db.session, req, current_user.id, _now(), valid_days, reminder_days
        )
        _log_letters([issued])
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _render_request(_request(request_id), error, status)
    if req.channel == "letter":
        flash(_("Neuer Antwortcode erstellt; der alte gilt nicht mehr."), "success")
        return _letters_page([issued], url_for("staff.request", request_id=req.id))
    _mail_all([issued])
    return redirect(url_for("staff.request", request_id=req.id))


@bp.post("/anfragen/<int:request_id>/antwort")
@editor_required
def request_record_answer(request_id: int):
    """A paper or phone answer, recorded by staff: the same effects as an online answer."""
    req = _request(request_id)
    try:
        recorded = recording.parse_recorded(request.form, local_today())
        recording.record_staff_answer(db.session, req, recorded, current_user.id, _now())
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _render_request(_request(request_id), error, status, request.form)
    notify_answer(req)  # a failing mail is logged; the answer is saved either way
    flash(_("Antwort erfasst: %(answer)s.", answer=label(ANSWERS, req.answer)), "success")
    return redirect(url_for("staff.request", request_id=req.id))
