"""API-Zugang: a staff member's own personal API tokens (every staff role; read-only access for
QGIS/GDAL to ``/ogc/verwaltung``): the list, a new token (shown once, in the answer to the
POST, never again) and revoking one. The service is ``services.accounts.api_tokens``."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.links import absolute_url
from leerstand.services.accounts import api_tokens
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp


def ogc_url() -> str:
    """Where QGIS/GDAL connect: the staff OGC API's landing page, from BASE_URL."""
    return absolute_url("ogc.staff_landing")


def _page(error: str | None = None, status: int = 200, values=None):
    tokens = api_tokens.tokens_of(db.session, current_user)
    context = {
        "tokens": tokens,
        "now": datetime.now(UTC),
        "error": error,
        "values": values or {},
        "days": (api_tokens.MIN_DAYS, api_tokens.DEFAULT_DAYS, api_tokens.MAX_DAYS),
        "ogc_url": ogc_url(),
    }
    return render_template("staff/api_tokens.html", **context), status


@bp.get("/api-zugang")
def api_tokens_page():
    return _page()


@bp.post("/api-zugang")
def api_token_create():
    try:
        name, days = api_tokens.parse_form(request.form)
        token, raw = api_tokens.create(db.session, current_user, name, days, datetime.now(UTC))
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _page(message, status, request.form)
    db.session.commit()
    context = {"token": token, "raw": raw, "ogc_url": ogc_url()}
    return render_template("staff/api_token_created.html", **context)


@bp.post("/api-zugang/<int:token_id>/widerrufen")
def api_token_revoke(token_id: int):
    try:
        token = api_tokens.revoke(db.session, current_user, token_id, datetime.now(UTC))
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _page(message, 404 if status == 422 else status)
    db.session.commit()
    flash(
        _(
            "Der API-Zugang „%(name)s“ ist widerrufen und gilt ab sofort nicht mehr.",
            name=token.name,
        ),
        "success",
    )
    return redirect(url_for("staff.api_tokens_page"))
