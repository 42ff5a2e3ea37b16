"""Owners answer use requests without an account.

- ``/antwort``: a form for the answer code printed on a letter (POST → ``/antwort/<CODE>``);
- ``/antwort/<secret>``: the request (GET, reads only) and the answer (POST with CSRF).

Whatever does not open — tampered, expired, revoked, answered, unknown — gets one and the same
plain page (404) that shows no data. All owner pages are ``no-store`` and send no referrer
(the secret is in the address); code entry and answer pages are rate-limited."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.services import consent as consent_service
from leerstand.services import requests_answer as service
from leerstand.services.errors import ServiceError
from leerstand.services.requests_mail import municipality_of, notify_answer
from leerstand.services.requests_tokens import normalise_code
from leerstand.views.outcome import failure

bp = Blueprint("owner", __name__)
OWNER_LIMIT = limiter.shared_limit("20 per minute", scope="owner-answer")
INVALID_STATUS = 404


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _now() -> datetime:
    return datetime.now(UTC)


def _invalid():
    return render_template("owner/invalid.html"), INVALID_STATUS


@bp.get("/antwort")
def code():
    return render_template("owner/code.html", error=None, value="")


@bp.post("/antwort")
@OWNER_LIMIT
def code_submit():
    raw = request.form.get("code", "")
    value = normalise_code(raw)
    if value is None:
        error = _(
            "Bitte geben Sie den Antwortcode aus Ihrem Brief ein: 12 Zeichen, z. B. ABCD-EFGH-JKMN."
        )
        return render_template("owner/code.html", error=error, value=raw[:40]), 422
    return redirect(url_for("owner.answer", secret=value))


def _form_defaults(req) -> dict:
    unit = req.match.unit
    consents = consent_service.consents_by_scope(db.session, req.owner_id)
    form = {
        "available_from": unit.available_from.isoformat() if unit.available_from else "",
        "available_to": unit.available_to.isoformat() if unit.available_to else "",
    }
    for scope in service.OWNER_SCOPES:
        row = consents.get(scope)
        form[f"consent_{scope}"] = "1" if row is not None and row.active else ""
    return form


def _render_page(req, form: dict, error: str | None = None, status: int = 200):
    html = render_template(
        "owner/answer.html",
        req=req,
        match=req.match,
        proposal=req.match.proposal,
        unit=req.match.unit,
        municipality=municipality_of(req),
        consents=consent_service.consents_by_scope(db.session, req.owner_id),
        consent_texts=service.CONSENT_TEXTS,
        form=form,
        error=error,
    )
    return html, status


@bp.route("/antwort/<secret>", methods=["GET", "POST"])
@OWNER_LIMIT
def answer(secret: str):
    req = service.open_request(db.session, secret, _now())
    if req is None:
        return _invalid()
    if request.method == "GET":
        return _render_page(req, _form_defaults(req))
    try:
        data = service.parse_answer(request.form)
        req = service.answer(db.session, secret, data, _now())
        db.session.commit()
    except service.InvalidSecret:
        db.session.rollback()
        return _invalid()
    except (ServiceError, StaleDataError) as exc:
        error, status = failure(exc)
        req = service.open_request(db.session, secret, _now())
        if req is None:
            return _invalid()
        return _render_page(req, request.form, error, status)
    notify_answer(req)  # a failing mail is logged; the answer is saved either way
    return render_template(
        "owner/thanks.html", req=req, municipality=municipality_of(req), proposal=req.match.proposal
    )
