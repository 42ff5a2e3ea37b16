"""Initiative accounts: register (confirmed e-mail), confirm, log in and out, profile.

Confirmation links are opened with GET (changes nothing) and confirmed with a POST, because mail
scanners open links. Registering with a known address answers like a new registration."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand import mail
from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.i18n import error_message
from leerstand.links import absolute_url
from leerstand.services.accounts import initiatives as service
from leerstand.services.errors import ServiceError
from leerstand.views.auth import answer_login, sign_in, sign_out
from leerstand.views.initiative.common import _me, _next, bp, initiative_required
from leerstand.views.outcome import FORM_ERRORS, failure, safe_next


def _send_confirmation(initiative, after: dict | None = None) -> bool:
    token = service.confirmation_token(current_app.config["SECRET_KEY"], initiative)
    link = absolute_url("initiative.confirm", token=token, **(after or {}))
    return mail.send_template(
        initiative.email,
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "confirm.txt",
        initiative=initiative,
        link=link,
    )


def _send_already_registered(initiative) -> bool:
    """Someone registered with the address of an existing account: tell its owner."""
    return mail.send_template(
        initiative.email,
        "Ihr Konto beim Leerstandsmanagement",
        "already_registered.txt",
        initiative=initiative,
        login_link=absolute_url("initiative.login"),
        reset_link=absolute_url("auth.forgot_initiative"),
        contact=initiative.municipality.contact_email,
    )


# --- account -------------------------------------------------------------------------------


@bp.route("/registrieren", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def register():
    form = request.form
    if request.method == "POST":
        try:
            mid = service.default_municipality_id(db.session, current_app.config.get("AGS"))
            initiative, created = service.register(db.session, mid, form)
        except FORM_ERRORS as exc:
            error, status = failure(exc)
            return render_template("initiative/register.html", form=form, error=error), status
        db.session.commit()
        # the same answer whether the address is new or has an account (no enumeration);
        # an unconfirmed existing account gets its confirmation link again
        if created or not initiative.confirmed:
            sent = _send_confirmation(initiative, _next())
        else:
            sent = _send_already_registered(initiative)
        if sent:
            flash(_("Fast geschafft: Wir haben Ihnen einen Bestätigungslink per E-Mail geschickt."))
        else:
            flash(
                _(
                    "Die E-Mail konnte gerade nicht gesendet werden. Bitte fordern Sie den "
                    "Bestätigungslink später erneut an."
                ),
                "error",
            )
        return redirect(url_for("initiative.login", **_next()))
    return render_template("initiative/register.html", form=form, error=None)


@bp.route("/bestaetigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        if request.method == "POST":
            service.confirm(db.session, secret, token)
            db.session.commit()
            flash(
                _("Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden."), "success"
            )
            return redirect(url_for("initiative.login", **_next()))
        initiative = service.check_token(db.session, secret, token)
    except ServiceError as exc:
        db.session.rollback()
        page = render_template("initiative/confirm.html", error=error_message(exc), initiative=None)
        return page, 400
    return render_template("initiative/confirm.html", error=None, initiative=initiative)


@bp.post("/bestaetigung-senden")
@limiter.limit("5 per hour")
def resend():
    initiative = service.find_unconfirmed(db.session, request.form.get("email", ""))
    if initiative is not None:
        _send_confirmation(initiative)
    flash(
        _("Wenn es ein unbestätigtes Konto mit dieser Adresse gibt, ist ein neuer Link unterwegs.")
    )
    return redirect(url_for("initiative.login"))


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated and current_user.role == "initiative":
        return redirect(safe_next(request.args.get("next"), url_for("initiative.proposals")))
    if request.method == "GET":
        return render_template("initiative/login.html", email="")
    return answer_login(
        service.authenticate, "initiative/login.html", url_for("initiative.proposals")
    )


@bp.post("/abmelden")
def logout():
    sign_out()
    flash(_("Sie sind abgemeldet."))
    return redirect(url_for("initiative.login"))


def _profile_form(initiative) -> dict:
    keys = ("name", "contact_person", "phone", "website", "profile")
    form = {key: getattr(initiative, key) or "" for key in keys}
    form["version"] = str(initiative.version)
    return form


@bp.route("/profil", methods=["GET", "POST"])
@initiative_required
def profile():
    me = _me()
    if request.method == "GET":
        return render_template("initiative/profile.html", form=_profile_form(me), error=None)
    try:
        service.update_profile(db.session, me, request.form)
        db.session.commit()
        if request.form.get("password"):  # the change ended every session: start a new one
            sign_in(me)
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return render_template("initiative/profile.html", form=request.form, error=error), status
    flash(_("Profil gespeichert."), "success")
    return redirect(url_for("initiative.profile"))
