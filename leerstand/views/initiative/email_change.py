"""An initiative changes its e-mail address (``services.accounts.email_change``): the form on
the profile page, and the page of the link mailed to the new address (GET shows it, the POST
confirms; mail scanners open links). The old address gets a notice; an address another
account uses is answered like any other, and that account is mailed instead."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand import mail
from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.i18n import error_message
from leerstand.links import absolute_url
from leerstand.services.accounts import email_change as service
from leerstand.services.errors import ServiceError
from leerstand.views.initiative.account import _profile_form
from leerstand.views.initiative.common import _me, bp, initiative_required
from leerstand.views.outcome import FORM_ERRORS, failure


def _mail_new_address(initiative, other) -> None:
    """The confirmation link to the new address, or (taken) a note to the account there."""
    if other is None:
        token = service.change_token(current_app.config["SECRET_KEY"], initiative)
        link = absolute_url("initiative.confirm_email", token=token)
        template, context = "email_change_confirm.txt", {"initiative": initiative, "link": link}
        subject = "Bitte bestätigen Sie Ihre neue E-Mail-Adresse"
    else:
        template, subject = "email_change_taken.txt", "Ihr Konto beim Leerstandsmanagement"
        context = {"initiative": other, "login_link": absolute_url("initiative.login")}
    mail.send_template(initiative.pending_email, subject, template, **context)


def _mail_old_address(initiative) -> None:
    mail.send_template(
        initiative.email,
        "Änderung Ihrer E-Mail-Adresse angefordert",
        "email_change_notice.txt",
        initiative=initiative,
        reset_link=absolute_url("auth.forgot_initiative"),
    )


@bp.post("/profil/email")
@initiative_required
@limiter.limit("10 per hour")
def change_email():
    me = _me()
    try:
        other = service.request_change(db.session, me, request.form)
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        form = _profile_form(me)
        new_email = request.form.get("new_email", "")[:254]
        page = render_template(
            "initiative/profile.html", form=form, error=error, new_email=new_email
        )
        return page, status
    _mail_new_address(me, other)
    _mail_old_address(me)
    flash(
        _(
            "Wir haben einen Bestätigungslink an %(email)s geschickt. Erst wenn Sie ihn öffnen "
            "und bestätigen, gilt die neue Adresse.",
            email=me.pending_email,
        ),
        "success",
    )
    return redirect(url_for("initiative.profile"), 303)


@bp.route("/email-bestaetigen/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def confirm_email(token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        if request.method == "POST":
            service.confirm(db.session, secret, token, datetime.now(UTC))
            db.session.commit()
            flash(_("Ihre neue E-Mail-Adresse ist bestätigt und gilt ab sofort."), "success")
            if current_user.is_authenticated and current_user.role == "initiative":
                return redirect(url_for("initiative.profile"), 303)
            return redirect(url_for("initiative.login"), 303)
        initiative = service.check_token(db.session, secret, token)
    except ServiceError as exc:
        db.session.rollback()
        message = error_message(exc)
        page = render_template("initiative/email_confirm.html", error=message, initiative=None)
        return page, 400
    return render_template("initiative/email_confirm.html", error=None, initiative=initiative)
