"""Owners answer use requests without an account.

- ``/antwort``: a form for the answer code printed on a letter. The code is POSTed, never put
  into an address: a valid code opens ``/antwort/anfrage/<id>``;
- ``/antwort/<secret>``: the mailed link (or the letter's QR code) shows the request (GET, reads
  only); the form on it posts to ``/antwort/anfrage/<id>``, and a small script replaces the
  address in the history, so the secret appears in no further address;
- ``/antwort/anfrage/<id>``: the request (GET) and the answer (POST with CSRF) — only in a
  browser whose session remembers that request with its current secret hash (the secret itself
  is never stored; a reissued secret ends it).

Whatever does not open — tampered, expired, revoked, answered, unknown, not remembered — gets
one and the same plain page (404) that shows no data. All owner pages are ``no-store`` and send
no referrer; code entry and answer pages are rate-limited; logs mask the secret
(``leerstand.log_masking``)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from leerstand import log_masking
from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.i18n import translate
from leerstand.services import municipality as municipality_service
from leerstand.services.owners import consent as consent_service
from leerstand.services.use_requests import answer as service
from leerstand.services.use_requests.mail import municipality_of, notify_answer
from leerstand.services.use_requests.tokens import normalise_code
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.wording import period

bp = Blueprint("owner", __name__)
bp.record_once(lambda state: log_masking.install(state.app))
OWNER_LIMIT = limiter.shared_limit("20 per minute", scope="owner-answer")
INVALID_STATUS = 404
REMEMBERED = "owner_requests"  # session: {request id: token hash} of requests opened here
MAX_REMEMBERED = 5
# The element each answer field's error links to (the first radio button for the answer).
FIELD_ANCHORS = {
    "answer": "answer-yes",
    "message": "message",
    "available_from": "available_from",
    "available_to": "available_to",
}


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _now() -> datetime:
    return datetime.now(UTC)


def _town():
    return municipality_service.installed(db.session)


def _invalid():
    # the language links lead to the code entry: the same page for every invalid address
    page = render_template(
        "owner/invalid.html", municipality=_town(), clean_url=url_for("owner.code")
    )
    return page, INVALID_STATUS


def _remember(req) -> None:
    known = {k: v for k, v in session.get(REMEMBERED, {}).items() if k != str(req.id)}
    known[str(req.id)] = req.token_hash
    session[REMEMBERED] = dict(list(known.items())[-MAX_REMEMBERED:])


def _remembered_hash(request_id: int) -> str | None:
    return session.get(REMEMBERED, {}).get(str(request_id))


def _forget(request_id: int) -> None:
    known = session.get(REMEMBERED, {})
    session[REMEMBERED] = {k: v for k, v in known.items() if k != str(request_id)}


@bp.get("/antwort")
def code():
    return render_template("owner/code.html", error=None, value="", municipality=_town())


@bp.post("/antwort")
@OWNER_LIMIT
def code_submit():
    raw = request.form.get("code", "")
    value = normalise_code(raw)
    if value is None:
        error = _(
            "Bitte geben Sie den Antwortcode aus Ihrem Brief ein: 12 Zeichen, z. B. ABCD-EFGH-JKMN."
        )
        page = render_template("owner/code.html", error=error, value=raw[:40], municipality=_town())
        return page, 422
    req = service.open_request(db.session, value, _now())
    if req is None:
        return _invalid()
    _remember(req)
    return redirect(url_for("owner.page", request_id=req.id), 303)


def _render_page(req, form: dict, errors: dict | None = None, status: int = 200):
    """The answer page; ``errors`` maps field names (or ``None`` for the whole form) to text."""
    errors = {name: translate(text) for name, text in (errors or {}).items()}
    proposal = req.match.proposal
    html = render_template(
        "owner/answer.html",
        req=req,
        match=req.match,
        proposal=proposal,
        unit=req.match.unit,
        municipality=municipality_of(req),
        consents=consent_service.consents_by_scope(db.session, req.owner_id),
        consent_texts=service.CONSENT_TEXTS,
        form=form,
        errors=errors,
        summary=[(FIELD_ANCHORS.get(name), text) for name, text in errors.items()],
        period_text=translate(period(proposal.time_from, proposal.time_to)),
        clean_url=url_for("owner.page", request_id=req.id),
    )
    return html, status


@bp.get("/antwort/<secret>")
@OWNER_LIMIT
def answer(secret: str):
    """The mailed link: shows the request and remembers it in this browser."""
    req = service.open_request(db.session, secret, _now())
    if req is None:
        return _invalid()
    _remember(req)
    return _render_page(req, service.form_defaults(db.session, req))


@bp.route("/antwort/anfrage/<int:request_id>", methods=["GET", "POST"])
@OWNER_LIMIT
def page(request_id: int):
    token_hash = _remembered_hash(request_id)
    req = service.open_remembered(db.session, request_id, token_hash, _now())
    if req is None:
        return _invalid()
    if request.method == "GET":
        return _render_page(req, service.form_defaults(db.session, req))
    try:
        data = service.parse_answer(request.form)
        req = service.answer_remembered(db.session, request_id, token_hash, data, _now())
        db.session.commit()
    except service.InvalidSecret:
        db.session.rollback()
        return _invalid()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        errors = getattr(exc, "fields", None) or {None: message}
        req = service.open_remembered(db.session, request_id, token_hash, _now())
        if req is None:
            return _invalid()
        return _render_page(req, request.form, errors, status)
    _forget(request_id)
    notify_answer(req)  # a failing mail is logged; the answer is saved either way
    return render_template(
        "owner/thanks.html", req=req, municipality=municipality_of(req), proposal=req.match.proposal
    )
