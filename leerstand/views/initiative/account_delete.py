"""An initiative deletes its own account ("Konto löschen", Art. 17 DSGVO): a confirmation page
that says what goes and what stays, the choice whether its ideas stay without its name or are
withdrawn, and the current password; then every session ends."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import logout_user
from werkzeug.security import generate_password_hash

from leerstand.db import db
from leerstand.services.privacy import erasure
from leerstand.views.initiative.common import _me, bp, initiative_required
from leerstand.views.outcome import FORM_ERRORS, failure


@bp.route("/konto-loeschen", methods=["GET", "POST"])
@initiative_required
def delete_account():
    me = _me()
    form = request.form if request.method == "POST" else {"ideas": "keep"}
    if request.method == "GET":
        return render_template("initiative/delete_account.html", form=form, error=None)
    unusable = generate_password_hash(secrets.token_urlsafe(32))
    try:
        erasure.delete_initiative_account(
            db.session, me, form.get("password", ""), form.get("ideas", ""), unusable
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return render_template("initiative/delete_account.html", form=form, error=error), status
    logout_user()
    flash(_("Ihr Konto wurde gelöscht. Ihre persönlichen Daten sind entfernt."), "success")
    return redirect(url_for("public.index"))
