"""An owner's data-protection rights on the owner page: erasure (Art. 17, with a confirmation
page saying what goes and what stays), restriction (Art. 18, "gesperrt") and objection
(Art. 21, "Widerspruch gegen Ansprache"). Erasure and restriction: admins and the
data-protection officer; objection also staff (owners object by phone or letter)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.i18n import translate
from leerstand.services.owners import service
from leerstand.services.privacy import erasure, restriction
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp

PRIVACY_ROLES = ("admin", "dpo")


def may_manage_privacy(user) -> bool:
    """Erase, restrict and lift a restriction; see a restricted owner's page."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in PRIVACY_ROLES


def may_record_objection(user) -> bool:
    return may_manage_privacy(user) or bool(getattr(user, "can_edit", False))


def privacy_required(view):
    """403 unless the user may manage privacy (admins and the DPO)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not may_manage_privacy(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@bp.app_context_processor
def _privacy_helpers():
    return {
        "may_manage_privacy": may_manage_privacy,
        "may_record_objection": may_record_objection,
        "owner_contactable": restriction.is_contactable,
    }


def _owner(owner_id: int):
    return service.get_owner(db.session, current_user.municipality_id, owner_id)


@bp.route("/eigentuemer/<int:owner_id>/loeschen", methods=["GET", "POST"])
@privacy_required
def owner_erase(owner_id: int):
    owner = _owner(owner_id)
    error, status = None, 200
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            error, status = _("Bitte bestätigen Sie, dass die Daten gelöscht werden sollen."), 422
        else:
            try:
                former = erasure.erase_owner(db.session, owner, current_user.id, datetime.now(UTC))
                db.session.commit()
            except FORM_ERRORS as exc:
                error, status = failure(exc)
            else:
                outbox = Path(current_app.config["OUTBOX_DIR"])
                erasure.delete_mail_copies(outbox, former["email"], former["name"])
                flash(_("Die personenbezogenen Daten wurden gelöscht."), "success")
                return redirect(url_for("staff.owner_view", owner_id=owner_id))
    return render_template(
        "staff/owner_erase.html",
        owner=owner,
        goes=erasure.WHAT_GOES,
        stays=erasure.WHAT_STAYS,
        error=error,
    ), status


def _set_mark(owner_id: int, mark: str, done: str, lifted: str):
    owner = _owner(owner_id)
    on = request.form.get("on") == "1"
    try:
        restriction.set_mark(db.session, owner, current_user.id, mark, on, datetime.now(UTC))
        db.session.commit()
    except FORM_ERRORS as exc:
        message, _status = failure(exc)
        flash(translate(message), "error")
    else:
        flash(done if on else lifted, "success")
    return redirect(url_for("staff.owner_view", owner_id=owner_id))


@bp.post("/eigentuemer/<int:owner_id>/sperre")
@privacy_required
def owner_restrict(owner_id: int):
    return _set_mark(
        owner_id,
        "restricted",
        _("Eintrag gesperrt: er erscheint in keiner Liste mehr und kann nicht kontaktiert werden."),
        _("Sperre aufgehoben."),
    )


@bp.post("/eigentuemer/<int:owner_id>/widerspruch")
def owner_object(owner_id: int):
    if not may_record_objection(current_user):
        abort(403)
    return _set_mark(
        owner_id,
        "objected",
        _("Widerspruch erfasst: diese Eigentümer:in erhält keine Anfragen mehr."),
        _("Widerspruch aufgehoben."),
    )
