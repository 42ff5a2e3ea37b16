"""Leerstand melden (public, no account): the report form (``/melden``, per town
``/k/<AGS>/melden``), the places near a point before sending (``/melden/in-der-naehe.json``),
the thank-you page and the page of the e-mail confirmation link (GET shows a button, POST
confirms: mail scanners open links). Thin: parse → ``services.media.reports`` → commit once →
mail after the commit.

Abuse: a rate limit per client address on sending (``REPORT_RATE_LIMIT``, default 5 per hour)
and on the other routes, a honeypot field (``website``: filled → nothing is stored, the answer
is the ordinary thank-you), CSRF (Flask-WTF), the photo's size (``MEDIA_MAX_IMAGE_BYTES``) and
content checks of staff uploads. Nothing here shows a report or a reporter to anyone."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from leerstand import mail, vocab
from leerstand.dates import local_today
from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.i18n import error_message
from leerstand.links import absolute_url
from leerstand.models.vacancy_report import REPORT_SINCE
from leerstand.services.errors import ServiceError
from leerstand.services.media import report_nearby, report_tokens, reports
from leerstand.services.media.storage import store_from_config
from leerstand.services.media.uploads import max_image_bytes
from leerstand.services.public import pages
from leerstand.spatial.geometry import GeometryError, point_from_input
from leerstand.views.outcome import FORM_ERRORS, failure

bp = Blueprint("melden", __name__)
HONEYPOT = "website"
FORM_FIELDS = ("lon", "lat", "street", "house_number", "kind", "since", "since_month",
               "comment", "email", "photo_consent", "same_as")  # fmt: skip
NO_STORE = "private, no-store"


def _send_limit() -> str:
    return current_app.config.get("REPORT_RATE_LIMIT") or "5 per hour"


SEND_LIMIT = limiter.shared_limit(_send_limit, scope="vacancy-report", methods=["POST"])
LOOK_LIMIT = limiter.shared_limit("60 per minute", scope="vacancy-report-nearby")
CONFIRM_LIMIT = limiter.shared_limit("20 per minute", scope="vacancy-report-confirm")


@bp.record_once
def _upload_limit(state) -> None:
    """The form carries a photo: its requests may be as large as a photo plus the fields."""
    state.app.config.setdefault("REPORT_MAX_BYTES", max_image_bytes(state.app.config) + 256 * 1024)


def _town(ags: str | None) -> dict:
    if ags is not None and not ags.isprintable():
        abort(404)
    town = pages.town(db.session, ags)
    if town is None:
        abort(404)
    return town


def _form(town: dict, values: dict | None = None, error: str | None = None, status: int = 200):
    page = render_template(
        "public/report_form.html",
        town=town,
        values=values or {},
        error=error,
        kinds=vocab.choices(vocab.UNIT_KINDS),
        since_choices=vocab.choices(REPORT_SINCE),
        radius=report_nearby.RADIUS_M,
        today=local_today(),
    )
    return page, status


def _photo() -> bytes | None:
    upload = request.files.get("photo")
    if upload is None:
        return None
    data = upload.read(max_image_bytes(current_app.config) + 1)
    return data or None


def _thanks(town: dict, outcome: str):
    return redirect(url_for("melden.thanks", ags=town["map_ags"], art=outcome), 303)


def _mail_confirmation(report, token: str) -> bool:
    link = absolute_url("melden.confirm", token=token)
    return mail.send_template(
        report.email,
        "Bitte bestätigen Sie Ihre E-Mail-Adresse für Ihre Leerstandsmeldung",
        "report_confirm.txt",
        link=link,
        valid_days=report_tokens.VALID_DAYS,
    )


@bp.route("/melden", methods=["GET", "POST"])
@bp.route("/k/<ags>/melden", methods=["GET", "POST"])
@SEND_LIMIT
def form(ags: str | None = None):
    town = _town(ags)
    if request.method == "GET":
        return _form(town)
    if request.form.get(HONEYPOT, "").strip():
        return _thanks(town, "neu")  # looks like success, stores nothing
    typed = {key: request.form.get(key, "")[:2000] for key in FORM_FIELDS}
    try:
        done = reports.submit(
            db.session,
            store_from_config(current_app.config),
            town["id"],
            request.form,
            _photo(),
            secret_key=current_app.config["SECRET_KEY"],
            max_image_bytes=max_image_bytes(current_app.config),
            now=datetime.now(UTC),
            today=local_today(),
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _form(town, typed, message, status)
    if done.token is not None:
        _mail_confirmation(done.report, done.token)
        return _thanks(town, "mail")
    return _thanks(town, "bestaetigt" if done.outcome == "confirmed" else "neu")


@bp.get("/melden/danke")
@bp.get("/k/<ags>/melden/danke")
def thanks(ags: str | None = None):
    town = _town(ags)
    outcome = request.args.get("art", "neu")
    return render_template("public/report_thanks.html", town=town, outcome=outcome)


def _json_error(message: str, status: int = 400):
    response = jsonify(error=message, status=status)
    response.status_code = status
    return response


@bp.get("/melden/in-der-naehe.json")
@bp.get("/k/<ags>/melden/in-der-naehe.json")
@LOOK_LIMIT
def nearby(ags: str | None = None):
    """Public units and open reports within 50 m of ``?lon=&lat=`` (public fields only)."""
    town = _town(ags)
    try:
        point = point_from_input(request.args.get("lon"), request.args.get("lat"))
    except GeometryError as exc:
        return _json_error(error_message(exc))
    found = report_nearby.public_nearby(db.session, town["id"], point)
    kinds = dict(vocab.choices(vocab.UNIT_KINDS))
    units = [
        {"id": u["id"], "kind_label": kinds.get(u["kind"], u["kind"]),
         "address": f"{u['street']} {u['house_number']}".strip(),
         "distance_m": u["distance_m"],
         "url": url_for("public.unit", unit_id=u["id"], ags=town["map_ags"])}
        for u in found["units"]
    ]  # fmt: skip
    open_reports = [
        {"id": r["id"], "kind_label": kinds.get(r["kind"], r["kind"]), "street": r["street"],
         "distance_m": r["distance_m"]}
        for r in found["reports"]
    ]  # fmt: skip
    response = jsonify(radius_m=report_nearby.RADIUS_M, units=units, reports=open_reports)
    response.headers["Cache-Control"] = NO_STORE
    return response


def _confirm_page(error: str | None, done: bool = False, status: int = 200):
    page = render_template("public/report_confirm.html", error=error, done=done)
    return page, status, {"Cache-Control": NO_STORE}


@bp.route("/melden/bestaetigen/<token>", methods=["GET", "POST"])
@CONFIRM_LIMIT
def confirm(token: str):
    secret, now = current_app.config["SECRET_KEY"], datetime.now(UTC)
    try:
        if request.method == "GET":
            report_tokens.check(db.session, secret, token, now)  # changes nothing
            db.session.rollback()
            return _confirm_page(None)
        report_tokens.confirm(db.session, secret, token, now)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        return _confirm_page(error_message(exc), status=400)
    return _confirm_page(None, done=True)


def thanks_text(outcome: str) -> str:
    """The thank-you page's message for ``outcome`` (neu | mail | bestaetigt)."""
    if outcome == "bestaetigt":
        return _("Danke! Wir haben Ihre Bestätigung bei der vorhandenen Meldung gezählt.")
    if outcome == "mail":
        return _(
            "Danke für Ihre Meldung! Bitte öffnen Sie den Link in der E-Mail, die wir Ihnen "
            "geschickt haben, damit wir Ihnen Nachrichten zu Ihrer Meldung senden dürfen."
        )
    return _("Danke für Ihre Meldung! Die Verwaltung prüft sie und trägt den Raum ein.")


@bp.app_context_processor
def _report_texts():
    return {"report_thanks_text": thanks_text}
