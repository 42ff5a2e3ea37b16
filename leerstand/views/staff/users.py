"""Benutzer (``/verwaltung/benutzer``): a town's admins see its staff accounts (role, active,
last login), invite people by mail, change roles, deactivate and reactivate accounts
(``services.accounts.staff``). Other roles get 403. A change to one's own account ends one's
own sessions too: then the admin logs in again."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from leerstand import mail
from leerstand.db import db
from leerstand.security import admin_required
from leerstand.services.accounts import staff as service
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.password_reset import reset_mail
from leerstand.views.staff import bp
from leerstand.vocab import ROLES


def _render(form: dict, error: str | None = None, status: int = 200):
    page = render_template(
        "staff/users.html",
        users=service.users(db.session, current_user.municipality_id),
        roles=ROLES,
        form=form,
        error=error,
    )
    return page, status


def _account(user_id: int):
    try:
        return service.get(db.session, current_user.municipality_id, user_id)
    except service.NotFound:
        abort(404)


def _mail_invitation(user, token: str) -> bool:
    to, subject, template, context = reset_mail(user, token, invitation=True)
    return mail.send_template(to, subject, template, **context)


def _flash_sent(user, sent: bool) -> None:
    if sent:
        flash(
            _("Einladung an %(email)s gesendet (Link 7 Tage gültig).", email=user.email), "success"
        )
    else:
        flash(
            _(
                "Das Konto %(email)s ist angelegt, aber die E-Mail konnte nicht gesendet werden. "
                "Bitte später „Einladung erneut senden“ wählen.",
                email=user.email,
            ),
            "error",
        )


@bp.get("/benutzer")
@admin_required
def users():
    return _render({"role": "staff"})


@bp.post("/benutzer/einladen")
@admin_required
def invite_user():
    form = request.form.to_dict()
    me = current_user.id
    try:
        user, token = service.invite(
            db.session, current_user.municipality_id, form, me, datetime.now(UTC)
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render(form, message, status)
    _flash_sent(user, _mail_invitation(user, token))
    return redirect(url_for("staff.users"), 303)


@bp.post("/benutzer/<int:user_id>")
@admin_required
def change_user(user_id: int):
    me = current_user.id
    user = _account(user_id)
    try:
        changed = service.change(db.session, user, request.form, me)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render({"role": "staff"}, message, status)
    if not changed:
        flash(_("Nichts geändert."), "info")
    elif user.id == me:  # one's own sessions have ended
        logout_user()
        flash(_("Ihr Konto ist geändert. Bitte melden Sie sich neu an."), "info")
        return redirect(url_for("auth.login"), 303)
    else:
        flash(
            _("Konto %(email)s geändert; seine Anmeldungen sind beendet.", email=user.email),
            "success",
        )
    return redirect(url_for("staff.users"), 303)


@bp.post("/benutzer/<int:user_id>/einladung")
@admin_required
def resend_invitation(user_id: int):
    user = _account(user_id)
    try:
        token = service.resend_invitation(db.session, user, datetime.now(UTC))
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render({"role": "staff"}, message, status)
    _flash_sent(user, _mail_invitation(user, token))
    return redirect(url_for("staff.users"), 303)
